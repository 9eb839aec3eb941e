"""Joining and shaping a team: offers made, accepted and declined, a lead's direct offer
from the directory (refused alike whatever the reason when a block stands), a member's
place changed, a trial's outcome and the reminder before it ends."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from portal.accounts.models import Block, Role
from portal.teams.models import EventKind, Level, Membership, Offer, OfferStatus, TeamEvent
from portal.teams.services import (
    NOT_OFFERABLE,
    TRIAL_DAYS,
    offer_accept,
    offer_decline,
    offer_make,
    trial_outcome_record,
    trial_reminders_send,
)
from tests.factories import UserFactory
from tests.teams.factories import add_member

pytestmark = pytest.mark.django_db


def home(team) -> str:
    return reverse("teams:home", kwargs={"slug": team.channel.slug})


def test_an_offer_puts_nobody_on_the_team_until_they_accept(crew):
    person = UserFactory()
    roles = list(Role.objects.all()[:2])
    offer = offer_make(team=crew.team, user=person, actor=crew.lead, roles=roles)
    assert not Membership.objects.current().filter(team=crew.team, user=person).exists()
    membership = offer_accept(offer=offer, user=person)
    assert membership.level == Level.MODERATOR
    assert set(membership.roles.all()) == set(roles)
    assert Offer.objects.get(pk=offer.pk).status == OfferStatus.ACCEPTED


def test_a_trial_offer_without_an_end_date_gets_one(crew):
    offer = offer_make(team=crew.team, user=UserFactory(), actor=crew.owner, level=Level.TRIAL)
    assert offer.trial_ends_on == timezone.localdate() + timedelta(days=TRIAL_DAYS)
    membership = offer_accept(offer=offer, user=offer.user)
    assert membership.level == Level.TRIAL and membership.trial_ends_on == offer.trial_ends_on


def test_a_trial_accepted_late_keeps_the_length_the_lead_gave_it(client, crew, time_machine):
    """An offer waits two weeks for its answer, so a trial end day chosen two weeks ahead
    could be reached before the person says yes: the trial is counted from the acceptance
    instead, as long as the lead made it, and the offer's page says so before they answer."""
    person = UserFactory()
    offered = timezone.localdate() + timedelta(days=14)
    offer = offer_make(
        team=crew.team, user=person, actor=crew.lead, level=Level.TRIAL, trial_ends_on=offered
    )
    client.force_login(person)
    page = client.get(offer.get_absolute_url()).text
    assert f"until {offered:%-d %b %Y}" in page and "counted from the day you accept" not in page

    time_machine.move_to(timezone.now() + timedelta(days=12), tick=False)
    moved = timezone.localdate() + timedelta(days=14)
    page = client.get(offer.get_absolute_url()).text
    assert f"until {moved:%-d %b %Y}" in page
    assert "counted from the day you accept" in page and f"{offered:%-d %b %Y}" in page
    assert f"until {moved:%-d %b %Y}" in client.get(reverse("teams:mine")).text

    client.post(offer.get_absolute_url(), {"answer": "accept"})
    membership = Membership.objects.get(team=crew.team, user=person)
    assert membership.level == Level.TRIAL and membership.trial_ends_on == moved


def test_a_trial_accepted_the_day_it_is_offered_ends_on_the_day_chosen(crew):
    ends = timezone.localdate() + timedelta(days=5)
    offer = offer_make(
        team=crew.team, user=UserFactory(), actor=crew.lead, level=Level.TRIAL, trial_ends_on=ends
    )
    assert offer_accept(offer=offer, user=offer.user).trial_ends_on == ends


def test_a_second_offer_to_the_same_person_changes_the_first(crew):
    person = UserFactory()
    first = offer_make(team=crew.team, user=person, actor=crew.lead)
    second = offer_make(team=crew.team, user=person, actor=crew.lead, level=Level.LEAD)
    assert first.pk == second.pk
    assert Offer.objects.open().get(team=crew.team, user=person).level == Level.LEAD


def test_accepting_an_offer_read_before_the_lead_changed_it_takes_the_changed_offer(crew):
    """The person's page was read, then a lead changed the offer: the place taken is the
    offer as it now stands, its level with its trial, never the old level with the new
    trial or the other way round."""
    person = UserFactory()
    read_earlier = offer_make(team=crew.team, user=person, actor=crew.lead)
    offer_make(team=crew.team, user=person, actor=crew.lead, level=Level.TRIAL)
    membership = offer_accept(offer=read_earlier, user=person)
    assert membership.level == Level.TRIAL
    assert membership.trial_ends_on == timezone.localdate() + timedelta(days=TRIAL_DAYS)


def test_the_offer_email_says_the_trial_counts_from_the_acceptance(
    crew, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        offer_make(team=crew.team, user=UserFactory(), actor=crew.lead, level=Level.TRIAL)
    ends = timezone.localdate() + timedelta(days=TRIAL_DAYS)
    (email,) = [m for m in mailoutbox if "offers you a place" in m.subject]
    body = email.body
    assert f"a trial of {TRIAL_DAYS} days counted from the day you accept" in body
    assert f"until {ends:%-d %b %Y} if you accept today" in body


def test_the_leads_list_of_offers_gives_a_trials_length_from_the_acceptance(client, crew):
    person = UserFactory()
    offer_make(team=crew.team, user=person, actor=crew.lead, level=Level.TRIAL)
    client.force_login(crew.lead)
    page = client.get(home(crew.team)).text
    listed = f"{person.display_name}: Trial moderator for {TRIAL_DAYS} days from when they accept"
    assert listed in page
    # The team's "Lately" says the same, not an end date that holds only if they accept today.
    told = f"was offered a place as Trial moderator for {TRIAL_DAYS} days from when they accept."
    assert told in page


@pytest.mark.parametrize("who", ["member", "trial", "removed", "outsider"])
def test_only_the_owner_and_leads_make_offers(crew, who):
    with pytest.raises(ValidationError):
        offer_make(team=crew.team, user=UserFactory(), actor=getattr(crew, who))


def test_a_current_member_or_the_owner_is_not_offered_a_place(crew):
    with pytest.raises(ValidationError, match="already on the team"):
        offer_make(team=crew.team, user=crew.member, actor=crew.lead)
    with pytest.raises(ValidationError):
        offer_make(team=crew.team, user=crew.owner, actor=crew.lead)


def test_a_removed_member_can_be_offered_a_place_again(crew):
    offer = offer_make(team=crew.team, user=crew.removed, actor=crew.lead)
    offer_accept(offer=offer, user=crew.removed)
    assert Membership.objects.current().filter(team=crew.team, user=crew.removed).exists()


@pytest.mark.parametrize("blocker", ["lead", "person", "owner"])
def test_a_block_either_way_refuses_the_offer_without_saying_so(client, crew, blocker):
    person = UserFactory()
    pairs = {
        "lead": (crew.lead, person),
        "person": (person, crew.lead),
        "owner": (crew.owner, person),
    }
    a, b = pairs[blocker]
    Block.objects.create(blocker=a, blocked=b)
    client.force_login(crew.lead)
    url = reverse("teams:invite", kwargs={"slug": crew.channel.slug})
    page = client.post(url, {"username": person.username, "level": "moderator"})
    assert page.status_code == 400
    assert NOT_OFFERABLE in page.text and "block" not in page.text.lower().split("<main")[-1]
    assert not Offer.objects.filter(user=person).exists()


def test_a_lead_offers_a_place_from_the_directory_and_the_person_is_emailed(
    client, crew, mailoutbox, django_capture_on_commit_callbacks
):
    person = UserFactory()
    client.force_login(crew.lead)
    url = reverse("teams:invite", kwargs={"slug": crew.channel.slug})
    assert person.username in client.get(url, {"username": person.username}).text
    ends = timezone.localdate() + timedelta(days=10)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(
            url, {"username": person.username, "level": "trial", "trial_ends_on": ends}
        )
    assert page.status_code == 302
    offer = Offer.objects.get(user=person)
    assert offer.level == Level.TRIAL and offer.trial_ends_on == ends
    assert [m.to[0] for m in mailoutbox if "offers you a place" in m.subject] == [person.email]
    assert offer.get_absolute_url() in mailoutbox[-1].body
    # The leads see it waiting; a plain member does not.
    assert person.display_name in client.get(home(crew.team)).text.split("Members")[0]
    client.force_login(crew.member)
    assert "Offers waiting for an answer" not in client.get(home(crew.team)).text


def test_a_trial_offer_asks_for_its_end_date(client, crew):
    client.force_login(crew.lead)
    url = reverse("teams:invite", kwargs={"slug": crew.channel.slug})
    page = client.post(url, {"username": UserFactory().username, "level": "trial"})
    assert page.status_code == 400 and "A trial needs the day it ends." in page.text


def test_a_member_cannot_offer_places(client, crew):
    client.force_login(crew.member)
    url = reverse("teams:invite", kwargs={"slug": crew.channel.slug})
    page = client.post(url, {"username": UserFactory().username, "level": "moderator"})
    assert page.status_code == 403


def test_the_person_sees_the_offer_in_my_teams_and_accepts_it(client, crew):
    person = UserFactory()
    offer = offer_make(team=crew.team, user=person, actor=crew.lead)
    client.force_login(person)
    mine = client.get(reverse("teams:mine")).text
    assert crew.channel.name in mine and offer.get_absolute_url() in mine
    page = client.get(offer.get_absolute_url())
    assert "on the tracks they assign only" in page.text
    page = client.post(offer.get_absolute_url(), {"answer": "accept"})
    assert page.status_code == 302 and page["Location"] == home(crew.team)
    assert client.get(home(crew.team)).status_code == 200
    assert offer.get_absolute_url() not in client.get(reverse("teams:mine")).text


def test_the_person_declines_and_the_leads_are_told(client, crew):
    person = UserFactory()
    offer = offer_make(team=crew.team, user=person, actor=crew.lead)
    client.force_login(person)
    assert client.post(offer.get_absolute_url(), {"answer": "decline"}).status_code == 302
    assert Offer.objects.get(pk=offer.pk).status == OfferStatus.DECLINED
    assert client.get(home(crew.team)).status_code == 404
    client.force_login(crew.lead)
    assert "declined the offer" in client.get(home(crew.team)).text


def test_an_offer_is_answered_once(crew):
    person = UserFactory()
    offer = offer_make(team=crew.team, user=person, actor=crew.lead)
    offer_decline(offer=offer, user=person)
    with pytest.raises(ValidationError):
        offer_accept(offer=offer, user=person)


@pytest.mark.parametrize("who", ["owner", "lead", "member", "outsider", "staff"])
def test_nobody_but_the_person_sees_their_offer(client, crew, who):
    offer = offer_make(team=crew.team, user=UserFactory(), actor=crew.lead)
    client.force_login(getattr(crew, who))
    assert client.get(offer.get_absolute_url()).status_code == 404
    assert client.post(offer.get_absolute_url(), {"answer": "accept"}).status_code == 404


def test_a_tampered_answer_is_a_400(client, crew):
    person = UserFactory()
    offer = offer_make(team=crew.team, user=person, actor=crew.lead)
    client.force_login(person)
    assert client.post(offer.get_absolute_url(), {"answer": "maybe"}).status_code == 400
    assert Offer.objects.get(pk=offer.pk).is_open


def test_a_lead_withdraws_an_offer(client, crew):
    person = UserFactory()
    offer = offer_make(team=crew.team, user=person, actor=crew.owner)
    client.force_login(crew.lead)
    url = reverse("teams:offer_withdraw", kwargs={"slug": crew.channel.slug, "offer_id": offer.pk})
    assert client.post(url).status_code == 302
    assert Offer.objects.get(pk=offer.pk).status == OfferStatus.WITHDRAWN
    client.force_login(person)
    assert client.get(offer.get_absolute_url()).status_code == 404


def test_a_lead_changes_a_members_level_and_roles(client, crew):
    target = Membership.objects.get(team=crew.team, user=crew.member)
    role = Role.objects.first()
    client.force_login(crew.lead)
    url = reverse("teams:member_edit", kwargs={"slug": crew.channel.slug, "member_id": target.pk})
    assert client.get(url).status_code == 200
    page = client.post(url, {"level": "lead", "roles": [role.pk]})
    assert page.status_code == 302
    target.refresh_from_db()
    assert target.level == Level.LEAD and list(target.roles.all()) == [role]
    assert f"{crew.member.display_name} is now Lead moderator." in client.get(home(crew.team)).text
    # Recorded as a change of place, not as joining the team again.
    assert TeamEvent.objects.filter(team=crew.team).latest("pk").kind == EventKind.PLACE_CHANGED


def test_nobody_makes_themselves_owner_nor_changes_the_owner(client, crew):
    owner = Membership.objects.get(team=crew.team, user=crew.owner)
    client.force_login(crew.lead)
    url = reverse("teams:member_edit", kwargs={"slug": crew.channel.slug, "member_id": owner.pk})
    assert client.post(url, {"level": "moderator"}).status_code == 404
    target = Membership.objects.get(team=crew.team, user=crew.member)
    url = reverse("teams:member_edit", kwargs={"slug": crew.channel.slug, "member_id": target.pk})
    assert client.post(url, {"level": "owner"}).status_code == 400
    assert Membership.objects.get(pk=target.pk).level == Level.MODERATOR


def test_a_lead_keeps_a_trial_member(client, crew):
    target = Membership.objects.get(team=crew.team, user=crew.trial)
    client.force_login(crew.lead)
    url = reverse("teams:trial", kwargs={"slug": crew.channel.slug, "member_id": target.pk})
    assert client.post(url, {"outcome": "keep"}).status_code == 302
    target.refresh_from_db()
    assert target.level == Level.MODERATOR and target.trial_ends_on is None
    client.force_login(crew.trial)
    assert "stay on the team as Moderator" in client.get(home(crew.team)).text


def test_a_lead_ends_a_trial_and_the_access_ends_at_once(client, crew):
    target = Membership.objects.get(team=crew.team, user=crew.trial)
    client.force_login(crew.owner)
    url = reverse("teams:trial", kwargs={"slug": crew.channel.slug, "member_id": target.pk})
    assert client.post(url, {"outcome": "end"}).status_code == 302
    client.force_login(crew.trial)
    assert client.get(home(crew.team)).status_code == 404


def test_the_trial_page_is_only_for_trial_members(client, crew):
    target = Membership.objects.get(team=crew.team, user=crew.member)
    client.force_login(crew.lead)
    url = reverse("teams:trial", kwargs={"slug": crew.channel.slug, "member_id": target.pk})
    assert client.get(url).status_code == 404


def test_leads_are_reminded_once_before_a_trial_ends(
    crew, mailoutbox, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    soon = add_member(crew.team, level=Level.TRIAL, trial_ends_on=today + timedelta(days=2))
    add_member(crew.team, level=Level.TRIAL, trial_ends_on=today + timedelta(days=9))
    with django_capture_on_commit_callbacks(execute=True):
        assert trial_reminders_send(today=today) == 1
    assert trial_reminders_send(today=today) == 0
    assert trial_reminders_send(today=today + timedelta(days=1)) == 0
    event = TeamEvent.objects.get(kind="trial_ending")
    assert soon.user.display_name in event.summary and event.leads_only
    told = {m.to[0] for m in mailoutbox if "trial ends" in m.subject}
    assert told == {crew.owner.email, crew.lead.email}
    # Extended, it is reminded again before its new end.
    Membership.objects.filter(pk=soon.pk).update(trial_ends_on=today + timedelta(days=3))
    assert trial_reminders_send(today=today + timedelta(days=1)) == 1


def test_leads_see_trials_ending_on_the_team_page(client, crew):
    today = timezone.localdate()
    Membership.objects.filter(team=crew.team, user=crew.trial).update(
        trial_ends_on=today + timedelta(days=3)
    )
    client.force_login(crew.lead)
    assert "Trials ending" in client.get(home(crew.team)).text
    client.force_login(crew.member)
    assert "Trials ending" not in client.get(home(crew.team)).text


def test_the_boards_trial_and_accept_moves_offer_the_applicant_a_place(crew):
    from portal.board.services import application_move
    from tests.board.factories import ApplicationFactory, OpeningFactory

    application = ApplicationFactory(opening=OpeningFactory(channel=crew.channel))
    applicant = application.applicant
    application_move(application=application, actor=crew.owner, to_status="trial")
    offer = Offer.objects.open().get(team=crew.team, user=applicant)
    assert offer.level == Level.TRIAL and offer.application == application
    assert offer.trial_ends_on == timezone.localdate() + timedelta(days=TRIAL_DAYS)
    offer_accept(offer=offer, user=applicant)
    # Accepted after the trial: kept on as a moderator, no second offer.
    application_move(application=application, actor=crew.owner, to_status="accepted")
    membership = Membership.objects.get(team=crew.team, user=applicant)
    assert membership.level == Level.MODERATOR and membership.trial_ends_on is None
    assert not Offer.objects.open().filter(user=applicant).exists()


def _on_trial_from_the_board(crew):
    """An applicant the owner moved to trial on the board, who accepted the trial place."""
    from portal.board.services import application_move
    from tests.board.factories import ApplicationFactory, OpeningFactory

    application = ApplicationFactory(opening=OpeningFactory(channel=crew.channel))
    application_move(application=application, actor=crew.owner, to_status="trial")
    offer_accept(
        offer=Offer.objects.open().get(user=application.applicant), user=application.applicant
    )
    return application, Membership.objects.get(team=crew.team, user=application.applicant)


@pytest.mark.parametrize(("outcome", "status"), [("keep", "accepted"), ("end", "declined")])
def test_a_trials_outcome_closes_the_board_application_that_began_it(
    client, crew, mailoutbox, django_capture_on_commit_callbacks, outcome, status
):
    application, membership = _on_trial_from_the_board(crew)
    client.force_login(crew.lead)
    url = reverse("teams:trial", kwargs={"slug": crew.channel.slug, "member_id": membership.pk})
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"outcome": outcome}).status_code == 302
    application.refresh_from_db()
    assert application.status == status
    step = application.events.order_by("-pk").first()
    assert (step.from_status, step.to_status, step.actor) == ("trial", status, crew.lead)
    told = [m for m in mailoutbox if m.to == [application.applicant.email]]
    assert any(m.subject.endswith(status) for m in told)
    # No second offer, and the kept member stays a moderator.
    assert not Offer.objects.open().filter(user=application.applicant).exists()
    if outcome == "keep":
        assert Membership.objects.current().get(pk=membership.pk).level == Level.MODERATOR


def test_a_trial_the_owner_already_decided_on_the_board_is_left_as_it_is(crew):
    from portal.board.services import application_move

    application, membership = _on_trial_from_the_board(crew)
    application_move(application=application, actor=crew.owner, to_status="declined")
    events = application.events.count()
    # Declined on the board, still on trial in the team (the owner did not end it there).
    trial_outcome_record(membership=membership, actor=crew.lead, outcome="keep")
    application.refresh_from_db()
    assert application.status == "declined" and application.events.count() == events


def test_accepting_an_application_straight_away_offers_a_moderators_place(crew):
    from portal.board.services import application_move
    from tests.board.factories import ApplicationFactory, OpeningFactory

    application = ApplicationFactory(opening=OpeningFactory(channel=crew.channel))
    application_move(application=application, actor=crew.owner, to_status="accepted")
    offer = Offer.objects.open().get(user=application.applicant)
    assert offer.level == Level.MODERATOR
    assert set(offer.roles.all()) == set(application.opening.roles.all())


def test_a_refused_offer_leaves_the_boards_move_standing(crew):
    from portal.board.models import ApplicationStatus
    from portal.board.services import application_move
    from tests.board.factories import ApplicationFactory, OpeningFactory

    application = ApplicationFactory(opening=OpeningFactory(channel=crew.channel))
    Block.objects.create(blocker=application.applicant, blocked=crew.owner)
    application_move(application=application, actor=crew.owner, to_status="accepted")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED
    assert not Offer.objects.filter(user=application.applicant).exists()


def test_the_directory_offers_a_leads_teams_places(client, crew):
    person = UserFactory()
    profile = person.profile
    profile.open_to_moderating = profile.is_public = True
    profile.save()
    client.force_login(crew.lead)
    page = client.get(reverse("board:moderators")).text
    link = reverse("teams:invite", kwargs={"slug": crew.channel.slug})
    assert f"{link}?username={person.username}" in page
    client.force_login(crew.member)
    assert link not in client.get(reverse("board:moderators")).text
