"""A form that is refused says so where the person is looking: the error summary at the top of
the form takes the focus when the page loads (autofocus, no JavaScript), is in view even at
the bottom of a long lesson, and its links take the keyboard to the field in error.
"""

import re

import pytest

from tests.factories import TEST_PASSWORD, UserFactory
from tests.guides.conftest import sync, write_small_library

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FOCUSED_ID = "document.activeElement && document.activeElement.id"
IN_VIEW = """e => { const r = e.getBoundingClientRect();
  return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0; }"""


def assert_summary_has_focus_in_view(page, summary_id: str) -> None:
    assert page.evaluate(FOCUSED_ID) == summary_id
    summary = page.locator(f"#{summary_id}")
    assert summary.evaluate(IN_VIEW), "the summary is scrolled out of view"
    assert page.title().startswith("Error: ")


@pytest.mark.parametrize("size", [(1280, 800), (390, 844)], ids=["desktop", "phone"])
def test_a_refused_form_lands_the_focus_on_its_error_summary(page, settings, tmp_path, size):
    settings.ACCOUNT_EMAIL_VERIFICATION = "optional"
    sync(write_small_library(tmp_path / "guides"))
    UserFactory(username="reader")
    page.set_viewport_size({"width": size[0], "height": size[1]})

    # A wrong password: the summary says so at the top of the form, with the focus on it.
    page.goto("/accounts/login/")
    page.fill("input[name=login]", "reader")
    page.fill("input[name=password]", "not-the-password")
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_load_state()
    assert_summary_has_focus_in_view(page, "error-summary")
    assert page.get_by_role("alert").get_by_text("There is a problem").is_visible()

    page.fill("input[name=password]", TEST_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(re.compile(r"^(?!.*/accounts/login/)"))

    # The lesson's check is far down a long page; sent with no answer chosen, the page comes
    # back scrolled to the check's summary, which has the focus.
    page.goto("/guides/chat-enforcer/warn-timeout-ban/")
    page.get_by_role("button", name="Check my answers").click()
    page.wait_for_url(re.compile(r"#check-error-summary$"))
    assert page.evaluate("window.scrollY") > 0
    assert_summary_has_focus_in_view(page, "check-error-summary")

    # Its link takes the keyboard to the question: Tab to it, Enter, and the first choice
    # of the question has the focus.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#id_check-q0_0"
    page.keyboard.press("Enter")
    assert page.evaluate(FOCUSED_ID) == "id_check-q0_0"

    # The feedback form, at the very bottom, too.
    page.goto("/guides/chat-enforcer/warn-timeout-ban/")
    page.get_by_role("button", name="Send feedback").click()
    page.wait_for_url(re.compile(r"#feedback-error-summary$"))
    assert_summary_has_focus_in_view(page, "feedback-error-summary")
