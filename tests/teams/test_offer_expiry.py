"""An offer of a place waits OFFER_DAYS (two weeks) for its answer: its page and its email say
until when; accepting it later is refused with the reason, never a 500; the hourly job marks
it expired, and the lists of offers waiting for an answer leave it out."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from portal.celery import app
from portal.teams.models import OFFER_DAYS, Membership, Offer, OfferStatus, Team
from portal.teams.services import offer_accept, offer_decline, offer_make, offers_expire
from portal.teams.tasks import expire_offers
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def home(team) -> str:
    return reverse("teams:home", kwargs={"slug": team.channel.slug})


def on_team(team, person) -> bool:
    return Membership.objects.current().filter(team=team, user=person).exists()


def test_an_offer_waits_two_weeks_and_its_page_and_email_say_until_when(
    client, crew, mailoutbox, django_capture_on_commit_callbacks
):
    assert OFFER_DAYS == 14
    person = UserFactory()
    person.profile.timezone = "Europe/Berlin"
    person.profile.save()
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        offer = offer_make(team=crew.team, user=person, actor=crew.lead)
    assert before + timedelta(days=14) <= offer.expires_at <= timezone.now() + timedelta(days=14)
    local = offer.expires_at.astimezone(ZoneInfo("Europe/Berlin"))
    shown = f"{local:%A} {local.day} {local:%B %Y, %H:%M} (Europe/Berlin)"
    (email,) = [m for m in mailoutbox if "offers you a place" in m.subject]
    assert f"by {shown}, when it expires" in email.body

    client.force_login(person)
    page = client.get(offer.get_absolute_url()).text
    assert "Answer by" in page and shown in page
    assert "Accept and join the team" in page
    assert f"answer by {local:%-d %b %Y}" in client.get(reverse("teams:mine")).text


def test_lists_of_offers_give_the_days_in_the_readers_timezone(client, crew):
    """An offer that expires at 23:30 UTC expires on the next day in Berlin: the person's list
    of offers and the leads' list give that day, as the offer's own page does. Before, both
    lists said the UTC day, so the suite failed when it ran in the hour before midnight UTC."""
    person = UserFactory()
    person.profile.timezone = "Europe/Berlin"
    person.profile.save()
    crew.lead.profile.timezone = "Europe/Berlin"
    crew.lead.profile.save()
    offer = offer_make(team=crew.team, user=person, actor=crew.lead)
    late = (timezone.now() + timedelta(days=10)).replace(hour=23, minute=30, tzinfo=ZoneInfo("UTC"))
    Offer.objects.filter(pk=offer.pk).update(expires_at=late, created_at=late - timedelta(days=14))
    next_day = late + timedelta(days=1)

    client.force_login(person)
    mine = client.get(reverse("teams:mine")).text
    assert f"answer by {next_day:%-d %b %Y}" in mine
    assert f"offered {next_day - timedelta(days=14):%-d %b %Y}" in mine
    client.force_login(crew.lead)
    leads = client.get(home(crew.team)).text
    assert f"open until {next_day:%-d %b %Y}" in leads


def test_an_offer_is_accepted_until_it_expires(crew, time_machine):
    person = UserFactory()
    offer = offer_make(team=crew.team, user=person, actor=crew.lead)
    time_machine.move_to(offer.expires_at - timedelta(minutes=1), tick=False)
    offer_accept(offer=offer, user=person)
    assert on_team(crew.team, person)
    assert Offer.objects.get(pk=offer.pk).status == OfferStatus.ACCEPTED


def test_an_expired_offer_is_refused_with_the_reason_and_joins_nobody(client, crew, time_machine):
    person = UserFactory()
    offer = offer_make(team=crew.team, user=person, actor=crew.lead)
    # Past its expiry, before the hourly job has marked it: still refused.
    time_machine.move_to(offer.expires_at + timedelta(minutes=1), tick=False)
    with pytest.raises(ValidationError, match="This offer expired on") as refused:
        offer_accept(offer=offer, user=person)
    assert refused.value.code == "expired"
    with pytest.raises(ValidationError, match="expired"):
        offer_decline(offer=offer, user=person)

    client.force_login(person)
    response = client.post(offer.get_absolute_url(), {"answer": "accept"}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [(offer.get_absolute_url(), 302)]
    page = response.text
    assert "This offer expired on" in page and "offer you the place again" in page
    assert "This offer expired unanswered" in page and "Expired on" in page
    assert "Accept and join the team" not in page
    assert not on_team(crew.team, person)
    assert Offer.objects.get(pk=offer.pk).status == OfferStatus.OPEN  # the job marks it
    # No longer waiting for an answer: not in the person's list nor the leads'.
    assert offer.get_absolute_url() not in client.get(reverse("teams:mine")).text
    client.force_login(crew.lead)
    assert "Offers waiting for an answer" not in client.get(home(crew.team)).text


def test_the_hourly_job_marks_open_offers_past_their_expiry_expired_once(
    client, crew, time_machine
):
    stale, fresh, answered = UserFactory(), UserFactory(), UserFactory()
    old = offer_make(team=crew.team, user=stale, actor=crew.lead)
    declined = offer_make(team=crew.team, user=answered, actor=crew.lead)
    offer_decline(offer=declined, user=answered)
    time_machine.move_to(timezone.now() + timedelta(days=10), tick=False)
    new = offer_make(team=crew.team, user=fresh, actor=crew.lead)
    time_machine.move_to(timezone.now() + timedelta(days=5), tick=False)
    version = Team.objects.get(pk=crew.team.pk).version

    assert expire_offers.apply().get() == 1
    assert Offer.objects.get(pk=old.pk).status == OfferStatus.EXPIRED
    assert Offer.objects.get(pk=new.pk).status == OfferStatus.OPEN
    assert Offer.objects.get(pk=declined.pk).status == OfferStatus.DECLINED
    assert Team.objects.get(pk=crew.team.pk).version == version + 1
    assert offers_expire() == 0  # a second run finds nothing

    # The email's link still leads to the offer, which says it expired.
    client.force_login(stale)
    page = client.get(old.get_absolute_url())
    assert page.status_code == 200 and "This offer expired unanswered" in page.text
    client.post(old.get_absolute_url(), {"answer": "accept"})
    assert not on_team(crew.team, stale)
    # The leads can offer the place again: a new offer, open for two weeks more.
    again = offer_make(team=crew.team, user=stale, actor=crew.lead)
    assert again.pk != old.pk and again.is_open and not again.has_expired
    offer_accept(offer=again, user=stale)
    assert on_team(crew.team, stale)


def test_an_offer_changed_before_the_job_runs_waits_two_weeks_again(crew, time_machine):
    person = UserFactory()
    first = offer_make(team=crew.team, user=person, actor=crew.lead)
    time_machine.move_to(first.expires_at + timedelta(hours=1), tick=False)
    second = offer_make(team=crew.team, user=person, actor=crew.lead)
    assert second.pk == first.pk and second.expires_at > timezone.now() + timedelta(days=13)
    offer_accept(offer=second, user=person)
    assert on_team(crew.team, person)


def test_the_expiry_job_is_on_the_beat_schedule():
    tasks = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert "portal.teams.tasks.expire_offers" in tasks
