"""Twitch, for real, in a browser, against the stand-in Twitch (tests/twitch_stand_in.py): a
streamer logs in with Twitch and sees their channel verified; a moderator verifies where they
moderate, hides one channel, and others see the rest on their profile."""

import re

import pytest
from allauth.socialaccount.models import SocialAccount

from portal.twitch.models import ModerationHistory
from tests.factories import ChannelFactory, UserFactory
from tests.twitch.conftest import point_settings_at
from tests.twitch_stand_in import StandInTwitch

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def twitch(settings):
    stand_in = StandInTwitch().start()
    point_settings_at(settings, stand_in)
    # The sign-in form leads to the stand-in's consent page: the policy must allow it.
    settings.SECURE_CSP = {**settings.SECURE_CSP, "form-action": ["'self'", stand_in.url]}
    yield stand_in
    stand_in.stop()


def log_in_with_twitch(page, account_name: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Twitch").click()
    page.get_by_role("button", name="Continue").click()
    # Twitch's consent page (the stand-in's): which account is signed in there, then approve.
    page.wait_for_url(re.compile(r"/oauth2/authorize\?"))
    page.get_by_label("Signed in to Twitch as").select_option(label=account_name)
    page.get_by_role("button", name="Authorize").click()


def test_a_streamer_logs_in_with_twitch_and_their_channel_is_verified(page, twitch):
    streamer = UserFactory(username="harbour_keeper")
    SocialAccount.objects.create(user=streamer, provider="twitch", uid="2001", extra_data={})
    channel = ChannelFactory(owner=streamer, name="Pixel Harbour", twitch_login="pixel_harbour")
    twitch.add_user("2001", "pixel_harbour", "Pixel Harbour")

    log_in_with_twitch(page, "Pixel Harbour")
    page.wait_for_url(re.compile(r"^(?!.*oauth2).*$"))
    assert page.get_by_role("link", name="harbour_keeper").first.is_visible()  # signed in
    page.goto(channel.get_absolute_url())
    assert page.get_by_text("verified channel").is_visible()


def test_a_moderator_verifies_where_they_moderate_and_hides_one_channel(page, browser, twitch):
    moderator = UserFactory(username="night_owl")
    moderator.profile.is_public = True
    moderator.profile.save()
    SocialAccount.objects.create(user=moderator, provider="twitch", uid="1001", extra_data={})
    twitch.add_user("1001", "night_owl", "NightOwl")
    for n, name in enumerate(["Cozy Corner", "Dungeon Deep", "Synth Garden"]):
        twitch.add_user(str(2001 + n), name.lower().replace(" ", "_"), name)
        twitch.make_moderator("1001", str(2001 + n))

    log_in_with_twitch(page, "NightOwl")
    page.wait_for_url(re.compile(r"^(?!.*oauth2).*$"))
    page.goto("/account/twitch/")
    page.get_by_role("button", name="Verify where I moderate").click()
    # Twitch asks once more, for the one extra permission; the person approves.
    page.wait_for_url(re.compile(r"/oauth2/authorize\?"))
    assert page.get_by_text("user:read:moderated_channels").is_visible()
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(re.compile(r"/account/twitch/$"))
    page.reload()
    assert page.get_by_text("Verified moderator of 3 channels").is_visible()
    assert ModerationHistory.objects.get(user=moderator).channel_count == 3

    page.get_by_role("button", name="Show the channels on my profile").click()
    page.get_by_role("button", name="Hide dungeon_deep").click()
    assert page.get_by_role("button", name="Unhide dungeon_deep").is_visible()

    # Someone else sees the count, the date and the channels shown, not the hidden one.
    stranger = browser.new_context(base_url=page.url.split("/account/")[0])
    other = stranger.new_page()
    other.goto("/people/night_owl/")
    assert other.get_by_text("Verified moderator of 3 channels").is_visible()
    assert other.get_by_text("Cozy Corner").is_visible()
    assert other.get_by_text("Dungeon Deep").count() == 0
    stranger.close()
