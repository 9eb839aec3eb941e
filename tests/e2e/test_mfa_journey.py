"""A forum moderator is refused the review queue until they set up two-factor login; they set
up an authenticator app, sign out, and sign in again with a code. Real Chromium, real server;
the codes are computed from the secret the setup page shows, as an authenticator app would."""

import re
import time

import pytest
import time_machine
from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from django.contrib.auth.models import Group
from django.core import mail

from portal.forums.permissions import FORUM_MODERATORS
from tests.factories import TEST_PASSWORD, UserFactory, totp_code, totp_code_to_type

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in_with_password(page) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=login]", "cal_forum_mod")
    page.fill("input[name=password]", TEST_PASSWORD)
    page.locator("form button[type=submit]").last.click()


def test_set_up_an_authenticator_app_sign_out_and_sign_in_with_a_code(page):
    cal = UserFactory(username="cal_forum_mod")
    EmailAddress.objects.create(user=cal, email=cal.email, verified=True, primary=True)
    cal.groups.add(Group.objects.get(name=FORUM_MODERATORS))

    sign_in_with_password(page)
    page.wait_for_url(re.compile(r"/$"))

    # The review queue is refused, with the reason and the way to set one up.
    page.goto("/forums/moderation/queue/")
    assert page.get_by_role("heading", name="Set up two-factor login to use this").is_visible()
    page.get_by_role("link", name="Set up an authenticator app").click()

    # allauth asks for the password again before a factor is added.
    page.wait_for_url(re.compile(r"/accounts/reauthenticate/"))
    page.fill("input[name=password]", TEST_PASSWORD)
    page.locator("main form button[type=submit]").first.click()

    # The setup page shows the QR code and the secret; the "app" reads the secret.
    page.wait_for_url(re.compile(r"/accounts/2fa/totp/activate/$"))
    assert page.locator("img[src^='data:image/svg+xml']").is_visible()
    secret = page.locator("#authenticator_secret").input_value()
    page.fill("input[name=code]", totp_code_to_type(secret))
    page.get_by_role("button", name="Activate").click()

    # Recovery codes come next; then the queue opens.
    page.wait_for_url(re.compile(r"/accounts/2fa/recovery-codes/"))
    page.goto("/forums/moderation/queue/")
    assert page.get_by_role("heading", name="Set up two-factor login to use this").count() == 0
    assert "/forums/moderation/queue/" in page.url

    # Signed out, the password alone no longer signs Cal in: allauth asks for a code. A code is
    # accepted once, so Cal waits for the next one (the clock moves to the start of a later
    # period, leaving the test the whole period to type it).
    page.get_by_role("button", name="Log out").click()
    sign_in_with_password(page)
    page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/$"))
    period = mfa_settings.TOTP_PERIOD
    with time_machine.travel((time.time() // period + 2) * period + 1, tick=True):
        code = totp_code(secret)
        page.fill("input[name=code]", "000000" if code != "000000" else "111111")
        page.get_by_role("button", name="Sign In").click()
        assert page.get_by_text("Incorrect code.", exact=True).is_visible()
        assert page.get_by_role("link", name="Code: Incorrect code.").is_visible()
        page.fill("input[name=code]", code)
        page.get_by_role("button", name="Sign In").click()
        page.wait_for_url(re.compile(r"://[^/]+/$"))  # the home page, past the code
        assert page.get_by_role("button", name="Log out").is_visible()

    # Adding the factor was emailed to Cal.
    assert any(m.to == [cal.email] and "Authenticator app activated" in m.body for m in mail.outbox)
