"""What the forums read out of a post's Markdown: mentions, links, quotes and a duplicate hash.

Mentions become links to the person's profile *before* rendering, as ordinary Markdown links,
so portal/markup.py stays the one renderer and its sanitizer sees everything. Code is left
alone: ``@name`` inside backticks is code, not a mention.
"""

from __future__ import annotations

import hashlib
import re

from django.db.models.functions import Lower
from django.urls import reverse

from portal.accounts.models import User
from portal.markup import render_markdown

# A mention is @ plus a username, not preceded by a word character, another @, a slash or
# "[" (an email address, a URL path, or the text of a link someone wrote by hand).
_MENTION = re.compile(r"(?<![\w@/\[])@([A-Za-z0-9_.+-]{1,150})")
_CODE = re.compile(r"```.*?```|~~~.*?~~~|`[^`\n]*`", re.DOTALL)
_URL = re.compile(r"https?://|www\.", re.IGNORECASE)
# A link in the HTML that leaves the site: anything but a path on this site ("/people/…",
# which is what a mention becomes). "//host" is another site.
_EXTERNAL_HREF = re.compile(r'href="(?!/(?!/))')
# More mentions than this in one post notify nobody past the limit: a list of names is a
# ping storm, not a conversation.
MAX_MENTIONS = 10


def _outside_code(text: str) -> list[tuple[bool, str]]:
    """The text in pieces, each marked as code or not."""
    pieces, last = [], 0
    for match in _CODE.finditer(text):
        pieces.append((False, text[last : match.start()]))
        pieces.append((True, match.group(0)))
        last = match.end()
    pieces.append((False, text[last:]))
    return pieces


def _candidates(name: str) -> list[str]:
    # "@sam." at the end of a sentence: try the name without the trailing dot too.
    stripped = name.rstrip(".-")
    return [name, stripped] if stripped and stripped != name else [name]


def mentioned_names(text: str) -> list[str]:
    names: list[str] = []
    for is_code, piece in _outside_code(text):
        if not is_code:
            names.extend(_MENTION.findall(piece))
    return list(dict.fromkeys(names))


def mentioned_users(text: str) -> dict[str, User]:
    """Active people mentioned in the text, keyed by the lower-cased name as written."""
    wanted = {c.lower() for name in mentioned_names(text) for c in _candidates(name)}
    if not wanted:
        return {}
    found = (
        User.objects.annotate(handle=Lower("username"))
        .filter(handle__in=wanted, is_active=True)
        .only("pk", "username", "email", "is_active")
    )
    return {user.handle: user for user in found}


def link_mentions(text: str, users: dict[str, User]) -> str:
    def replace(match: re.Match) -> str:
        for candidate in _candidates(match.group(1)):
            user = users.get(candidate.lower())
            if user is not None:
                url = reverse("accounts:profile", kwargs={"username": user.username})
                rest = match.group(1)[len(candidate) :]
                return f"[@{user.username}]({url}){rest}"
        return match.group(0)

    return "".join(
        piece if is_code else _MENTION.sub(replace, piece) for is_code, piece in _outside_code(text)
    )


def people_in(text: str, users: dict[str, User]) -> list[User]:
    """The mentioned people in the order they were mentioned, at most MAX_MENTIONS."""
    people: list[User] = []
    for name in mentioned_names(text):
        for candidate in _candidates(name):
            user = users.get(candidate.lower())
            if user is not None:
                if user not in people:
                    people.append(user)
                break
    return people[:MAX_MENTIONS]


def mentioned_people(text: str) -> list[User]:
    return people_in(text, mentioned_users(text))


def render_post(text: str) -> tuple[str, list[User]]:
    """The post's HTML (mentions linked) and the people it mentions."""
    users = mentioned_users(text)
    return render_markdown(link_mentions(text, users)), people_in(text, users)


def has_links(text: str, html: str) -> bool:
    return bool(_EXTERNAL_HREF.search(html) or _URL.search(text))


def body_hash(text: str) -> str:
    folded = " ".join(text.casefold().split())
    return hashlib.sha256(folded.encode()).hexdigest()


def quote(*, body: str, username: str, url: str) -> str:
    """A reply's opening quote of another post, as Markdown (the reply then mentions them)."""
    lines = body.strip().splitlines() or [""]
    quoted = "\n".join(f"> {line}" if line.strip() else ">" for line in lines)
    return f"> @{username} [wrote]({url}):\n>\n{quoted}\n\n"
