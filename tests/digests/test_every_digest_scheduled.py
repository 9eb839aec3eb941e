"""Everyone who can get a digest has one scheduled, whichever path made their preferences."""

from __future__ import annotations

import importlib
from datetime import UTC, datetime

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from portal.digests.mail import preferences_for
from portal.digests.models import DigestFrequency, EmailPreferences
from portal.digests.services import preferences_create_missing
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def unscheduled() -> list[str]:
    return list(
        EmailPreferences.objects.filter(next_digest_at__isnull=True)
        .exclude(digest_frequency=DigestFrequency.OFF)
        .values_list("user__username", flat=True)
    )


def test_a_row_made_on_the_way_by_a_first_email_is_scheduled_in_the_persons_hour(user):
    user.profile.timezone = "America/Chicago"
    user.profile.save()
    preferences = preferences_for(user)
    assert preferences.next_digest_at is not None
    local = preferences.next_digest_at.astimezone(timezone.get_fixed_timezone(0))
    assert preferences.next_digest_at > timezone.now()
    assert local.minute == 0
    assert unscheduled() == []


def test_a_new_sign_up_gets_a_digest_scheduled(client):
    client.post(
        reverse("account_signup"),
        {
            "email": "new.mod@example.com",
            "username": "new_mod",
            "password1": "a-long-enough-passphrase-2026",
            "password2": "a-long-enough-passphrase-2026",
        },
    )
    preferences_create_missing(now=timezone.now())
    assert EmailPreferences.objects.filter(user__username="new_mod").exists()
    assert unscheduled() == []


def test_rows_created_directly_or_in_bulk_elsewhere_hold_the_invariant():
    EmailPreferences.objects.create(user=UserFactory())
    EmailPreferences.objects.get_or_create(user=UserFactory())
    preferences_create_missing(now=timezone.now())
    assert unscheduled() == []


def test_switching_digests_off_clears_the_schedule_and_back_on_restores_it(user):
    preferences = preferences_for(user)
    preferences.digest_frequency = DigestFrequency.OFF
    preferences.save(update_fields=["digest_frequency"])
    preferences.refresh_from_db()
    assert preferences.next_digest_at is None
    preferences.digest_frequency = DigestFrequency.DAILY
    preferences.save(update_fields=["digest_frequency"])
    preferences.refresh_from_db()
    assert preferences.next_digest_at is not None


def test_the_migration_schedules_the_rows_left_without_one(user):
    preferences = preferences_for(user)
    EmailPreferences.objects.filter(pk=preferences.pk).update(next_digest_at=None)
    assert unscheduled() == [user.username]
    migration = importlib.import_module("portal.digests.migrations.0003_schedule_every_digest")
    migration.schedule_missing(apps, None)
    assert unscheduled() == []
    assert EmailPreferences.objects.get(pk=preferences.pk).next_digest_at > datetime(
        2000, 1, 1, tzinfo=UTC
    )
