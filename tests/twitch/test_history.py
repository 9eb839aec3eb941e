"""Verify where I moderate, against the stand-in: the consent (one extra scope, asked only
then), the check in its task, what a slow, rate-limiting or revoked Twitch does to it, and
removing it all."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.core.models import OutboxTask
from portal.core.outbox import outbox_flush
from portal.twitch import services
from portal.twitch.jobs import TryLater
from portal.twitch.models import ModeratedChannel, ModerationHistory, Status, TwitchGrant
from tests.factories import UserFactory
from tests.twitch.conftest import approve_on_twitch, channels_for, connected

pytestmark = pytest.mark.django_db(transaction=True)

MODS = "/helix/moderation/channels"


@pytest.fixture
def moderator(twitch):
    return connected(twitch, "1001", "night_owl")


def ask(client, person):
    """Press "Verify where I moderate": the address of Twitch's consent page."""
    client.force_login(person)
    answer = client.post(reverse("twitch:history_verify"))
    assert answer.status_code == 302
    return answer["Location"]


def verify(client, twitch, person, account="1001"):
    back = approve_on_twitch(client, ask(client, person), account=account)
    return client.get(back, follow=True)


def test_the_consent_asks_for_the_one_scope_it_needs(client, twitch, moderator):
    address = ask(client, moderator)
    assert address.startswith(f"{twitch.url}/oauth2/authorize?")
    query = parse_qs(urlsplit(address).query)
    assert query["scope"] == ["user:read:moderated_channels"]
    assert query["client_id"] == [twitch.client_id]
    assert query["redirect_uri"] == ["http://testserver/account/twitch/callback/"]


def test_verifying_reads_every_page_and_keeps_no_token(client, twitch, moderator):
    channels_for(twitch, "1001", 130)
    page = verify(client, twitch, moderator)
    assert page.status_code == 200
    history = ModerationHistory.objects.get(user=moderator)
    assert history.status == Status.CHECKED
    assert history.channel_count == 130
    assert ModeratedChannel.objects.filter(history=history).count() == 130
    assert len(twitch.calls(MODS)) == 2
    # Done: the grant is gone here and the token is revoked on Twitch.
    assert not TwitchGrant.objects.exists()
    assert twitch.tokens == {}
    page = client.get(reverse("twitch:account"))
    assert "Verified moderator of 130 channels" in page.content.decode()


def test_saying_no_on_twitch_reads_nothing(client, twitch, moderator):
    back = approve_on_twitch(client, ask(client, moderator), decision="cancel")
    page = client.get(back, follow=True)
    assert "You did not give Modhall the permission" in page.content.decode()
    assert not TwitchGrant.objects.exists()
    assert not ModerationHistory.objects.exists()


def test_an_answer_not_asked_by_this_browser_is_refused(client, twitch, moderator):
    client.force_login(moderator)
    answer = client.get(reverse("twitch:callback"), {"code": "abc", "state": "forged"})
    assert answer.status_code == 400
    assert not TwitchGrant.objects.exists()


def test_without_a_connected_twitch_account_nothing_is_asked(client, twitch):
    person = UserFactory()
    client.force_login(person)
    answer = client.post(reverse("twitch:history_verify"), follow=True)
    assert "Connect your Twitch account first" in answer.content.decode()
    assert not any("authorize" in url for url, _ in answer.redirect_chain)


def test_where_twitch_is_not_set_up_there_is_nothing_to_ask(client, settings):
    settings.TWITCH_LOGIN_ENABLED = False
    client.force_login(UserFactory())
    assert client.post(reverse("twitch:history_verify")).status_code == 404
    assert "not set up" in client.get(reverse("twitch:account")).content.decode()


def grant_for(client, twitch, person, account="1001") -> TwitchGrant:
    """A consent given, its job not yet run (the task is kept from running)."""
    back = approve_on_twitch(client, ask(client, person), account=account)
    from unittest import mock

    with mock.patch("portal.twitch.services.enqueue_on_commit"):
        client.get(back)
    return TwitchGrant.objects.get(user=person)


def test_a_rate_limit_waits_for_the_reset_then_succeeds(client, twitch, moderator):
    channels_for(twitch, "1001", 3)
    grant = grant_for(client, twitch, moderator)
    twitch.rate_limit(MODS, seconds=1.5)
    with pytest.raises(TryLater) as later:
        services.moderation_history_check(grant_id=grant.pk)
    assert 1 <= later.value.seconds <= 3  # the reset time Twitch gave, not a guess
    assert TwitchGrant.objects.filter(pk=grant.pk).exists()  # kept for the next try
    assert ModerationHistory.objects.get(user=moderator).status == Status.CHECKING
    time.sleep(1.6)
    assert services.moderation_history_check(grant_id=grant.pk) == Status.CHECKED
    assert ModerationHistory.objects.get(user=moderator).channel_count == 3


def test_twitch_down_is_tried_again_then_recorded_keeping_the_last(client, twitch, moderator):
    channels_for(twitch, "1001", 2)
    verify(client, twitch, moderator)
    checked_at = ModerationHistory.objects.get(user=moderator).checked_at
    grant = grant_for(client, twitch, moderator)
    twitch.fail(MODS, status=503, times=2)
    with pytest.raises(TryLater) as later:
        services.moderation_history_check(grant_id=grant.pk)
    assert later.value.seconds is None  # the task's backoff decides
    assert services.moderation_history_check(grant_id=grant.pk, last_try=True) == Status.UNAVAILABLE
    history = ModerationHistory.objects.get(user=moderator)
    assert (history.checked_at, history.channel_count) == (checked_at, 2)
    assert not TwitchGrant.objects.exists()
    page = client.get(reverse("twitch:account")).content.decode()
    assert "Twitch did not answer" in page and "Verified moderator of 2 channels" in page


def outbox_due():
    """Time passes: what waits in the outbox for its next try is due, and sent (inline)."""
    OutboxTask.objects.update(not_before=timezone.now())
    outbox_flush()


def test_a_slow_twitch_times_out_and_the_task_tries_again_later(
    client, twitch, moderator, settings
):
    settings.TWITCH_TIMEOUT = 0.2
    channels_for(twitch, "1001", 4)
    twitch.slow(MODS, seconds=1)
    page = verify(client, twitch, moderator)
    assert "asking Twitch now" in page.content.decode()  # the page never waited for Twitch
    assert ModerationHistory.objects.get(user=moderator).status == Status.CHECKING
    waiting = OutboxTask.objects.get()
    assert waiting.task_name == "portal.twitch.check_moderation_history"
    assert 8 <= (waiting.not_before - timezone.now()).total_seconds() <= 11  # first backoff
    outbox_due()
    assert ModerationHistory.objects.get(user=moderator).channel_count == 4
    assert len(twitch.calls(MODS)) == 2


def test_a_429_through_the_task_waits_until_twitchs_reset_time(client, twitch, moderator):
    channels_for(twitch, "1001", 1)
    reset_at = twitch.rate_limit(MODS, seconds=40)
    verify(client, twitch, moderator)
    waiting = OutboxTask.objects.get()
    assert abs(waiting.not_before.timestamp() - reset_at) <= 2
    twitch.faults.clear()  # the reset came
    outbox_due()
    assert ModerationHistory.objects.get(user=moderator).status == Status.CHECKED


def test_a_5xx_then_success_through_the_task(client, twitch, moderator):
    channels_for(twitch, "1001", 1)
    twitch.fail(MODS, status=500)
    verify(client, twitch, moderator)
    outbox_due()
    assert ModerationHistory.objects.get(user=moderator).status == Status.CHECKED


def test_after_the_last_try_the_failure_is_recorded(client, twitch, moderator):
    twitch.fail(MODS, status=503, times=100)
    verify(client, twitch, moderator)
    for _ in range(10):
        outbox_due()
    assert ModerationHistory.objects.get(user=moderator).status == Status.UNAVAILABLE
    assert len(twitch.calls(MODS)) == 6
    assert not TwitchGrant.objects.exists() and not OutboxTask.objects.exists()


def test_a_revoked_permission_asks_to_reconnect_once_clearly(client, twitch, moderator):
    channels_for(twitch, "1001", 2)
    verify(client, twitch, moderator)
    grant = grant_for(client, twitch, moderator)
    # The code is exchanged, then the person disconnects Modhall on Twitch.
    from portal.twitch import jobs

    jobs._token(grant)
    twitch.revoke("1001")
    assert services.moderation_history_check(grant_id=grant.pk) == Status.RECONNECT
    assert not TwitchGrant.objects.exists()
    assert ModerationHistory.objects.get(user=moderator).channel_count == 2  # last result stays
    page = client.get(reverse("twitch:account")).content.decode()
    assert page.count("Twitch no longer accepts the permission") == 1
    # One way on, named for what it is: not "Reconnect" and "Check again" side by side.
    assert page.count(f'action="{reverse("twitch:history_verify")}"') == 1
    assert "Reconnect to Twitch" in page and "Check again with Twitch" not in page


def test_inline_the_revoked_permission_is_told_without_saying_asking_now(client, twitch, moderator):
    """On a laptop the job runs inside the return from Twitch: the page it lands on shows
    the outcome, so the message must not say Modhall is still asking."""
    channels_for(twitch, "1001", 2)
    verify(client, twitch, moderator)
    # Revoked between the exchange and the read: a 401, then the refresh refused too.
    twitch.fail(MODS, status=401, times=2)
    page = verify(client, twitch, moderator).content.decode()
    assert ModerationHistory.objects.get(user=moderator).status == Status.RECONNECT
    assert "asking Twitch now" not in page
    assert "Twitch has answered" in page and "Reconnect to Twitch" in page


def test_inline_a_finished_check_says_twitch_has_answered(client, twitch, moderator):
    channels_for(twitch, "1001", 3)
    page = verify(client, twitch, moderator).content.decode()
    assert "Twitch has answered" in page and "asking Twitch now" not in page
    assert "Verified moderator of 3 channels" in page


def test_an_expired_token_is_refreshed_once(client, twitch, moderator):
    channels_for(twitch, "1001", 2)
    grant = grant_for(client, twitch, moderator)
    from portal.twitch import jobs

    jobs._token(grant)
    twitch.expire("1001")
    assert services.moderation_history_check(grant_id=grant.pk) == Status.CHECKED
    assert twitch.calls("/oauth2/token")[-1]["grant_type"] == ["refresh_token"]


def test_approving_with_another_twitch_account_reads_nothing(client, twitch, moderator):
    twitch.add_user("1999", "someone_else")
    channels_for(twitch, "1999", 2)
    verify(client, twitch, moderator, account="1999")
    history = ModerationHistory.objects.get(user=moderator)
    assert history.status == Status.WRONG_ACCOUNT
    assert not history.channels.exists() and not TwitchGrant.objects.exists()
    assert len(twitch.calls(MODS)) == 0


def test_checking_again_keeps_hidden_choices_and_drops_channels_gone(client, twitch, moderator):
    ids = channels_for(twitch, "1001", 3)
    verify(client, twitch, moderator)
    history = ModerationHistory.objects.get(user=moderator)
    first = history.channels.get(broadcaster_id=ids[0])
    services.moderated_channel_hide(user=moderator, channel_id=first.pk, hidden=True)
    twitch.moderates["1001"] = [ids[0], ids[1]]
    twitch.users[ids[0]]["login"] = "renamed_channel"
    verify(client, twitch, moderator)
    history.refresh_from_db()
    assert history.channel_count == 2
    kept = history.channels.get(broadcaster_id=ids[0])
    assert kept.hidden and kept.broadcaster_login == "renamed_channel"


def test_removing_deletes_the_list_and_any_token(client, twitch, moderator):
    channels_for(twitch, "1001", 2)
    verify(client, twitch, moderator)
    grant_for(client, twitch, moderator)  # a check waiting
    assert client.get(reverse("twitch:history_remove")).status_code == 200
    page = client.post(reverse("twitch:history_remove"), follow=True)
    assert "removed" in page.content.decode()
    assert not ModerationHistory.objects.exists()
    assert not ModeratedChannel.objects.exists()
    assert not TwitchGrant.objects.exists()


def test_bad_choices_are_refused_with_a_reason(client, twitch, moderator):
    client.force_login(moderator)
    answer = client.post(reverse("twitch:history_show"), {"show": "maybe"})
    assert answer.status_code == 400 and b"show=1" in answer.content
    answer = client.post(reverse("twitch:channel_hide", kwargs={"pk": 1}), {"hidden": "x"})
    assert answer.status_code == 400
    answer = client.post(reverse("twitch:channel_hide", kwargs={"pk": 999}), {"hidden": "1"})
    assert answer.status_code == 404


def test_on_a_laptop_a_check_waiting_for_twitch_is_tried_again_without_a_beat(
    client, twitch, moderator
):
    """`make run` has no beat: the development server's own minute (portal/core/laptop_beat.py)
    sends the waiting try, so the page does not say "asking Twitch now" for good."""
    from portal.core import laptop_beat

    channels_for(twitch, "1001", 3)
    twitch.fail(MODS, status=503)
    verify(client, twitch, moderator)
    assert ModerationHistory.objects.get(user=moderator).status == Status.CHECKING
    OutboxTask.objects.update(not_before=timezone.now())  # its backoff has passed
    stop = laptop_beat.start(interval=0.05)
    try:
        deadline = time.monotonic() + 10
        while OutboxTask.objects.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
    history = ModerationHistory.objects.get(user=moderator)
    assert (history.status, history.channel_count) == (Status.CHECKED, 3)
    assert len(twitch.calls(MODS)) == 2
    assert not TwitchGrant.objects.exists()
