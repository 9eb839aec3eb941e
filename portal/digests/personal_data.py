"""What digests hold about a person: their email settings and the record of digests sent to
them. Both exported, both deleted with the account (portal/core/personal_data.py)."""

from __future__ import annotations

from portal.core.personal_data import Leaving, PersonalData, delete_in_chunks, rows
from portal.digests.models import Digest, EmailPreferences


def _settings(user) -> list[dict]:
    found = EmailPreferences.objects.filter(user=user).values()
    return [
        {k: v for k, v in row.items() if k not in ("id", "user_id", "next_digest_at")}
        for row in found
    ]


def _settings_erase(leaving: Leaving) -> None:
    EmailPreferences.objects.filter(user_id=leaving.user_id).delete()


def _digests_erase(leaving: Leaving) -> None:
    delete_in_chunks(Digest.objects.filter(user_id=leaving.user_id))


PERSONAL_DATA = [
    PersonalData(
        model="digests.EmailPreferences",
        title="your email settings",
        export=_settings,
        erase=_settings_erase,
    ),
    PersonalData(
        model="digests.Digest",
        title="your digests",
        export=lambda user: rows(
            Digest.objects.filter(user=user), "period", "status", "item_count", "finished_at"
        ),
        erase=_digests_erase,
    ),
]
