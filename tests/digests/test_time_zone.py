"""A digest follows its reader's time zone: a new one on the profile moves the next digest to
the same local hour there (accounts announces the change; digests reschedule)."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from portal.digests.models import EmailPreferences
from tests.accounts.test_profiles import valid_form
from tests.digests.helpers import person

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def next_digest(user) -> datetime:
    return EmailPreferences.objects.get(user=user).next_digest_at


@time_machine.travel(NOW, tick=False)
def test_a_new_time_zone_moves_the_next_digest_to_the_local_hour_there(client):
    reader = person(timezone="UTC", hour=8, now=NOW)
    assert next_digest(reader) == datetime(2026, 11, 25, 8, tzinfo=UTC)
    client.force_login(reader)
    response = client.post(reverse("accounts:profile_edit"), valid_form(timezone="Asia/Tokyo"))
    assert response.status_code == 302
    # 08:00 in Tokyo (UTC+9) is 23:00 UTC the day before.
    assert next_digest(reader) == datetime(2026, 11, 24, 23, tzinfo=UTC)


@time_machine.travel(NOW, tick=False)
def test_saving_the_profile_in_the_same_time_zone_leaves_the_digest(client):
    reader = person(timezone="Europe/Berlin", hour=8, now=datetime(2026, 11, 20, tzinfo=UTC))
    before = next_digest(reader)
    client.force_login(reader)
    client.post(reverse("accounts:profile_edit"), valid_form(timezone="Europe/Berlin"))
    assert next_digest(reader) == before
