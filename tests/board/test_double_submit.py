"""A report, an application, an invitation or a channel's registration sent several times at
once (a double click, an impatient retry) makes one row; every other copy is told it is
already done, never a 500.

Five identical reports sent at once used to give three 500s: each request checked there was
no report yet, and all but the first then broke the one-report-per-person constraint.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from portal.board.models import Application, Channel, Invitation, OpeningReport
from tests.at_once import Browser, post_at_once, postgresql_only, statuses
from tests.board.test_channels import channel_data
from tests.board.test_moderators import open_to_moderating

pytestmark = [pytest.mark.django_db(transaction=True), postgresql_only]


def test_five_reports_at_once_make_one_and_each_is_told_so(live_server, opening, moderator):
    url = reverse("board:report", kwargs={"pk": opening.pk})
    form = {"reason": "credentials", "details": "Asks for the stream key in DMs."}
    answers = post_at_once(Browser(live_server, moderator), url, form)
    assert statuses(answers) == [302] * 5
    assert {a.location for a in answers} == {opening.get_absolute_url()}
    told = sorted(
        "Thank you: staff will look" in a.page or "already reported this opening" in a.page
        for a in answers
    )
    assert told == [True] * 5
    assert sum("Thank you: staff will look" in a.page for a in answers) == 1
    assert OpeningReport.objects.filter(opening=opening, reporter=moderator).count() == 1


def test_five_applications_at_once_make_one_and_lead_to_it(live_server, opening, moderator):
    url = reverse("board:apply", kwargs={"pk": opening.pk})
    answers = post_at_once(Browser(live_server, moderator), url, {"message": "Evenings, UTC."})
    application = Application.objects.get(opening=opening, applicant=moderator)
    assert statuses(answers) == [302] * 5
    assert {a.location for a in answers} == {application.get_absolute_url()}
    assert sum("Your application is sent" in a.page for a in answers) == 1
    assert sum("You have already applied" in a.page for a in answers) == 4
    assert application.events.count() == 1
    # The owner hears about it once.
    assert [m.to for m in mail.outbox] == [[opening.channel.owner.email]]


def test_five_invitations_at_once_make_one_and_are_said_beside_the_opening(
    live_server, streamer, opening
):
    candidate = open_to_moderating("candidate")
    url = reverse("board:invite", kwargs={"username": candidate.username})
    answers = post_at_once(
        Browser(live_server, streamer), url, {"opening": str(opening.pk), "message": "Hi!"}
    )
    assert statuses(answers) == [302] + [400] * 4
    assert sum("We emailed" in a.page for a in answers) == 1
    refused = [a.page for a in answers if a.status == 400]
    assert all("You have already invited" in page for page in refused)
    assert Invitation.objects.filter(opening=opening, invitee=candidate).count() == 1
    assert [m.to for m in mail.outbox] == [[candidate.email]]


def test_a_channel_registered_five_times_at_once_is_registered_once(live_server, streamer):
    url = reverse("board:channel_create")
    answers = post_at_once(Browser(live_server, streamer), url, channel_data())
    channel = Channel.objects.get(twitch_login="nightowlradio")
    assert statuses(answers) == [302] * 5
    assert {a.location for a in answers} == {channel.get_absolute_url()}
    assert sum("Night Owl Radio is registered." in a.page for a in answers) == 1
    assert sum("Night Owl Radio is already registered." in a.page for a in answers) == 4
    assert Channel.objects.filter(owner=streamer).count() == 1


def test_a_channel_registered_by_two_people_at_once_goes_to_one(live_server, streamer, moderator):
    url = reverse("board:channel_create")
    answers = post_at_once(
        [Browser(live_server, streamer), Browser(live_server, moderator)], url, channel_data()
    )
    assert statuses(answers) == [200, 302]
    refused = next(a for a in answers if a.status == 200)
    assert "That Twitch channel is already registered here." in refused.page
    assert Channel.objects.count() == 1
