"""A newcomer signs up, verifies their email, fills in their profile and sees it in public."""

import re

import pytest
from django.core import mail

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_sign_up_verify_fill_profile_and_see_it(page, browser, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"

    page.goto("/")
    page.get_by_role("link", name="Sign up").first.click()
    page.fill("input[name=email]", "newmod@example.com")
    page.fill("input[name=username]", "new_mod")
    page.fill("input[name=password1]", "a-long-and-unusual-passphrase")
    page.fill("input[name=password2]", "a-long-and-unusual-passphrase")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/accounts/confirm-email/$"))

    # The verification mail arrives with a link; the person opens it and confirms.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["newmod@example.com"]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)
    page.goto(link)
    page.locator("form button[type=submit]").last.click()

    # Verified and signed in, they land on their profile form.
    page.wait_for_url(re.compile(r"/account/profile/$"))
    page.fill("input[name=display_name]", "Newbie Mod")
    page.fill("textarea[name=bio]", "I host a **cozy** art stream's chat.")
    page.get_by_label("Community Host").check()
    page.select_option("select[name=timezone]", "Europe/Berlin")
    page.fill("textarea[name=availability]", "Mon 18:00-22:00")
    page.get_by_label("I am open to moderating new channels").check()
    page.get_by_label("Public profile").check()
    page.get_by_role("button", name="Save profile").click()

    page.wait_for_url(re.compile(r"/people/new_mod/$"))
    assert page.get_by_role("heading", name="Newbie Mod").is_visible()
    assert page.locator(".prose strong", has_text="cozy").is_visible()
    assert page.get_by_text("Community Host").is_visible()
    assert page.get_by_text("Open to moderating new channels").is_visible()

    # A stranger (a fresh browser context, signed out) sees the same public page.
    stranger = browser.new_context(base_url=page.url.split("/people/")[0])
    other = stranger.new_page()
    other.goto("/people/new_mod/")
    assert other.get_by_role("heading", name="Newbie Mod").is_visible()
    stranger.close()
