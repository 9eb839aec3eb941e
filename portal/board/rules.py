"""The board's safety rules: daily limits and the scam-word check.

Limits are counted from rows in the database (applications sent, openings published,
invitations sent in the last 24 hours), not from a cache: they then hold across every web
process and survive a cache outage or restart, and the count is exactly what the person sees
in their own lists.

The scam-word check never blocks a posting on its own (keyword filters both miss abuse and
over-block harmless text; see DOMAIN.md). It warns the owner before publishing and asks them
to confirm, and reports from readers go to staff, who decide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from portal.accounts.models import User

WINDOW = timedelta(hours=24)
# An account younger than this is "new": a scammer's throwaway account is usually new.
NEW_ACCOUNT_AGE = timedelta(days=7)

APPLICATIONS_PER_DAY = 10
OPENINGS_PER_DAY = 5
OPENINGS_PER_DAY_NEW_ACCOUNT = 1
INVITATIONS_PER_DAY = 20
INVITATIONS_PER_DAY_NEW_ACCOUNT = 5
REPORTS_PER_DAY = 20

MAX_OPEN_DAYS = 90
DEFAULT_OPEN_DAYS = 30
REMINDER_DAYS_BEFORE = 3


@dataclass(frozen=True)
class Limit:
    allowed: int
    used: int
    since: datetime

    @property
    def reached(self) -> bool:
        return self.used >= self.allowed


def is_new_account(user: User, *, now: datetime | None = None) -> bool:
    return (now or timezone.now()) - user.date_joined < NEW_ACCOUNT_AGE


def window_start(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - WINDOW


_CONCERNS = [
    (
        "passwords",
        re.compile(r"\bpass\s?(?:word|code)s?\b|\blogin details\b|\bcredentials\b", re.I),
    ),
    ("stream keys", re.compile(r"\bstream[\s_-]?keys?\b|\bobs keys?\b", re.I)),
    (
        "fees or payments from applicants",
        re.compile(
            r"\bfees?\b|\bdeposit\b|\bgift ?cards?\b|\bcrypto\b|\bbitcoin\b|\bpay (?:us|me)\b"
            r"|\bsend (?:us |me )?money\b|\bupfront\b|\bup-front\b",
            re.I,
        ),
    ),
]


def safety_concerns(*texts: str) -> list[str]:
    """What in these texts looks like a scam posting's ask, in words to show the owner."""
    joined = "\n".join(texts)
    return [label for label, pattern in _CONCERNS if pattern.search(joined)]
