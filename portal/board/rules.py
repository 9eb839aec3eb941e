"""The board's safety rules: daily limits and the scam-word check.

The limits are the portal's one limiter (core/limits.py), counted from rows in the database
(applications sent, openings published, invitations and reports sent in the last 24 hours):
they hold across every web process, survive a cache outage, and the count is exactly what the
person sees in their own lists. A scammer's throwaway account is usually new, so new accounts
publish and invite less.

The scam-word check never blocks a posting on its own (keyword filters both miss abuse and
over-block harmless text; see DOMAIN.md). It warns the owner before publishing and asks them
to confirm, and reports from readers go to staff, who decide. It reads everything an
applicant is shown or asked: the opening's texts and its questions (a question is the most
direct way to ask for a stream key, so it is held exactly like a description that does).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol

from portal.core.limits import DAY, Limit

if TYPE_CHECKING:
    from portal.board.models import Opening

APPLICATIONS = Limit("applications", DAY, regular=10, new_account=10)
OPENINGS = Limit("openings", DAY, regular=5, new_account=1, note="Your draft is saved.")
INVITATIONS = Limit("invitations", DAY, regular=20, new_account=5)
REPORTS = Limit("reports", DAY, regular=20, new_account=20)

MAX_OPEN_DAYS = 90
DEFAULT_OPEN_DAYS = 30
REMINDER_DAYS_BEFORE = 3


_CONCERNS = [
    (
        "passwords",
        re.compile(r"\bpass\s?(?:word|code)s?\b|\blogin details\b|\bcredentials\b", re.I),
    ),
    ("stream keys", re.compile(r"\bstream[\s_-]?keys?\b|\bobs keys?\b", re.I)),
    (
        # "Do you use 2FA?" is a fair question (mod tools need it); asking for the code is not.
        "login codes",
        re.compile(
            r"\b(?:2fa|two[\s-]?factor|mfa|login|log-?in|sign[\s-]?in|verification|security"
            r"|authenticator|auth|one[\s-]?time|backup|recovery)\s+codes?\b|\botp\b",
            re.I,
        ),
    ),
    (
        "fees or payments from applicants",
        re.compile(
            r"\bfees?\b|\bdeposit\b|\bgift ?cards?\b|\bcrypto\b|\bbitcoin\b|\bpay (?:us|me)\b"
            r"|\bsend (?:us |me )?money\b|\bupfront\b|\bup-front\b",
            re.I,
        ),
    ),
]


NEVER_ASK = "Openings must never ask applicants for passwords, login codes, stream keys or money."

# The opening's own texts an applicant reads; its questions are checked with them.
CHECKED_FIELDS = ("title", "description", "requirements", "compensation_note")


class Asked(Protocol):
    """An application question: a saved Question, or the owner's QuestionSpec being written."""

    @property
    def prompt(self) -> str: ...

    @property
    def choices(self) -> list[str]: ...


def safety_concerns(*texts: str, questions: Iterable[Asked] = ()) -> list[str]:
    """What in these texts and questions (prompts and choices) looks like a scam posting's
    ask, in words to show the owner."""
    asked = [text for question in questions for text in (question.prompt, *question.choices)]
    joined = "\n".join([*texts, *asked])
    return [label for label, pattern in _CONCERNS if pattern.search(joined)]


def opening_concerns(opening: Opening, questions: Iterable[Asked]) -> list[str]:
    """The check on an opening as it stands (its questions passed in, saved or being saved)."""
    return safety_concerns(
        *(getattr(opening, name) for name in CHECKED_FIELDS), questions=questions
    )
