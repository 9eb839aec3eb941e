"""Least privilege for applications: an applicant's answers are seen by the applicant and the
channel's owner. Staff see an application only through an open report on its opening, and
every time they do, a row goes into the board's moderation log (StaffRead)."""

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse

from portal.board import services
from portal.board.models import Application, ApplicationStatus, OpeningReport, StaffRead
from tests.board.conftest import settled
from tests.board.factories import ApplicationFactory, OpeningFactory, OpeningReportFactory

pytestmark = pytest.mark.django_db

SECRET = "My secret motivation letter"


@pytest.fixture
def staff(db):
    return settled(username="staffer", is_staff=True)


@pytest.fixture
def application(opening, moderator):
    return ApplicationFactory(opening=opening, applicant=moderator, message=SECRET)


@pytest.fixture
def report(opening, other_moderator):
    return OpeningReportFactory(opening=opening, reporter=other_moderator)


def review_url(opening) -> str:
    return reverse("board:review", kwargs={"pk": opening.pk})


def test_staff_without_a_report_get_a_404_and_nothing_is_logged(client, staff, application):
    client.force_login(staff)
    assert client.get(application.get_absolute_url()).status_code == 404
    assert client.get(review_url(application.opening)).status_code == 404
    assert not StaffRead.objects.exists()


def test_a_resolved_report_no_longer_opens_the_applications(client, staff, application, report):
    services.report_dismiss(report=report, staff=staff)
    client.force_login(staff)
    assert client.get(application.get_absolute_url()).status_code == 404
    assert client.get(review_url(application.opening)).status_code == 404
    assert not StaffRead.objects.exists()


def test_a_superuser_is_held_to_the_same_rule(client, application):
    client.force_login(settled(username="root", is_staff=True, is_superuser=True))
    assert client.get(application.get_absolute_url()).status_code == 404
    assert client.get(review_url(application.opening)).status_code == 404


def test_each_read_of_an_application_through_a_report_is_logged(client, staff, application, report):
    client.force_login(staff)
    for times in (1, 2):
        response = client.get(application.get_absolute_url())
        page = response.content.decode()
        assert response.status_code == 200 and SECRET in page
        assert "You are reading this through the report on this opening" in page
        assert StaffRead.objects.count() == times
    read = StaffRead.objects.first()
    assert (read.staff, read.application, read.applicant, read.report, read.page) == (
        staff,
        application,
        application.applicant,
        report,
        StaffRead.Page.APPLICATION,
    )


def test_every_application_on_the_review_page_is_logged_each_time(
    client, staff, opening, application, report
):
    second = ApplicationFactory(opening=opening, message="Another letter")
    elsewhere = ApplicationFactory(opening=OpeningFactory(), message="Not this opening's")
    client.force_login(staff)
    page = client.get(review_url(opening)).content.decode()
    # The table lists the applications (answers are on each one's page, logged there too).
    assert application.get_absolute_url() in page and second.get_absolute_url() in page
    assert elsewhere.get_absolute_url() not in page
    assert 'name="applications"' not in page  # no bulk move for a reader
    assert "Read-only staff view" in page
    client.get(review_url(opening))
    logged = StaffRead.objects.filter(page=StaffRead.Page.REVIEW, staff=staff, report=report)
    assert sorted(logged.values_list("application_id", flat=True)) == sorted(
        [application.pk, second.pk] * 2
    )


def test_the_owner_and_the_applicant_read_without_a_log_row(
    client, streamer, moderator, application, report
):
    for person in (streamer, moderator):
        client.force_login(person)
        assert client.get(application.get_absolute_url()).status_code == 200
    assert client.get(review_url(application.opening)).status_code == 404  # the applicant
    client.force_login(streamer)
    assert client.get(review_url(application.opening)).status_code == 200
    assert not StaffRead.objects.exists()


def test_a_staff_member_who_owns_the_channel_reads_as_its_owner(client, streamer, application):
    streamer.is_staff = True
    streamer.save()
    client.force_login(streamer)
    assert client.get(application.get_absolute_url()).status_code == 200
    assert not StaffRead.objects.exists()


def test_reading_through_a_report_does_not_let_staff_decide(client, staff, application, report):
    client.force_login(staff)
    url = reverse("board:application_move", kwargs={"pk": application.pk})
    assert client.post(url, {"status": "accepted"}).status_code == 403
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_the_report_queue_links_to_the_applications_and_shows_the_log(
    client, staff, application, report
):
    client.force_login(staff)
    queue = client.get(reverse("board:reports")).content.decode()
    assert review_url(application.opening) in queue
    client.get(application.get_absolute_url())
    log = client.get(reverse("board:reports"), {"show": "log"}).content.decode()
    assert "@staffer" in log and f"@{application.applicant.username}" in log
    assert application.opening.title in log and SECRET not in log


def test_the_log_outlives_the_report_and_the_application(client, staff, application, report):
    client.force_login(staff)
    client.get(application.get_absolute_url())
    OpeningReport.objects.all().delete()
    Application.objects.all().delete()
    read = StaffRead.objects.get()
    assert (read.staff, read.application, read.report) == (staff, None, None)
    assert read.applicant is not None


def test_the_admin_has_no_way_around_the_report(admin_client, application):
    assert not admin.site.is_registered(Application)
    log = admin.site._registry[StaffRead]
    assert not log.has_change_permission(None) and not log.has_delete_permission(None)
    assert admin_client.get(reverse("admin:board_staffread_changelist")).status_code == 200


def test_the_service_logs_only_staff_and_only_the_reports_own_opening(
    staff, moderator, application, report
):
    with pytest.raises(ValidationError):
        services.staff_reads_log(
            staff=moderator, report=report, applications=[application], page="application"
        )
    elsewhere = ApplicationFactory(opening=OpeningFactory())
    with pytest.raises(ValidationError):
        services.staff_reads_log(
            staff=staff, report=report, applications=[elsewhere], page="application"
        )
    assert not StaffRead.objects.exists()
