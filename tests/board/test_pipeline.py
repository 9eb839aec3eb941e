"""The recruitment pipeline as a streamer works it: the review table (status tabs, badges,
overlap, bulk moves), next/previous applicant, the "Applied" mark, withdrawing after a
confirmation, and a decline's reason with the streamer's choice to tell it or not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.cache import caches
from django.template import Context, Template
from django.urls import reverse

from portal.board import services
from portal.board.models import Application, ApplicationEvent
from tests.board.conftest import set_availability, settled
from tests.board.factories import ApplicationFactory


def review_url(opening, **params) -> str:
    url = reverse("board:review", kwargs={"pk": opening.pk})
    return f"{url}?status={params['status']}" if params.get("status") else url


def bulk_url(opening) -> str:
    return reverse("board:review_move", kwargs={"pk": opening.pk})


@pytest.fixture
def applicants(opening):
    """Three applications, a minute apart, in the table's order (oldest first)."""
    start = datetime(2026, 11, 2, 18, 0, tzinfo=UTC)
    people = [settled(username=f"applicant{i}") for i in range(3)]
    for i, person in enumerate(people):
        person.profile.display_name = f"Applicant {i}"
        person.profile.save()
    applications = []
    for i, person in enumerate(people):
        application = ApplicationFactory(opening=opening, applicant=person)
        Application.objects.filter(pk=application.pk).update(
            created_at=start + timedelta(minutes=i)
        )
        application.refresh_from_db()
        applications.append(application)
    return applications


# --- The review table --------------------------------------------------------------------


def test_the_table_shows_tabs_with_counts_and_one_row_per_applicant(
    client, streamer, opening, applicants
):
    services.application_move(application=applicants[0], actor=streamer, to_status="shortlisted")
    client.force_login(streamer)
    page = client.get(review_url(opening)).content.decode()
    assert "All (3)" in page and "Submitted (2)" in page and "Shortlisted (1)" in page
    assert 'href="?status=shortlisted"' in page  # a plain link per tab
    for application in applicants:
        assert f'value="{application.pk}"' in page  # a checkbox per row
    shortlisted = client.get(review_url(opening, status="shortlisted"))
    rows = shortlisted.context["rows"]
    assert [r.application.pk for r in rows] == [applicants[0].pk]
    assert 'aria-current="page">Shortlisted (1)' in shortlisted.content.decode()


def test_a_row_says_whether_the_applicant_is_around_in_the_openings_hours(
    client, streamer, opening, applicants
):
    opening.schedule = [[4, "19:00", "21:00"]]  # Friday evenings, UTC
    opening.timezone = "UTC"
    opening.save()
    set_availability(applicants[0].applicant, "Fri 20:00-23:00", "Europe/London")
    set_availability(applicants[1].applicant, "Mon 08:00-10:00", "UTC")
    client.force_login(streamer)
    rows = {r.application.pk: r for r in client.get(review_url(opening)).context["rows"]}
    assert rows[applicants[0].pk].overlaps is True
    assert rows[applicants[1].pk].overlaps is False
    assert rows[applicants[2].pk].overlaps is None  # said nothing
    page = client.get(review_url(opening)).content.decode()
    assert "Overlaps" in page and "No overlap" in page and "Not said" in page


@pytest.mark.parametrize("person", ["moderator", "other_streamer", "applicant"])
def test_only_the_owner_moves_in_bulk_and_others_get_404(
    client, request, opening, applicants, person
):
    who = applicants[0].applicant if person == "applicant" else request.getfixturevalue(person)
    client.force_login(who)
    response = client.post(
        bulk_url(opening),
        {"applications": [a.pk for a in applicants], "status": "shortlisted"},
    )
    assert response.status_code == 404
    assert client.get(review_url(opening)).status_code == 404
    assert not Application.objects.filter(status="shortlisted").exists()


def test_a_bulk_move_uses_the_single_moves_rules_and_names_what_was_refused(
    client, streamer, opening, applicants
):
    first, second, third = applicants
    services.application_move(
        application=third, actor=streamer, to_status="declined", reason="", reason_shared=False
    )
    client.force_login(streamer)
    response = client.post(
        bulk_url(opening),
        {"applications": [first.pk, second.pk, third.pk], "status": "shortlisted"},
        follow=True,
    )
    page = response.content.decode()
    assert "Shortlisted: Applicant 0, Applicant 1." in page
    assert "Not moved: Applicant 2. A declined application cannot be moved to shortlisted." in page
    statuses = dict(Application.objects.values_list("pk", "status"))
    assert statuses == {first.pk: "shortlisted", second.pk: "shortlisted", third.pk: "declined"}
    # Each moved one has its step in the history, by the owner, as a single move writes it.
    steps = ApplicationEvent.objects.filter(to_status="shortlisted", actor=streamer)
    assert sorted(steps.values_list("application_id", flat=True)) == [first.pk, second.pk]


def test_a_bulk_move_ignores_applications_of_other_openings(
    client, streamer, opening, applicants, other_streamer
):
    elsewhere = ApplicationFactory()
    client.force_login(streamer)
    response = client.post(
        bulk_url(opening), {"applications": [elsewhere.pk, applicants[0].pk], "status": "trial"}
    )
    assert response.status_code == 400  # not a choice on this table
    elsewhere.refresh_from_db()
    assert elsewhere.status == "submitted"
    assert Application.objects.get(pk=applicants[0].pk).status == "submitted"


def test_a_bulk_move_without_a_tick_or_a_stage_says_so_and_keeps_the_tab(
    client, streamer, opening, applicants
):
    client.force_login(streamer)
    response = client.post(f"{bulk_url(opening)}?status=submitted", {"status": "trial"})
    assert response.status_code == 400
    assert "Tick an application." in response.content.decode()
    response = client.post(
        f"{bulk_url(opening)}?status=submitted", {"applications": [applicants[0].pk]}
    )
    assert response.status_code == 400
    assert f'value="{applicants[0].pk}" id="tick-{applicants[0].pk}" checked' in (
        response.content.decode()
    )
    done = client.post(
        f"{bulk_url(opening)}?status=submitted",
        {"applications": [applicants[0].pk], "status": "trial"},
    )
    assert done["Location"] == review_url(opening, status="submitted")


def test_a_bulk_decline_asks_whether_the_applicants_are_told_the_reason(
    client, streamer, opening, applicants
):
    client.force_login(streamer)
    ticked = {"applications": [applicants[0].pk], "status": "declined", "reason": "Too late"}
    response = client.post(bulk_url(opening), ticked)
    assert response.status_code == 400
    assert "Choose whether the applicant is told your reason." in response.content.decode()
    client.post(bulk_url(opening), {**ticked, "tell_applicant": "keep"})
    application = Application.objects.get(pk=applicants[0].pk)
    assert application.status == "declined" and application.decline_reason == ""
    assert application.events.last().reason == "Too late"


# --- Next and previous applicant ---------------------------------------------------------


def test_next_and_previous_follow_the_tables_order_within_the_tab(
    client, streamer, opening, applicants
):
    first, second, third = applicants
    services.application_move(application=second, actor=streamer, to_status="shortlisted")
    client.force_login(streamer)
    middle = client.get(first.get_absolute_url()).context
    assert (middle["previous_pk"], middle["next_pk"]) == (None, second.pk)
    in_all = client.get(second.get_absolute_url()).context
    assert (in_all["previous_pk"], in_all["next_pk"]) == (first.pk, third.pk)
    submitted = client.get(f"{first.get_absolute_url()}?status=submitted")
    assert (submitted.context["previous_pk"], submitted.context["next_pk"]) == (None, third.pk)
    assert f'href="{third.get_absolute_url()}?status=submitted" rel="next"' in (
        submitted.content.decode()
    )


def test_the_applicant_gets_no_neighbours(client, opening, applicants):
    client.force_login(applicants[1].applicant)
    response = client.get(applicants[1].get_absolute_url())
    assert "next_pk" not in response.context
    assert "Next applicant" not in response.content.decode()


# --- The "Applied" mark ------------------------------------------------------------------


def test_the_applied_mark_is_shown_to_the_applicant_only_and_not_cached_for_others(
    client, opening, moderator, other_moderator
):
    caches["fragments"].clear()
    ApplicationFactory(opening=opening, applicant=moderator)
    board = reverse("board:index")
    client.force_login(moderator)
    page = client.get(board).content.decode()
    assert page.count(">Applied</span>") == 1
    assert ">Applied</span>" in client.get(opening.get_absolute_url()).content.decode()
    # The card's shared fragment is now cached: another reader must not get the mark.
    client.force_login(other_moderator)
    assert ">Applied</span>" not in client.get(board).content.decode()
    assert ">Applied</span>" not in client.get(opening.get_absolute_url()).content.decode()
    client.logout()
    assert ">Applied</span>" not in client.get(board).content.decode()


def test_the_applied_mark_costs_no_query(client, opening, moderator, django_assert_num_queries):
    """The mark is asked in the cards' own statement (5 queries for a signed-in reader, as
    tests/board/test_queries.py counts at every size)."""
    ApplicationFactory(opening=opening, applicant=moderator)
    client.force_login(moderator)
    client.get(reverse("board:index"))
    with django_assert_num_queries(5):
        client.get(reverse("board:index"))


# --- Withdrawing -------------------------------------------------------------------------


def test_withdrawing_asks_first_and_withdraws_on_the_confirmation(client, opening, moderator):
    application = ApplicationFactory(opening=opening, applicant=moderator)
    url = reverse("board:application_withdraw", kwargs={"pk": application.pk})
    client.force_login(moderator)
    assert f'href="{url}"' in client.get(application.get_absolute_url()).content.decode()
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Withdraw your application?" in confirm.content.decode()
    application.refresh_from_db()
    assert application.status == "submitted"  # asking changes nothing
    client.post(url)
    application.refresh_from_db()
    assert application.status == "withdrawn"
    # Nothing left to confirm: back to the application.
    assert client.get(url)["Location"] == application.get_absolute_url()


@pytest.mark.parametrize("person", ["streamer", "other_moderator"])
def test_only_the_applicant_sees_the_withdraw_confirmation(
    client, request, opening, moderator, person
):
    application = ApplicationFactory(opening=opening, applicant=moderator)
    client.force_login(request.getfixturevalue(person))
    response = client.get(reverse("board:application_withdraw", kwargs={"pk": application.pk}))
    assert response.status_code == (403 if person == "streamer" else 404)


# --- Declining with a reason -------------------------------------------------------------


def decline(client, application, **data):
    url = reverse("board:application_move", kwargs={"pk": application.pk})
    return client.post(url, {"status": "declined", **data})


def test_declining_asks_for_the_choice_and_a_reason_to_tell(client, streamer, opening, moderator):
    application = ApplicationFactory(opening=opening, applicant=moderator)
    client.force_login(streamer)
    page = client.get(application.get_absolute_url()).content.decode()
    assert "Reason for declining" in page and "tell the applicant the reason?" in page
    refused = decline(client, application, reason="No")
    assert refused.status_code == 400
    assert "Choose whether the applicant is told your reason." in refused.content.decode()
    refused = decline(client, application, tell_applicant="tell")
    assert "Write the reason the applicant will read." in refused.content.decode()
    application.refresh_from_db()
    assert application.status == "submitted"


def test_a_reason_told_is_mailed_and_shown_to_the_applicant(
    client, streamer, opening, moderator, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(opening=opening, applicant=moderator)
    client.force_login(streamer)
    with django_capture_on_commit_callbacks(execute=True):
        decline(client, application, reason="We need mornings.", tell_applicant="tell")
    [message] = mail.outbox
    assert "We need mornings." in message.body
    client.force_login(moderator)
    page = client.get(application.get_absolute_url()).content.decode()
    assert "The streamer's reason: We need mornings." in page


def test_a_reason_kept_is_neither_mailed_nor_shown_to_the_applicant(
    client, streamer, opening, moderator, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(opening=opening, applicant=moderator)
    client.force_login(streamer)
    with django_capture_on_commit_callbacks(execute=True):
        decline(client, application, reason="Rude in chat.", tell_applicant="keep")
    [message] = mail.outbox
    assert "declined" in message.subject
    assert "Rude in chat." not in message.body
    assert "Rude in chat." not in message.alternatives[0][0]
    owner_page = client.get(application.get_absolute_url()).content.decode()
    assert "Reason (not told to the applicant): Rude in chat." in owner_page
    client.force_login(moderator)
    page = client.get(application.get_absolute_url()).content.decode()
    assert "Declined" in page and "Rude in chat." not in page


# --- One timezone story ------------------------------------------------------------------


def render_time(moment, reader_tz, channel_tz) -> str:
    template = Template("{% load board %}{% local_time moment reader_tz channel_tz %}")
    return template.render(
        Context({"moment": moment, "reader_tz": reader_tz, "channel_tz": channel_tz})
    )


def test_a_moment_is_in_the_readers_timezone_with_the_channels_in_brackets():
    moment = datetime(2026, 12, 5, 13, 0, tzinfo=UTC)
    shown = render_time(moment, "Europe/Berlin", "America/New_York")
    assert "5 Dec 2026, 14:00 Europe/Berlin" in shown
    assert "(08:00 America/New_York, the channel's time)" in shown
    assert 'datetime="2026-12-05T13:00:00+00:00"' in shown
    same = render_time(moment, "Europe/Berlin", "Europe/Berlin")
    assert "channel" not in same
    # Another day for the channel: its date is said.
    late = datetime(2026, 12, 5, 23, 30, tzinfo=UTC)
    assert "(6 Dec, 08:30 Asia/Tokyo" in render_time(late, "UTC", "Asia/Tokyo")


def test_the_history_and_table_show_times_in_the_readers_timezone(
    client, streamer, opening, applicants
):
    profile = streamer.profile
    profile.timezone = "Europe/Berlin"
    profile.save()
    opening.channel.timezone = "America/New_York"
    opening.channel.save()
    client.force_login(streamer)
    table = client.get(review_url(opening)).content.decode()
    assert "2 Nov 2026, 19:00 Europe/Berlin" in table  # 18:00 UTC
    assert "13:00 America/New_York, the channel" in table
    detail = client.get(applicants[0].get_absolute_url()).content.decode()
    assert "Europe/Berlin" in detail and " UTC</time>" not in detail


def test_an_openings_hours_are_the_readers_with_the_channels_in_brackets(
    client, opening, moderator
):
    caches["fragments"].clear()
    opening.schedule = [[4, "19:00", "21:00"]]  # Friday evening in New York
    opening.timezone = "America/New_York"
    opening.save()
    set_availability(moderator, "", "Europe/Berlin")
    client.force_login(moderator)
    page = client.get(opening.get_absolute_url()).content.decode()
    assert "Sat 01:00-03:00" in page and "(Fri 19:00-21:00)" in page
    assert "In brackets, the channel's own (America/New_York)." in page
    set_availability(moderator, "", "America/New_York")
    page = client.get(opening.get_absolute_url()).content.decode()
    assert "Fri 19:00-21:00" in page and "(Fri 19:00-21:00)" not in page
