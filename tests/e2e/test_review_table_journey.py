"""A streamer works their applicants in the review table: opens the status tabs, shortlists
two applicants at once, walks next and previous through the shortlist, and declines one
with a reason they choose not to tell; on a laptop and on a phone, every step a link or a
plain form."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from portal.board.models import Application
from tests.board.factories import ApplicationFactory, OpeningFactory
from tests.e2e.test_board_journey import log_in
from tests.e2e.test_phone_journey import fits_the_phone
from tests.factories import ChannelFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("window", ["page", "phone"])
def test_tabs_bulk_shortlist_next_previous_and_decline(request, window):
    page = request.getfixturevalue(window)  # a laptop, then a phone (rows stacked)
    joined = timezone.now() - timedelta(days=60)
    streamer = UserFactory(username="owl_streamer", date_joined=joined)
    opening = OpeningFactory(
        channel=ChannelFactory(owner=streamer, name="Night Owl Radio"),
        title="Friday community host",
    )
    start = datetime(2026, 11, 2, 18, 0, tzinfo=UTC)
    for i, name in enumerate(["Ada", "Bea", "Cy"]):
        person = UserFactory(username=name.lower(), date_joined=joined)
        person.profile.display_name = name
        person.profile.save()
        application = ApplicationFactory(opening=opening, applicant=person)
        Application.objects.filter(pk=application.pk).update(
            created_at=start + timedelta(minutes=i)
        )

    log_in(page, "owl_streamer")
    page.goto(f"/board/openings/{opening.pk}/applications/")
    page.get_by_role("link", name="Submitted (3)").click()
    page.wait_for_url(re.compile(r"\?status=submitted$"))
    assert page.locator(".applicants-table tbody tr").count() == 3
    assert fits_the_phone(page)  # no wider than the window, at either size

    # Two applicants shortlisted at once.
    page.get_by_label("Tick Ada").check()
    page.get_by_label("Tick Cy").check()
    page.locator(".bulk-move").get_by_label("Shortlisted").check()
    page.get_by_role("button", name="Move ticked applications").click()
    page.get_by_text("Shortlisted: Ada, Cy. We emailed them.").wait_for()
    assert page.locator(".applicants-table tbody tr").count() == 1  # still the submitted tab
    page.get_by_role("link", name="Shortlisted (2)").click()
    assert page.locator(".applicants-table tbody th").all_inner_texts() == ["Ada", "Cy"]

    # Next and previous within the shortlist.
    page.get_by_role("link", name="Ada").click()
    page.get_by_role("heading", name="Ada's application").wait_for()
    page.get_by_role("link", name="Next applicant").click()
    page.get_by_role("heading", name="Cy's application").wait_for()
    assert page.get_by_role("link", name="Next applicant").count() == 0
    page.get_by_role("link", name="Previous applicant").click()
    page.get_by_role("heading", name="Ada's application").wait_for()

    # Declining asks for a reason and whether Ada is told it.
    page.get_by_label("Declined", exact=True).check()
    page.get_by_label("Reason for declining").fill("Looking for weekday mornings.")
    page.get_by_label("No: they are told only that it is declined").check()
    page.get_by_role("button", name="Update Ada's application").click()
    page.get_by_text("Ada: declined. We emailed them.").wait_for()
    assert page.get_by_text("Reason (not told to the applicant)").is_visible()
    declined = [m for m in mail.outbox if m.subject.endswith("declined")]
    assert len(declined) == 1 and "weekday mornings" not in declined[0].body
