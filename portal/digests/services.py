"""Writes to email preferences."""

from __future__ import annotations

from django.db import transaction

from portal.digests.models import KIND_FIELDS, DigestFrequency, EmailKind, EmailPreferences


@transaction.atomic
def email_unsubscribe(*, preferences: EmailPreferences, kind: str) -> None:
    """Stop one kind of email. Idempotent: unsubscribing twice is the same as once."""
    if kind == EmailKind.DIGEST:
        preferences.digest_frequency = DigestFrequency.OFF
    else:
        setattr(preferences, KIND_FIELDS[kind], False)
    preferences.save()


@transaction.atomic
def digest_less_often(*, preferences: EmailPreferences) -> None:
    """The gentler choice offered before unsubscribing: daily becomes weekly."""
    preferences.digest_frequency = DigestFrequency.WEEKLY
    preferences.save()
