"""A stand-in Twitch: a small HTTP server speaking Twitch's OAuth (id.twitch.tv) and the few
Helix calls Modhall makes, on 127.0.0.1, for the tests and for trying the flows on a laptop.

It answers as Twitch documents: the authorization-code flow with a consent page (here a
form naming the scopes, with a choice of which stand-in account is "signed in to Twitch"),
the token endpoint (codes used once; refresh tokens), /oauth2/validate and /oauth2/revoke,
and Helix's Get Users, Get Moderated Channels, Get Moderators and Get VIPs with their scopes,
``first`` (1 to 100, default 20) and ``after`` cursors, and their Ratelimit-* headers.
Errors too, as Twitch words them: 401 for a missing scope or a bad token, 400 for a used code.

Tests break it on purpose: ``fail`` (a status for the next calls to a path), ``rate_limit``
(429 until a reset time, then answers again), ``slow`` (answers late, for timeouts),
``revoke`` (the person disconnected the app on Twitch), ``expire`` (an access token ran out).

On a laptop: ``python -m tests.twitch_stand_in`` (README, "Twitch").
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import html
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

CLIENT_ID = "stand-in-client-id"
CLIENT_SECRET = "stand-in-client-secret"
TOKEN_LIFE = 4 * 60 * 60  # seconds, like Twitch's user access tokens

# Which Helix list needs which scope, and whose id must match the token's user.
HELIX_LISTS = {
    "/helix/moderation/channels": ("user:read:moderated_channels", "user_id"),
    "/helix/moderation/moderators": ("moderation:read", "broadcaster_id"),
    "/helix/channels/vips": ("channel:read:vips", "broadcaster_id"),
}


@dataclass
class Fault:
    path: str
    status: int = 500
    times: int = 1
    reset_at: float | None = None  # a 429 lasting until then
    delay: float = 0.0  # answer this late (and normally)


@dataclass
class Token:
    user_id: str
    scopes: list[str]
    refresh_token: str
    expired: bool = False


@dataclass
class StandInTwitch:
    client_id: str = CLIENT_ID
    client_secret: str = CLIENT_SECRET
    host: str = "127.0.0.1"
    port: int = 0
    users: dict[str, dict] = field(default_factory=dict)
    # user id -> the broadcaster ids of the channels they moderate
    moderates: dict[str, list[str]] = field(default_factory=dict)
    vips: dict[str, list[str]] = field(default_factory=dict)  # broadcaster id -> user ids
    codes: dict[str, dict] = field(default_factory=dict)
    tokens: dict[str, Token] = field(default_factory=dict)
    faults: list[Fault] = field(default_factory=list)
    requests: list[tuple[str, str, dict]] = field(default_factory=list)
    # The account "signed in to Twitch" in the browser: the consent page offers it first.
    signed_in: str = ""

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    # --- The world ----------------------------------------------------------------------

    def add_user(self, user_id: str, login: str, display_name: str = "", email: str = "") -> dict:
        user = {
            "id": str(user_id),
            "login": login.lower(),
            "display_name": display_name or login,
            "type": "",
            "broadcaster_type": "",
            "description": "",
            "profile_image_url": "",
            "offline_image_url": "",
            "view_count": 0,
            "email": email or f"{login.lower()}@example.com",
            "created_at": "2020-01-01T00:00:00Z",
        }
        self.users[user["id"]] = user
        self.signed_in = self.signed_in or user["id"]
        return user

    def make_moderator(self, user_id: str, *broadcaster_ids: str) -> None:
        self.moderates.setdefault(str(user_id), []).extend(str(b) for b in broadcaster_ids)

    def make_vip(self, broadcaster_id: str, *user_ids: str) -> None:
        self.vips.setdefault(str(broadcaster_id), []).extend(str(u) for u in user_ids)

    def moderators_of(self, broadcaster_id: str) -> list[str]:
        return [u for u, channels in self.moderates.items() if broadcaster_id in channels]

    # --- Breaking it ----------------------------------------------------------------------

    def fail(self, path: str, status: int = 500, times: int = 1) -> None:
        self.faults.append(Fault(path=path, status=status, times=times))

    def rate_limit(self, path: str, seconds: float) -> float:
        """429 on ``path`` until ``seconds`` from now (Ratelimit-Reset says when); returns the
        reset time."""
        reset_at = time.time() + seconds
        self.faults.append(Fault(path=path, status=429, times=10**6, reset_at=reset_at))
        return reset_at

    def slow(self, path: str, seconds: float, times: int = 1) -> None:
        self.faults.append(Fault(path=path, status=200, times=times, delay=seconds))

    def revoke(self, user_id: str) -> None:
        """The person disconnected the app on Twitch: every token of theirs stops working,
        refresh tokens too."""
        with self._lock:
            for access, token in list(self.tokens.items()):
                if token.user_id == str(user_id):
                    del self.tokens[access]

    def expire(self, user_id: str) -> None:
        """Their access tokens ran out (refresh tokens still work)."""
        with self._lock:
            for token in self.tokens.values():
                if token.user_id == str(user_id):
                    token.expired = True

    def calls(self, path: str) -> list[dict]:
        return [query for _, p, query in self.requests if p == path]

    # --- Running --------------------------------------------------------------------------

    @property
    def url(self) -> str:
        assert self._server is not None, "start() it first"
        return f"http://{self.host}:{self._server.server_address[1]}"

    def settings(self) -> dict:
        """The Modhall settings that point at this stand-in."""
        return {
            "TWITCH_CLIENT_ID": self.client_id,
            "TWITCH_CLIENT_SECRET": self.client_secret,
            "TWITCH_AUTH_URL": self.url,
            "TWITCH_API_URL": f"{self.url}/helix",
        }

    def start(self) -> StandInTwitch:
        stand_in = self

        class Handler(_Handler):
            twitch = stand_in

        self._server = ThreadingHTTPServer((self.host, self.port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    # --- Answers (called by the handler) --------------------------------------------------

    def _fault_for(self, path: str) -> Fault | None:
        with self._lock:
            for fault in list(self.faults):
                if not path.startswith(fault.path):
                    continue
                if fault.reset_at is not None and time.time() >= fault.reset_at:
                    self.faults.remove(fault)
                    continue
                fault.times -= 1
                if fault.times <= 0:
                    self.faults.remove(fault)
                return fault
        return None

    def _new_token(self, user_id: str, scopes: list[str]) -> dict:
        access, refresh = secrets.token_hex(15), secrets.token_hex(25)
        with self._lock:
            self.tokens[access] = Token(user_id=user_id, scopes=scopes, refresh_token=refresh)
        return {
            "access_token": access,
            "expires_in": TOKEN_LIFE,
            "refresh_token": refresh,
            "scope": scopes,
            "token_type": "bearer",
        }


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"o": offset}).encode()).decode()


def _offset(cursor: str) -> int | None:
    try:
        return int(json.loads(base64.urlsafe_b64decode(cursor.encode()))["o"])
    except (ValueError, KeyError, TypeError):
        return None


class _Handler(BaseHTTPRequestHandler):
    twitch: StandInTwitch
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args) -> None:  # quiet: tests read .requests
        pass

    # --- Plumbing -------------------------------------------------------------------------

    def _query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.path).query, keep_blank_values=True)

    def _form(self) -> dict[str, list[str]]:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        return parse_qs(body, keep_blank_values=True)

    def _send(self, status: int, body: bytes, content_type: str, headers: dict | None = None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        # The caller may have given up waiting (a timeout test): nobody to answer then.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)

    def _json(self, status: int, data: dict, headers: dict | None = None) -> None:
        self._send(status, json.dumps(data).encode(), "application/json", headers)

    def _error(self, status: int, message: str, headers: dict | None = None) -> None:
        reasons = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found"}
        reasons |= {429: "Too Many Requests", 500: "Internal Server Error"}
        reasons |= {502: "Bad Gateway", 503: "Service Unavailable"}
        data = {"error": reasons.get(status, "Error"), "status": status, "message": message}
        self._json(status, data, headers)

    def _redirect(self, location: str) -> None:
        self._send(302, b"", "text/plain", {"Location": location})

    def _rate_headers(self, reset_at: float | None = None, remaining: int = 799) -> dict:
        return {
            "Ratelimit-Limit": "800",
            "Ratelimit-Remaining": str(remaining),
            "Ratelimit-Reset": str(int(reset_at or time.time() + 60)),
        }

    def _route(self, method: str) -> None:
        path = urlsplit(self.path).path
        form = self._form() if method == "POST" else {}
        self.twitch.requests.append((method, path, {**self._query(), **form}))
        fault = self.twitch._fault_for(path)
        if fault is not None and fault.delay:
            time.sleep(fault.delay)
        elif fault is not None and fault.status == 429:
            reset = self._rate_headers(fault.reset_at, remaining=0)
            return self._error(429, "Too Many Requests", reset)
        elif fault is not None:
            return self._error(fault.status, "The stand-in was told to fail")
        handler = ROUTES.get((method, path))
        if handler is None:
            return self._error(404, "Not Found")
        handler(self, form)

    def do_GET(self) -> None:
        self._route("GET")

    def do_POST(self) -> None:
        self._route("POST")

    # --- OAuth ----------------------------------------------------------------------------

    def authorize_page(self, form: dict) -> None:
        query = {k: v[0] for k, v in self._query().items()}
        if query.get("client_id") != self.twitch.client_id:
            return self._error(400, "invalid client")
        if query.get("response_type") != "code" or not query.get("redirect_uri"):
            return self._error(400, "missing response type or redirect uri")
        scopes = [s for s in query.get("scope", "").split(" ") if s]
        hidden = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
            for k, v in query.items()
        )
        accounts = "".join(
            f'<option value="{html.escape(u["id"])}"'
            f"{' selected' if u['id'] == self.twitch.signed_in else ''}>"
            f"{html.escape(u['display_name'])}</option>"
            for u in self.twitch.users.values()
        )
        wanted = "".join(f"<li><code>{html.escape(s)}</code></li>" for s in scopes)
        page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Authorize Modhall (stand-in Twitch)</title>
</head><body><main>
<h1>Stand-in Twitch</h1>
<p>Modhall would like to use your Twitch account. It asks for:</p>
<ul>{wanted or "<li>your public profile</li>"}</ul>
<form method="post" action="/oauth2/authorize">{hidden}
<p><label for="account">Signed in to Twitch as</label>
<select id="account" name="account">{accounts}</select></p>
<p><button type="submit" name="decision" value="authorize">Authorize</button>
<button type="submit" name="decision" value="cancel">Cancel</button></p>
</form></main></body></html>"""
        self._send(200, page.encode(), "text/html; charset=utf-8")

    def authorize_decide(self, form: dict) -> None:
        data = {k: v[0] for k, v in form.items()}
        redirect_uri, state = data.get("redirect_uri", ""), data.get("state", "")
        if data.get("decision") != "authorize":
            query = urlencode(
                {
                    "error": "access_denied",
                    "error_description": "The user denied you access",
                    "state": state,
                }
            )
            return self._redirect(f"{redirect_uri}?{query}")
        user_id = data.get("account") or self.twitch.signed_in
        if user_id not in self.twitch.users:
            return self._error(400, "no such account")
        self.twitch.signed_in = user_id
        code = secrets.token_hex(15)
        scopes = [s for s in data.get("scope", "").split(" ") if s]
        self.twitch.codes[code] = {
            "user_id": user_id,
            "scopes": scopes,
            "redirect_uri": redirect_uri,
        }
        query = urlencode({"code": code, "scope": " ".join(scopes), "state": state})
        self._redirect(f"{redirect_uri}?{query}")

    def token(self, form: dict) -> None:
        data = {k: v[0] for k, v in form.items()}
        if data.get("client_id") != self.twitch.client_id:
            return self._error(400, "invalid client")
        if data.get("client_secret") != self.twitch.client_secret:
            return self._error(403, "invalid client secret")
        if data.get("grant_type") == "authorization_code":
            asked = self.twitch.codes.pop(data.get("code", ""), None)
            if asked is None or asked["redirect_uri"] != data.get("redirect_uri"):
                return self._error(400, "Invalid authorization code")
            return self._json(200, self.twitch._new_token(asked["user_id"], asked["scopes"]))
        if data.get("grant_type") == "refresh_token":
            with self.twitch._lock:
                found = next(
                    (
                        (access, token)
                        for access, token in self.twitch.tokens.items()
                        if token.refresh_token == data.get("refresh_token")
                    ),
                    None,
                )
                if found is not None:
                    del self.twitch.tokens[found[0]]
            if found is None:
                return self._error(400, "Invalid refresh token")
            return self._json(200, self.twitch._new_token(found[1].user_id, found[1].scopes))
        return self._error(400, "Invalid grant type")

    def _token_of(self, scheme: str) -> Token | None:
        value = self.headers.get("Authorization", "")
        if not value.startswith(f"{scheme} "):
            return None
        token = self.twitch.tokens.get(value[len(scheme) + 1 :])
        return None if token is None or token.expired else token

    def validate(self, form: dict) -> None:
        token = self._token_of("OAuth") or self._token_of("Bearer")
        if token is None:
            return self._error(401, "invalid access token")
        user = self.twitch.users[token.user_id]
        return self._json(
            200,
            {
                "client_id": self.twitch.client_id,
                "login": user["login"],
                "scopes": token.scopes,
                "user_id": user["id"],
                "expires_in": TOKEN_LIFE,
            },
        )

    def revoke(self, form: dict) -> None:
        data = {k: v[0] for k, v in form.items()}
        with self.twitch._lock:
            gone = self.twitch.tokens.pop(data.get("token", ""), None)
        if gone is None:
            return self._error(400, "Invalid token")
        self._send(200, b"", "text/plain")

    # --- Helix ----------------------------------------------------------------------------

    def _helix_token(self) -> Token | None:
        if self.headers.get("Client-Id") != self.twitch.client_id:
            self._error(401, "Client-Id header required")
            return None
        token = self._token_of("Bearer")
        if token is None:
            self._error(401, "Invalid OAuth token", {"WWW-Authenticate": 'OAuth realm="TwitchTV"'})
        return token

    def users(self, form: dict) -> None:
        token = self._helix_token()
        if token is None:
            return
        user = dict(self.twitch.users[token.user_id])
        if "user:read:email" not in token.scopes:
            user.pop("email")
        self._json(200, {"data": [user]}, self._rate_headers())

    def helix_list(self, form: dict) -> None:
        path = urlsplit(self.path).path
        token = self._helix_token()
        if token is None:
            return
        scope, id_name = HELIX_LISTS[path]
        if scope not in token.scopes:
            return self._error(401, f"Missing scope: {scope}")
        query = self._query()
        owner = (query.get(id_name) or [""])[0]
        if owner != token.user_id:
            return self._error(400, f"The ID in {id_name} must match the user ID in the token")
        try:
            first = int((query.get("first") or ["20"])[0])
        except ValueError:
            first = 0
        if not 1 <= first <= 100:
            return self._error(400, 'The parameter "first" must be between 1 and 100')
        offset = 0
        if query.get("after"):
            offset = _offset(query["after"][0])
            if offset is None:
                return self._error(400, "Invalid cursor")
        rows = self._rows(path, owner)
        page = rows[offset : offset + first]
        pagination = {"cursor": _cursor(offset + first)} if offset + first < len(rows) else {}
        self._json(200, {"data": page, "pagination": pagination}, self._rate_headers())

    def _rows(self, path: str, owner: str) -> list[dict]:
        twitch = self.twitch
        if path == "/helix/moderation/channels":
            return [
                {
                    "broadcaster_id": b,
                    "broadcaster_login": twitch.users[b]["login"],
                    "broadcaster_name": twitch.users[b]["display_name"],
                }
                for b in twitch.moderates.get(owner, [])
                if b in twitch.users
            ]
        ids = twitch.moderators_of(owner) if "moderators" in path else twitch.vips.get(owner, [])
        return [
            {
                "user_id": u,
                "user_login": twitch.users[u]["login"],
                "user_name": twitch.users[u]["display_name"],
            }
            for u in ids
            if u in twitch.users
        ]


ROUTES = {
    ("GET", "/oauth2/authorize"): _Handler.authorize_page,
    ("POST", "/oauth2/authorize"): _Handler.authorize_decide,
    ("POST", "/oauth2/token"): _Handler.token,
    ("GET", "/oauth2/validate"): _Handler.validate,
    ("POST", "/oauth2/revoke"): _Handler.revoke,
    ("GET", "/helix/users"): _Handler.users,
    **{("GET", path): _Handler.helix_list for path in HELIX_LISTS},
}


def demo_world(twitch: StandInTwitch) -> StandInTwitch:
    """The laptop's stand-in accounts: the demo streamer's channel and a few moderators
    (portal/twitch/demo.py gives the demo moderators the same Twitch ids)."""
    from portal.twitch.demo import STAND_IN_ACCOUNTS

    for account in STAND_IN_ACCOUNTS:
        twitch.add_user(account["id"], account["login"], account["name"])
    for account in STAND_IN_ACCOUNTS:
        twitch.make_moderator(account["id"], *account.get("moderates", ()))
        for vip in account.get("vips", ()):
            twitch.make_vip(account["id"], vip)
    return twitch


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve a stand-in Twitch on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=8555)
    port = parser.parse_args().port
    twitch = demo_world(StandInTwitch(port=port)).start()
    print(f"Stand-in Twitch at {twitch.url}. In a second terminal, in this folder:\n")
    for name, value in twitch.settings().items():
        print(f"  export {name}={value}")
    print("  make run\n\nStop it with Ctrl-C.", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        twitch.stop()


if __name__ == "__main__":
    main()
