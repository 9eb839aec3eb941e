"""Find moderators: public profiles of people open to moderating, filtered; invitations."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.accounts.models import Language, Profile, Role
from portal.board import rules
from portal.board.models import Invitation
from portal.core.schedule import parse_windows
from portal.guides.models import Badge, Track
from tests.board.conftest import set_availability, settled
from tests.board.factories import ApplicationFactory, InvitationFactory, OpeningFactory

pytestmark = pytest.mark.django_db


def open_to_moderating(username: str, *, public: bool = True, roles=(), languages=()):
    person = settled(username=username)
    profile = person.profile
    profile.open_to_moderating = True
    profile.is_public = public
    profile.save()
    profile.roles.set(Role.objects.filter(slug__in=roles))
    profile.languages.set(Language.objects.filter(code__in=languages))
    return person


def names(response) -> list[str]:
    return sorted(card["profile"].user.username for card in response.context["cards"])


def directory(client, **params):
    return client.get(reverse("board:moderators"), params)


def test_only_public_people_open_to_moderating_are_listed(client):
    open_to_moderating("listed")
    open_to_moderating("private", public=False)
    settled(username="not_looking")
    assert names(directory(client)) == ["listed"]


def test_search_finds_people_by_name_bio_twitch_login_or_username(client):
    alex = open_to_moderating("alex_m")
    Profile.objects.filter(user=alex).update(
        display_name="Alex", bio="Calm TIMEOUTS, never bans", twitch_login="alexmods"
    )
    open_to_moderating("sam_k")
    client.force_login(settled(username="reader"))
    assert names(directory(client, q="timeout")) == ["alex_m"]
    assert names(directory(client, q="alexmods")) == ["alex_m"]
    assert names(directory(client, q="sam")) == ["sam_k"]
    Profile.objects.filter(user=alex).update(bio="Raids and hosts")
    assert names(directory(client, q="timeout")) == []
    assert names(directory(client, q="raid")) == ["alex_m"]


def test_filter_by_role_language_and_guide_badge(client):
    open_to_moderating("host", roles=["community-host"], languages=["es"])
    enforcer = open_to_moderating("enforcer", roles=["chat-enforcer"], languages=["en"])
    track, _ = Track.objects.get_or_create(
        slug="chat-enforcer", defaults={"title": "Chat Enforcer", "summary": "s", "audience": "a"}
    )
    Badge.objects.create(user=enforcer, track=track)
    assert names(directory(client, role="community-host")) == ["host"]
    assert names(directory(client, language="en")) == ["enforcer"]
    response = directory(client, badge="chat-enforcer")
    assert names(response) == ["enforcer"]
    assert f"{track.title} guide" in response.content.decode()


def test_filter_by_overlap_with_my_hours_or_with_my_openings_schedule(client, channel, streamer):
    night_owl = open_to_moderating("night_owl")
    set_availability(night_owl, "Fri 22:00-24:00", tz="Europe/London")
    early_bird = open_to_moderating("early_bird")
    set_availability(early_bird, "Mon 06:00-08:00", tz="Asia/Tokyo")
    opening = OpeningFactory(
        channel=channel,
        timezone="Europe/London",
        schedule=[w.as_json() for w in parse_windows("Fri 23:00-24:00")],
    )
    set_availability(streamer, "Mon 06:30-07:00", tz="Asia/Tokyo")
    client.force_login(streamer)
    assert names(directory(client, around=str(opening.pk))) == ["night_owl"]
    assert names(directory(client, around="me")) == ["early_bird"]


def test_someone_elses_opening_is_not_a_filter_choice(client, streamer, channel):
    open_to_moderating("anyone")
    theirs = OpeningFactory(schedule=[w.as_json() for w in parse_windows("Mon 10:00-11:00")])
    client.force_login(streamer)
    response = directory(client, around=str(theirs.pk))
    assert "Select a valid choice" in response.content.decode()
    assert names(response) == ["anyone"]


def test_an_empty_directory_says_so(client):
    assert "No moderator matches these filters yet" in directory(client).content.decode()


def test_owners_with_an_open_opening_see_invite_buttons(client, streamer, opening):
    open_to_moderating("candidate")
    assert "Invite to apply" not in directory(client).content.decode()
    client.force_login(streamer)
    assert "Invite to apply" in directory(client).content.decode()


# --- Invitations ---------------------------------------------------------------------------


def invite(client, username, opening, message=""):
    return client.post(
        reverse("board:invite", kwargs={"username": username}),
        {"opening": str(opening.pk), "message": message},
    )


def test_an_owner_invites_a_moderator_to_apply(client, streamer, opening):
    candidate = open_to_moderating("candidate")
    client.force_login(streamer)
    response = invite(client, "candidate", opening, "Your bio made us smile.")
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.invitee, invitation.invited_by, invitation.message) == (
        candidate,
        streamer,
        "Your bio made us smile.",
    )


def test_one_invitation_per_person_and_opening_said_beside_the_field(client, streamer, opening):
    candidate = open_to_moderating("candidate")
    InvitationFactory(opening=opening, invitee=candidate)
    client.force_login(streamer)
    response = invite(client, "candidate", opening)
    assert response.status_code == 400
    assert "already invited" in response.content.decode()
    assert Invitation.objects.count() == 1


def test_no_invitation_to_someone_who_already_applied(client, streamer, opening):
    candidate = open_to_moderating("candidate")
    ApplicationFactory(opening=opening, applicant=candidate)
    client.force_login(streamer)
    assert "has already applied" in invite(client, "candidate", opening).content.decode()


def test_invitations_are_limited_per_day(client, streamer, opening):
    for i in range(rules.INVITATIONS.regular):
        InvitationFactory(opening=opening, invitee=settled(username=f"invited{i}"))
    open_to_moderating("one_too_many")
    client.force_login(streamer)
    response = invite(client, "one_too_many", opening)
    assert response.status_code == 429
    assert "the limit is 20 invitations a day" in response.content.decode()


def test_new_accounts_send_fewer_invitations(client):
    from tests.factories import ChannelFactory, UserFactory

    newcomer = UserFactory()
    opening = OpeningFactory(channel=ChannelFactory(owner=newcomer))
    for i in range(rules.INVITATIONS.new_account):
        InvitationFactory(opening=opening, invitee=settled(username=f"invited{i}"))
    open_to_moderating("candidate")
    client.force_login(newcomer)
    assert invite(client, "candidate", opening).status_code == 429


def test_no_inviting_people_who_are_not_open_to_it(client, streamer, opening):
    open_to_moderating("private", public=False)
    settled(username="busy")
    client.force_login(streamer)
    assert invite(client, "private", opening).status_code == 404
    assert invite(client, "busy", opening).status_code == 404
    assert not Invitation.objects.exists()


def test_no_inviting_to_someone_elses_opening(client, streamer, opening):
    open_to_moderating("candidate")
    theirs = OpeningFactory()
    client.force_login(streamer)
    response = invite(client, "candidate", theirs)
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Invitation.objects.exists()


def test_without_the_guides_badges_the_pages_still_work(client, monkeypatch, streamer, opening):
    """The badges come from the guides app; if it has none (not built yet, or removed), the
    review page shows none and the directory offers no badge filter, instead of failing."""
    from portal.board.selectors import moderators

    monkeypatch.setattr(moderators, "_badge_model", lambda: None)
    ApplicationFactory(opening=opening, applicant=open_to_moderating("candidate"))
    response = directory(client, badge="chat-enforcer")
    assert names(response) == ["candidate"]
    assert 'name="badge"' not in response.content.decode()
    client.force_login(streamer)
    review = client.get(reverse("board:review", kwargs={"pk": opening.pk}))
    assert review.status_code == 200
    assert "Guide badges" not in review.content.decode()  # the table drops the column
