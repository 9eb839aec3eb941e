"""The board's safety rules: daily limits and the scam-word check.

The limits are the portal's one limiter (core/limits.py), counted from rows in the database
(applications sent, openings published, invitations and reports sent in the last 24 hours):
they hold across every web process, survive a cache outage, and the count is exactly what the
person sees in their own lists. A scammer's throwaway account is usually new, so new accounts
publish and invite less.

The scam-word check never blocks a posting on its own (keyword filters both miss abuse and
over-block harmless text; see DOMAIN.md). It warns the owner before publishing and asks them
to confirm, and reports from readers go to staff, who decide.
"""

from __future__ import annotations

import re

from portal.core.limits import DAY, Limit

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
