"""Reporting an opening, the staff queue, and removing an opening with a reason."""

import pytest
from django.urls import reverse

from portal.board import rules
from portal.board.models import Opening, OpeningReport, OpeningStatus
from tests.board.conftest import settled
from tests.board.factories import OpeningFactory, OpeningReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    return settled(username="staffer", is_staff=True)


def report(client, opening, reason="credentials", details="Asks for the stream key in DMs."):
    return client.post(
        reverse("board:report", kwargs={"pk": opening.pk}), {"reason": reason, "details": details}
    )


def test_anyone_signed_in_reports_an_opening_once(client, opening, moderator):
    client.force_login(moderator)
    response = report(client, opening)
    assert response.status_code == 302
    saved = OpeningReport.objects.get()
    assert (saved.reporter, saved.reason, saved.resolved_at) == (moderator, "credentials", None)
    again = report(client, opening)
    assert again.status_code == 302 and again.url == opening.get_absolute_url()
    assert "already reported" in client.get(again.url).content.decode()
    assert OpeningReport.objects.count() == 1


def test_a_report_needs_a_reason(client, opening, moderator):
    client.force_login(moderator)
    response = report(client, opening, reason="")
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not OpeningReport.objects.exists()


def test_reports_per_day_are_limited(client, moderator):
    for opening in OpeningFactory.create_batch(rules.REPORTS.regular):
        OpeningReportFactory(opening=opening, reporter=moderator)
    client.force_login(moderator)
    assert report(client, OpeningFactory()).status_code == 429


def test_staff_see_waiting_reports_and_remove_an_opening_with_a_reason(
    client, staff, opening, moderator, other_moderator
):
    OpeningReportFactory(opening=opening, reporter=moderator, details="Wants a joining fee")
    OpeningReportFactory(opening=opening, reporter=other_moderator)
    client.force_login(staff)
    queue = client.get(reverse("board:reports")).content.decode()
    assert "Wants a joining fee" in queue and "Waiting (2)" in queue

    response = client.post(
        reverse("board:opening_remove", kwargs={"pk": opening.pk}),
        {"reason": "Openings may not charge applicants."},
    )
    assert response.status_code == 302
    opening.refresh_from_db()
    assert opening.status == OpeningStatus.REMOVED
    assert opening.removed_reason == "Openings may not charge applicants."
    assert not OpeningReport.objects.unresolved().exists()
    assert set(OpeningReport.objects.values_list("resolution", flat=True)) == {"removed"}
    assert not Opening.objects.visible().exists()

    # The owner still sees the page, with the reason.
    client.force_login(opening.channel.owner)
    page = client.get(opening.get_absolute_url()).content.decode()
    assert "Removed by Modhall staff" in page and "may not charge applicants" in page


def test_removal_needs_a_reason(client, staff, opening):
    client.force_login(staff)
    response = client.post(reverse("board:opening_remove", kwargs={"pk": opening.pk}), {})
    assert response.status_code == 400
    opening.refresh_from_db()
    assert opening.status == OpeningStatus.OPEN


def test_staff_dismiss_a_report(client, staff, opening):
    waiting = OpeningReportFactory(opening=opening)
    client.force_login(staff)
    client.post(reverse("board:report_dismiss", kwargs={"pk": waiting.pk}))
    waiting.refresh_from_db()
    assert (waiting.resolution, waiting.resolved_by) == ("dismissed", staff)
    opening.refresh_from_db()
    assert opening.status == OpeningStatus.OPEN
    resolved = client.get(reverse("board:reports"), {"show": "resolved"}).content.decode()
    assert "Dismissed by @staffer" in resolved


def test_an_empty_queue_says_so(client, staff):
    client.force_login(staff)
    assert "No reports waiting" in client.get(reverse("board:reports")).content.decode()


def test_the_reporter_stays_anonymous_to_the_owner(client, opening, streamer):
    OpeningReportFactory(opening=opening, reporter=settled(username="whistle_blower"))
    client.force_login(streamer)
    for url in [opening.get_absolute_url(), reverse("board:review", kwargs={"pk": opening.pk})]:
        assert "whistle_blower" not in client.get(url).content.decode()
