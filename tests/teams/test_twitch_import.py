"""A streamer imports their mod team from Twitch, against the stand-in: the two read-only
scopes asked only then, every page of moderators and VIPs, matching by Twitch id (never by
login), offers to those on Modhall, a sign-up link for the others, and only the owner."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse
from django.utils import timezone

from portal.accounts.services import twitch_login_record
from portal.core.models import OutboxTask
from portal.core.outbox import outbox_flush
from portal.teams.models import Level, TwitchImport
from portal.teams.twitch_import import imported_people
from portal.twitch.models import Status, TwitchGrant
from tests.factories import ChannelFactory, UserFactory
from tests.teams.factories import add_member, make_team
from tests.twitch.conftest import approve_on_twitch, connected, running_stand_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def twitch(settings):
    yield from running_stand_in(settings)


@pytest.fixture
def streamer(twitch):
    """The owner of Pixel Harbour, verified (logged in with its Twitch account, id 2001)."""
    owner = connected(twitch, "2001", "pixel_harbour")
    twitch_login_record(user=owner, login="pixel_harbour")
    channel = ChannelFactory(owner=owner, twitch_login="pixel_harbour", slug="pixel-harbour")
    return owner, make_team(channel)


def page(slug="pixel-harbour"):
    return reverse("teams:twitch_import", kwargs={"slug": slug})


def read_from_twitch(client, twitch, owner):
    client.force_login(owner)
    answer = client.post(page(), {"action": "read"})
    assert answer.status_code == 302, answer.content
    return client.get(approve_on_twitch(client, answer["Location"], account="2001"), follow=True)


def test_the_owner_is_asked_for_the_two_read_scopes_only(client, twitch, streamer):
    owner, _ = streamer
    client.force_login(owner)
    answer = client.post(page(), {"action": "read"})
    scope = parse_qs(urlsplit(answer["Location"]).query)["scope"]
    assert scope == ["moderation:read channel:read:vips"]


def test_every_moderator_and_vip_is_read_and_no_token_kept(client, twitch, streamer):
    owner, team = streamer
    for n in range(150):
        twitch.add_user(str(3000 + n), f"mod_{n}")
        twitch.make_moderator(str(3000 + n), "2001")
    twitch.add_user("4000", "a_vip")
    twitch.make_vip("2001", "4000", "3000")  # mod_0 is both
    response = read_from_twitch(client, twitch, owner)
    assert response.status_code == 200
    found = TwitchImport.objects.get(team=team)
    assert found.status == Status.CHECKED and len(found.people) == 151
    both = next(p for p in found.people if p["login"] == "mod_0")
    assert both["moderator"] and both["vip"]
    assert len(twitch.calls("/helix/moderation/moderators")) == 2
    assert not TwitchGrant.objects.exists() and twitch.tokens == {}


def test_people_are_matched_by_twitch_id_never_by_login(client, twitch, streamer):
    owner, team = streamer
    renamed = connected(twitch, "3001", "old_name")
    twitch.users["3001"]["login"] = "new_name"  # renamed on Twitch since connecting
    impostor = UserFactory()
    impostor.profile.twitch_login = "steady_hand"  # typed, not proved
    impostor.profile.save()
    twitch.add_user("3002", "steady_hand")
    twitch.make_moderator("3001", "2001")
    twitch.make_moderator("3002", "2001")
    read_from_twitch(client, twitch, owner)
    people = {p.login: p for p in imported_people(twitch_import=team.twitch_import)}
    assert people["new_name"].user == renamed
    assert people["steady_hand"].user is None


def test_those_on_modhall_are_offered_a_place_the_others_get_a_signup_link(
    client, twitch, streamer
):
    from portal.teams.models import Offer

    owner, team = streamer
    here = connected(twitch, "3001", "night_owl")
    twitch.add_user("3002", "not_here_yet")
    twitch.make_moderator("3001", "2001")
    twitch.make_vip("2001", "3002")
    content = read_from_twitch(client, twitch, owner).content.decode()
    assert "not_here_yet" in content
    assert "/accounts/signup/?next=/board/channels/pixel-harbour/" in content
    answer = client.post(
        page(), {"action": "invite", "people": [str(here.pk)], "level": "trial"}, follow=True
    )
    assert "Offered a place to" in answer.content.decode()
    offer = Offer.objects.get(team=team, user=here)
    assert offer.level == Level.TRIAL
    assert "Offered a place" in client.get(page()).content.decode()


def test_offering_to_nobody_or_at_a_wrong_level_is_refused_with_a_reason(client, twitch, streamer):
    owner, _team = streamer
    here = connected(twitch, "3001", "night_owl")
    twitch.make_moderator("3001", "2001")
    read_from_twitch(client, twitch, owner)
    answer = client.post(page(), {"action": "invite", "level": "moderator"})
    assert answer.status_code == 400 and "Tick at least one" in answer.content.decode()
    answer = client.post(page(), {"action": "invite", "people": [here.pk], "level": "owner"})
    assert answer.status_code == 400 and "trial place" in answer.content.decode()
    assert client.post(page(), {"action": "dance"}).status_code == 400


def test_only_the_owner_may_import_and_only_a_verified_channel(client, twitch, streamer):
    _owner, team = streamer
    lead = add_member(team, level=Level.LEAD).user
    client.force_login(lead)
    assert client.get(page()).status_code == 403
    assert client.post(page(), {"action": "read"}).status_code == 403
    client.force_login(UserFactory())
    assert client.get(page()).status_code == 404
    unverified = make_team(ChannelFactory(slug="quiet-lab"))
    client.force_login(unverified.channel.owner)
    assert "First verify the channel" in client.get(page("quiet-lab")).content.decode()
    assert client.post(page("quiet-lab"), {"action": "read"}).status_code == 403


def test_the_nav_shows_the_import_to_the_owner_only(client, twitch, streamer):
    owner, team = streamer
    member = add_member(team).user
    home = reverse("teams:home", kwargs={"slug": "pixel-harbour"})
    client.force_login(owner)
    assert "Import from Twitch" in client.get(home).content.decode()
    client.force_login(member)
    assert "Import from Twitch" not in client.get(home).content.decode()


def test_a_revoked_permission_asks_to_read_again_and_keeps_the_last_lists(client, twitch, streamer):
    owner, team = streamer
    twitch.add_user("3001", "night_owl")
    twitch.make_moderator("3001", "2001")
    read_from_twitch(client, twitch, owner)
    twitch.fail("/helix/moderation/moderators", status=401)
    twitch.fail("/oauth2/token", status=400)  # and the refresh is refused
    read_from_twitch(client, twitch, owner)
    found = TwitchImport.objects.get(team=team)
    assert found.status == Status.RECONNECT and len(found.people) == 1
    assert "no longer accepts the permission" in client.get(page()).content.decode()


def test_a_rate_limit_waits_for_twitchs_reset_then_reads(client, twitch, streamer):
    owner, team = streamer
    twitch.add_user("3001", "night_owl")
    twitch.make_moderator("3001", "2001")
    reset_at = twitch.rate_limit("/helix/channels/vips", seconds=40)
    read_from_twitch(client, twitch, owner)
    waiting = OutboxTask.objects.get()
    assert waiting.task_name == "portal.teams.import_twitch_team"
    assert abs(waiting.not_before.timestamp() - reset_at) <= 2
    assert TwitchImport.objects.get(team=team).status == Status.CHECKING
    twitch.faults.clear()
    OutboxTask.objects.update(not_before=timezone.now())
    outbox_flush()
    assert TwitchImport.objects.get(team=team).status == Status.CHECKED


def test_the_import_page_costs_the_same_queries_however_long_the_lists(
    client, twitch, streamer, assert_queries
):
    owner, team = streamer
    client.force_login(owner)

    def grow(n, start):
        people = []
        for i in range(start, start + n):
            user = UserFactory()
            SocialAccount.objects.create(user=user, provider="twitch", uid=str(i))
            people.append(
                {"twitch_id": str(i), "login": f"p{i}", "name": "", "moderator": True, "vip": i % 2}
            )
            people.append(
                {"twitch_id": f"x{i}", "login": f"q{i}", "name": "", "moderator": False, "vip": 1}
            )
        found, _ = TwitchImport.objects.get_or_create(team=team)
        found.people = (found.people or []) + people
        found.checked_at = timezone.now()
        found.status = Status.CHECKED
        found.save()

    grow(2, 10000)
    client.get(page())
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(page())
    grow(40, 20000)
    with assert_queries(len(small.captured_queries)):
        assert client.get(page()).status_code == 200
