"""Who sees what of a moderation history: the person sees all of it; everyone else (another
member, a visitor, staff) sees the count and date, the channels only when the person chose to
show them, and never a hidden one. The person's own Twitch pages are theirs alone."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.twitch.models import ModeratedChannel, ModerationHistory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator():
    person = UserFactory()
    history = ModerationHistory.objects.create(
        user=person, status="checked", checked_at=timezone.now(), channel_count=2
    )
    ModeratedChannel.objects.create(
        history=history, broadcaster_id="1", broadcaster_login="secret_den", hidden=True
    )
    ModeratedChannel.objects.create(
        history=history, broadcaster_id="2", broadcaster_login="open_stage"
    )
    return person


def profile_of(client, person) -> str:
    return client.get(
        reverse("accounts:profile", kwargs={"username": person.username})
    ).content.decode()


@pytest.mark.parametrize("reader", ["visitor", "member", "staff"])
@pytest.mark.parametrize("shown", [True, False])
def test_nobody_but_the_person_sees_a_hidden_channel(client, moderator, reader, shown):
    ModerationHistory.objects.filter(user=moderator).update(show_channels=shown)
    if reader != "visitor":
        client.force_login(UserFactory(is_staff=reader == "staff"))
    page = profile_of(client, moderator)
    assert "Verified moderator of 2 channels" in page
    assert "secret_den" not in page
    assert ("open_stage" in page) == shown


def test_the_person_sees_every_channel_hidden_ones_marked(client, moderator):
    client.force_login(moderator)
    page = profile_of(client, moderator)
    assert "secret_den" in page and "hidden from others" in page
    assert "secret_den" in client.get(reverse("twitch:account")).content.decode()


def test_one_cannot_hide_or_show_another_persons_channel(client, moderator):
    client.force_login(UserFactory())
    hidden = ModeratedChannel.objects.get(broadcaster_login="secret_den")
    answer = client.post(reverse("twitch:channel_hide", kwargs={"pk": hidden.pk}), {"hidden": "0"})
    assert answer.status_code == 404
    hidden.refresh_from_db()
    assert hidden.hidden


def test_the_twitch_pages_ask_a_visitor_to_sign_in(client):
    answer = client.get(reverse("twitch:account"))
    assert answer.status_code == 302 and "/accounts/login/" in answer["Location"]


def test_an_unchecked_history_shows_nothing_to_others(client):
    person = UserFactory()
    ModerationHistory.objects.create(user=person, status="checking")
    client.force_login(UserFactory())
    assert "Moderation history" not in profile_of(client, person)
