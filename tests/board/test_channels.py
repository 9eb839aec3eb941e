"""Registering and editing a channel."""

import pytest
from django.urls import reverse

from portal.board.models import Channel
from tests.factories import ChannelFactory

pytestmark = pytest.mark.django_db


def channel_data(**overrides):
    data = {
        "name": "Night Owl Radio",
        "twitch_login": "NightOwlRadio",
        "category": "Music",
        "typical_viewers": "120",
        "timezone": "America/Chicago",
        "description": "Lo-fi and **kind** chat.",
    }
    data.update(overrides)
    return data


def test_registering_a_channel(client, user):
    client.force_login(user)
    response = client.post(reverse("board:channel_create"), channel_data())
    channel = Channel.objects.get()
    assert response.status_code == 302 and response["Location"] == channel.get_absolute_url()
    assert channel.owner == user
    assert channel.twitch_login == "nightowlradio"
    assert channel.description_html == "<p>Lo-fi and <strong>kind</strong> chat.</p>"
    page = client.get(channel.get_absolute_url()).content.decode()
    assert "Night Owl Radio" in page and "verified channel" not in page


def test_registering_needs_sign_in(client):
    response = client.post(reverse("board:channel_create"), channel_data())
    assert response.status_code == 302
    assert not Channel.objects.exists()


def test_a_twitch_channel_is_registered_once(client, user):
    ChannelFactory(twitch_login="nightowlradio")
    client.force_login(user)
    response = client.post(reverse("board:channel_create"), channel_data())
    assert response.status_code == 200
    assert "already registered" in response.content.decode()
    assert Channel.objects.count() == 1


def test_registering_ones_own_channel_again_leads_to_it(client, user):
    client.force_login(user)
    url = reverse("board:channel_create")
    assert client.post(url, channel_data()).status_code == 302
    again = client.post(url, channel_data(twitch_login="nightowlRADIO"), follow=True)
    assert again.redirect_chain[0][0] == Channel.objects.get().get_absolute_url()
    assert "Night Owl Radio is already registered." in again.content.decode()


def test_only_the_owner_edits(client, user, other_user):
    channel = ChannelFactory(owner=user)
    url = reverse("board:channel_edit", kwargs={"slug": channel.slug})
    client.force_login(other_user)
    assert client.get(url).status_code == 404
    assert client.post(url, channel_data(name="Taken over")).status_code == 404
    client.force_login(user)
    assert client.post(url, channel_data(name="Renamed")).status_code == 302
    channel.refresh_from_db()
    assert channel.name == "Renamed"


def test_verified_badge_needs_the_owners_twitch_login(client, user):
    channel = ChannelFactory(owner=user, twitch_login="owlradio")
    user.profile.twitch_login_verified = "owlradio"
    user.profile.save()
    assert "verified channel" in client.get(channel.get_absolute_url()).content.decode()


def test_an_unverified_owner_is_told_verification_needs_a_twitch_login(client, user, settings):
    channel = ChannelFactory(owner=user, twitch_login="owlradio")
    client.force_login(user)
    settings.TWITCH_LOGIN_ENABLED = True
    page = client.get(channel.get_absolute_url()).content.decode()
    assert "Verification needs a Twitch login: connect the Twitch account" in page
    assert reverse("socialaccount_connections") in page


def test_without_twitch_login_the_owner_learns_what_to_do_instead(client, user, settings):
    channel = ChannelFactory(owner=user, twitch_login="owlradio")
    client.force_login(user)
    settings.TWITCH_LOGIN_ENABLED = False
    page = client.get(channel.get_absolute_url()).content.decode()
    assert "this site does not offer one" in page and "link this page from your Twitch" in page
    assert "TWITCH_CLIENT_ID" not in page  # that is for the site's operators
    user.is_staff = True
    user.save()
    assert "TWITCH_CLIENT_ID" in client.get(channel.get_absolute_url()).content.decode()
