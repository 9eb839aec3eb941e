"""The load test's visitors (bench/load.py): what each does, request after request.

- **writes** (today's mix): each visitor is one person, browsing 60% of the time among a few
  lists and 50 topics, and otherwise replying (15%), reacting (15%) and applying (10%) as
  fast as it can, so most replies and applications are refused by the rate limits.
- **realistic**: 95% browsing over the whole site (topics weighted towards recent activity,
  first, last and middle pages; categories and their pages; latest, unanswered, the forum
  index, home; a forum search for new words; the board with and without filters, openings;
  the guides index, tracks and lessons), each visitor being one person for a few pages and
  then another; 5% writes that succeed: replies, reactions and applications by people chosen
  among many so that no rate limit is reached (People keeps each one's count).
"""

from __future__ import annotations

import http.client
import random
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from urllib.parse import urlencode

from bench.load_fixture import REPLY_MARK
from bench.search_words import WORDS

WRITES_MIX = [("browse", 0.6), ("reply", 0.15), ("react", 0.15), ("apply", 0.10)]
WRITE_SHARE = 0.05
REALISTIC_WRITES = [("reply", 0.45), ("react", 0.40), ("apply", 0.15)]
BROWSE = [
    ("topic", 40), ("category", 12), ("latest", 8), ("forum index", 6), ("unanswered", 3),
    ("home", 7), ("board", 5), ("board, filtered", 5), ("opening", 7), ("guides index", 2),
    ("lesson", 4), ("track", 1), ("search", 2),
]  # fmt: skip
ACTIONS = ["browse", "reply", "react", "apply"]
# The strictest limits the portal sets (a new account's two posts a minute; ten applications
# a day), with a margin: the demo people joined when the data was seeded.
REPLIES_PER_WINDOW, REPLY_WINDOW = 2, 65.0
APPLICATIONS_PER_DAY = 10
SENTENCES = [
    "agreed, a calm timeout first.",
    "we do the same in our channel and it works well.",
    "thanks, this helped me set up our rules for the weekend stream.",
    "I would warn once, then time out for ten minutes.",
    "good point about keeping a log of every ban and why.",
]
ACCEPTED = (302, 303)


class Client:
    """One kept-alive connection and a CSRF secret; each request says whose it is."""

    def __init__(self, port: int, csrf: str):
        self.port, self.csrf = port, csrf
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def request(self, method: str, path: str, session: str | None, form=None) -> int:
        cookie = f"csrftoken={self.csrf}"
        if session:
            cookie = f"sessionid={session}; {cookie}"
        headers = {"Cookie": cookie}
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.csrf
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                response.read()
                return response.status
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                if attempt:
                    return 599  # the connection failed twice: counted as a server error
        return 599

    def close(self) -> None:
        self.conn.close()


class Ledger:
    """What the site answered and said it accepted, to compare with the database after."""

    def __init__(self, reactions_given: Iterable[tuple[int, int, str]] = ()):
        self.lock = threading.Lock()
        self.status: Counter = Counter()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.by_kind: dict[str, list[float]] = defaultdict(list)  # browsing, by kind of page
        self.replies = 0
        self.applications: set[tuple[int, int]] = set()
        self.reactions: dict[tuple[int, int, str], int] = defaultdict(int)  # accepted clicks
        # (person, post, kind) given now, as far as the accepted clicks tell, and the ones a
        # click is under way on: each click asks for the opposite of the state it knows.
        self.reactions_given = set(reactions_given)
        self.reacting: set[tuple[int, int, str]] = set()
        self.substituted: Counter = Counter()  # writes nobody had room for, made a reaction

    def record(self, action: str, status: int, seconds: float, kind: str = "") -> None:
        with self.lock:
            self.status[(action, status)] += 1
            self.latency[action].append(seconds * 1000)
            if kind:
                self.by_kind[kind].append(seconds * 1000)

    def accept(self, action: str, item) -> None:
        with self.lock:
            if action == "reply":
                self.replies += 1
            elif action == "apply":
                self.applications.add(item)
            else:
                self.reactions[item] += 1
                self.reactions_given ^= {item}

    def reaction_click(self, item: tuple[int, int, str]) -> dict | None:
        """The form of a click on a reaction button: give it, or take it back if given (the
        buttons say which, never "toggle"), with ``kind`` too for a baseline whose button
        still toggled, which then does the same. None while another visitor's click on the
        same reaction is under way, so every click knows the state it changes."""
        with self.lock:
            if item in self.reacting:
                return None
            self.reacting.add(item)
            want = "take_back" if item in self.reactions_given else "give"
            return {want: item[2], "kind": item[2]}

    def reaction_clicked(self, item: tuple[int, int, str], status: int) -> None:
        if status in ACCEPTED:
            self.accept("react", item)
        with self.lock:
            self.reacting.discard(item)

    def requests(self) -> int:
        return sum(self.status.values())

    def server_errors(self) -> int:
        return sum(n for (_, status), n in self.status.items() if status >= 500)


class People:
    """The realistic mix's writers: who may reply or apply now without reaching a limit."""

    def __init__(self, users: list[int], applications_today: dict, applied: set):
        self.lock = threading.Lock()
        self.users = users
        self.replies: dict[int, list[float]] = defaultdict(list)
        self.today = Counter({int(k): v for k, v in applications_today.items()})
        self.applied = set(applied)

    def replier(self, rng: random.Random) -> int | None:
        now = time.monotonic()
        with self.lock:
            for _ in range(30):
                user = rng.choice(self.users)
                recent = [t for t in self.replies[user] if now - t < REPLY_WINDOW]
                if len(recent) < REPLIES_PER_WINDOW:
                    self.replies[user] = [*recent, now]
                    return user
        return None

    def applicant(self, rng: random.Random, openings: list[dict]) -> tuple[int, dict] | None:
        with self.lock:
            for _ in range(30):
                user, opening = rng.choice(self.users), rng.choice(openings)
                if self.today[user] >= APPLICATIONS_PER_DAY or opening["owner_id"] == user:
                    continue
                if (user, opening["pk"]) in self.applied:
                    continue
                self.today[user] += 1
                self.applied.add((user, opening["pk"]))
                return user, opening
        return None


def _recent(rng: random.Random, items: list):
    """An item near the front more often: 46% of picks fall in the first tenth."""
    return items[min(len(items) - 1, int(len(items) * rng.random() ** 3))]


def _page(rng: random.Random, url: str, pages: int, *, last: float) -> str:
    r = rng.random()
    if pages <= 1 or r < 1 - last - 0.15:
        return url
    number = pages if r < 1 - 0.15 else rng.randint(2, pages)
    return f"{url}?page={number}"


def browse_path(rng: random.Random, browse: dict) -> tuple[str, str]:
    """What kind of page to read next, and its address."""
    kind = rng.choices(*zip(*BROWSE, strict=True))[0]
    return kind, _path(rng, browse, kind)


def _path(rng: random.Random, browse: dict, kind: str) -> str:
    if kind == "topic":
        url, pages = _recent(rng, browse["topics"])
        return _page(rng, url, pages, last=0.30)
    if kind == "category":
        url, pages = rng.choice(browse["categories"])
        return _page(rng, url, min(pages, 5), last=0.0)
    fixed = {
        "latest": "/forums/latest/", "forum index": "/forums/", "home": "/",
        "unanswered": "/forums/unanswered/", "board": "/board/", "guides index": "/guides/",
    }  # fmt: skip
    if kind in fixed:
        return fixed[kind]
    if kind == "search":  # new words, as people search (bench/search_words.py)
        return f"/forums/search/?q={rng.choice(WORDS)}+{rng.choice(WORDS)}".replace(" ", "+")
    lists = {"board, filtered": "board", "opening": "openings", "lesson": "lessons",
             "track": "tracks"}  # fmt: skip
    return rng.choice(browse[lists[kind]])


def _application_form(opening: dict) -> dict:
    form = {"message": "I moderate evenings and know AutoMod well."}
    for question in opening["questions"]:
        if question["kind"] == "choice" and question["choices"]:
            form[question["name"]] = question["choices"][0]
        else:
            form[question["name"]] = "Yes, I have done this before."
    return form


def _timed(
    ledger: Ledger, action: str, client: Client, path: str, session, form=None, kind: str = ""
) -> int:
    """One request, its status and time recorded under ``action`` (and the kind of page): a
    GET to browse, a POST of ``form`` otherwise."""
    started = time.monotonic()
    status = client.request("GET" if form is None else "POST", path, session, form)
    ledger.record(action, status, time.monotonic() - started, kind=kind)
    return status


def realistic(client: Client, ctx: dict, ledger: Ledger, until: float, rng: random.Random):
    """``ctx``: the plan, ``sessions`` by person, ``people`` (People), ``anonymous`` share."""
    plan, sessions, people = ctx["plan"], ctx["sessions"], ctx["people"]
    posts = plan["posts"]
    person, left = None, 0
    writes, weights = zip(*REALISTIC_WRITES, strict=True)
    while time.monotonic() < until:
        if rng.random() >= WRITE_SHARE:
            if left <= 0:
                anonymous = rng.random() < ctx["anonymous"]
                person, left = (
                    (None if anonymous else rng.choice(plan["users"])),
                    rng.randint(5, 25),
                )
            left -= 1
            kind, path = browse_path(rng, plan["browse"])
            _timed(ledger, "browse", client, path, sessions.get(person), kind=kind)
            continue
        action = rng.choices(writes, weights)[0]
        if action == "reply":
            user = people.replier(rng)
            if user is not None:
                topic = _recent(rng, plan["reply_topics"])
                body = f"{REPLY_MARK} {rng.getrandbits(48):012x}: {rng.choice(SENTENCES)}"
                path = f"/forums/t/{topic}/-/reply/"
                status = _timed(ledger, "reply", client, path, sessions[user], {"body": body})
                if status in ACCEPTED:
                    ledger.accept("reply", None)
                continue
        elif action == "apply":
            chosen = people.applicant(rng, plan["openings"])
            if chosen is not None:
                user, opening = chosen
                path = f"/board/openings/{opening['pk']}/apply/"
                form = _application_form(opening)
                status = _timed(ledger, "apply", client, path, sessions[user], form)
                if status in ACCEPTED:
                    ledger.accept("apply", (user, opening["pk"]))
                continue
        if action != "react":
            with ledger.lock:
                ledger.substituted[action] += 1
        user = rng.choice(plan["users"])
        post, author = rng.choice(posts)
        if author == user:
            continue
        item = (user, post, rng.choice(["helpful", "thanks"]))
        form = ledger.reaction_click(item)
        if form is None:
            continue
        path = f"/forums/p/{post}/react/"
        ledger.reaction_clicked(item, _timed(ledger, "react", client, path, sessions[user], form))


def writes(client: Client, ctx: dict, ledger: Ledger, until: float, rng: random.Random):
    """Today's mix; ``ctx`` also holds this visitor's ``user``."""
    plan, user = ctx["plan"], ctx["user"]
    session, applied = ctx["sessions"][user], ctx["applied_before"]
    actions, weights = zip(*WRITES_MIX, strict=True)
    while time.monotonic() < until:
        action = rng.choices(actions, weights)[0]
        if action == "browse":
            path = rng.choice(plan["pages"])
            _timed(ledger, "browse", client, path, session)
        elif action == "reply":
            topic = rng.choice(plan["topics"])
            body = f"{REPLY_MARK} {rng.getrandbits(48):012x}: agreed, a calm timeout first."
            path = f"/forums/t/{topic}/-/reply/"
            status = _timed(ledger, "reply", client, path, session, {"body": body})
            if status in ACCEPTED:
                ledger.accept("reply", None)
        elif action == "react":
            post = rng.choice(plan["posts"])
            item = (user, post, rng.choice(["helpful", "thanks"]))
            form = ledger.reaction_click(item)
            if form is None:
                continue
            path = f"/forums/p/{post}/react/"
            ledger.reaction_clicked(item, _timed(ledger, "react", client, path, session, form))
        else:
            opening = rng.choice(plan["openings"])
            if opening["owner_id"] == user or (user, opening["pk"]) in applied:
                continue  # a new application each time, not a redirect to an old one
            path = f"/board/openings/{opening['pk']}/apply/"
            form = _application_form(opening)
            status = _timed(ledger, "apply", client, path, session, form)
            if status in ACCEPTED:
                ledger.accept("apply", (user, opening["pk"]))
