"""The calls to Twitch, against the stand-in: every page of a list, and each way Twitch says
no (401, 429 with its reset time, 5xx, no answer in time) turned into the job's words."""

from __future__ import annotations

import time

import pytest

from portal.twitch import client
from tests.twitch.conftest import channels_for


def token_for(twitch, user_id: str, scopes: list[str]) -> str:
    return twitch._new_token(user_id, scopes)["access_token"]


@pytest.fixture
def moderator(twitch):
    twitch.add_user("1001", "night_owl")
    return "1001"


def test_every_page_of_moderated_channels_is_read_100_at_a_time(twitch, moderator):
    channels_for(twitch, moderator, 250)
    token = token_for(twitch, moderator, ["user:read:moderated_channels"])
    rows = client.moderated_channels(user_id=moderator, access_token=token)
    assert len(rows) == 250
    assert len({row["broadcaster_id"] for row in rows}) == 250
    calls = twitch.calls("/helix/moderation/channels")
    assert [call["first"] for call in calls] == [["100"]] * 3
    assert "after" not in calls[0] and calls[1]["after"] and calls[2]["after"]


def test_a_list_with_no_rows_is_one_call(twitch, moderator):
    token = token_for(twitch, moderator, ["user:read:moderated_channels"])
    assert client.moderated_channels(user_id=moderator, access_token=token) == []
    assert len(twitch.calls("/helix/moderation/channels")) == 1


def test_a_revoked_token_is_unauthorized(twitch, moderator):
    token = token_for(twitch, moderator, ["user:read:moderated_channels"])
    twitch.revoke(moderator)
    with pytest.raises(client.TwitchUnauthorized):
        client.moderated_channels(user_id=moderator, access_token=token)


def test_a_missing_scope_is_unauthorized_too(twitch, moderator):
    token = token_for(twitch, moderator, ["user:read:email"])
    with pytest.raises(client.TwitchUnauthorized, match="Missing scope"):
        client.moderated_channels(user_id=moderator, access_token=token)


def test_a_429_says_when_the_bucket_refills(twitch, moderator):
    token = token_for(twitch, moderator, ["user:read:moderated_channels"])
    reset_at = twitch.rate_limit("/helix/moderation/channels", seconds=30)
    with pytest.raises(client.TwitchRateLimited) as raised:
        client.moderated_channels(user_id=moderator, access_token=token)
    assert raised.value.reset_at == int(reset_at)
    assert 28 <= raised.value.wait_seconds() <= 31


def test_a_reset_time_in_the_past_or_far_away_is_not_trusted_blindly():
    now = time.time()
    assert client.TwitchRateLimited(now - 100).wait_seconds(now) == 1
    assert client.TwitchRateLimited(now + 10**6).wait_seconds(now) == 15 * 60


@pytest.mark.parametrize("status", [500, 502, 503])
def test_a_5xx_is_unavailable(twitch, moderator, status):
    token = token_for(twitch, moderator, ["user:read:moderated_channels"])
    twitch.fail("/helix/moderation/channels", status=status)
    with pytest.raises(client.TwitchUnavailable, match=str(status)):
        client.moderated_channels(user_id=moderator, access_token=token)


def test_no_answer_in_time_is_unavailable(twitch, moderator, settings):
    settings.TWITCH_TIMEOUT = 0.2
    token = token_for(twitch, moderator, ["user:read:moderated_channels"])
    twitch.slow("/helix/moderation/channels", seconds=1)
    started = time.monotonic()
    with pytest.raises(client.TwitchUnavailable, match="in time"):
        client.moderated_channels(user_id=moderator, access_token=token)
    assert time.monotonic() - started < 0.9


def test_nobody_answering_is_unavailable(settings):
    settings.TWITCH_API_URL = "http://127.0.0.1:9/helix"  # the discard port: refused
    with pytest.raises(client.TwitchUnavailable, match="reached"):
        client.moderated_channels(user_id="1", access_token="x")


def test_a_used_code_is_refused_and_a_bad_refresh_token_is_unauthorized(twitch, moderator):
    with pytest.raises(client.TwitchRefused, match="Invalid authorization code"):
        client.code_exchange(code="never-given", redirect_uri="http://testserver/back/")
    with pytest.raises(client.TwitchUnauthorized, match="Invalid refresh token"):
        client.token_refresh(refresh_token="never-given")


def test_a_refresh_gives_a_new_working_token(twitch, moderator):
    tokens = twitch._new_token(moderator, ["user:read:moderated_channels"])
    twitch.expire(moderator)
    with pytest.raises(client.TwitchUnauthorized):
        client.moderated_channels(user_id=moderator, access_token=tokens["access_token"])
    fresh = client.token_refresh(refresh_token=tokens["refresh_token"])
    assert fresh.scopes == ["user:read:moderated_channels"]
    assert client.moderated_channels(user_id=moderator, access_token=fresh.access_token) == []


def test_moderators_and_vips_of_a_channel(twitch):
    twitch.add_user("2001", "cozy_streamer")
    twitch.add_user("1001", "night_owl")
    twitch.add_user("1002", "lurker")
    twitch.make_moderator("1001", "2001")
    twitch.make_vip("2001", "1002")
    token = token_for(twitch, "2001", ["moderation:read", "channel:read:vips"])
    mods = client.channel_moderators(broadcaster_id="2001", access_token=token)
    vips = client.channel_vips(broadcaster_id="2001", access_token=token)
    assert [m["user_login"] for m in mods] == ["night_owl"]
    assert [v["user_id"] for v in vips] == ["1002"]


def test_token_owner_and_revoke(twitch, moderator):
    token = token_for(twitch, moderator, ["user:read:moderated_channels"])
    owner = client.token_owner(access_token=token)
    assert (owner.user_id, owner.login) == (moderator, "night_owl")
    client.token_revoke(access_token=token)
    assert token not in twitch.tokens
    client.token_revoke(access_token=token)  # twice is harmless


def test_the_addresses_are_twitchs_unless_changed(settings):
    from django.conf import settings as live

    assert live.TWITCH_AUTH_URL == "https://id.twitch.tv"
    assert live.TWITCH_API_URL == "https://api.twitch.tv/helix"
    assert client.auth_url("oauth2/token") == "https://id.twitch.tv/oauth2/token"
    assert (
        client.api_url("moderation/channels") == "https://api.twitch.tv/helix/moderation/channels"
    )
