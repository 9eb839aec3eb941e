"""The journeys' accessibility check itself (tests/e2e/conftest.py): a page with a violation
is caught when the journey moves on from it, and a clean one passes."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BROKEN = (
    '<!DOCTYPE html><html lang="en"><head><title>Broken</title></head>'
    '<body><main><h1>Broken</h1><img src="/static/img/favicon.svg"></main></body></html>'
)


def test_a_violation_is_caught_when_the_journey_moves_on(page, axe):
    page.route("**/broken/", lambda route: route.fulfill(body=BROKEN, content_type="text/html"))
    page.goto("/broken/")
    assert axe.violations == []  # not yet: the page is checked as the journey leaves it

    page.goto("/accounts/login/")

    assert len(axe.violations) == 1
    assert "/broken/" in axe.violations[0] and "image-alt" in axe.violations[0]
    # The sign-in page is checked when the journey ends; this test's violation was on
    # purpose, so it is cleared before that.
    axe.violations.clear()
