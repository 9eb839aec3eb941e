"""allauth's forms (sign in, sign up, password, email, two-factor) show the same error summary
as the portal's own (tests/core/test_form_errors.py), through the site's form element
(templates/allauth/elements/form.html)."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.urls import reverse

from tests.core.test_form_errors import assert_shows_errors
from tests.factories import TEST_PASSWORD, UserFactory

ALLAUTH_PAGES = {
    "sign in": ("account_login", {}),
    "sign up": ("account_signup", {}),
    "password reset": ("account_reset_password", {"email": "not an address"}),
}


@pytest.mark.parametrize("name", ALLAUTH_PAGES)
def test_allauths_forms_show_the_same_summary(client, db, name):
    url_name, data = ALLAUTH_PAGES[name]
    page = assert_shows_errors(client.post(reverse(url_name), data))
    assert page.summary_links[page.summaries[0]["id"]], "the summary links to the fields"


def test_allauths_account_forms_show_the_same_summary(client, db):
    person = UserFactory(username="member")
    client.force_login(person)
    changed = client.post(
        reverse("account_change_password"),
        {"oldpassword": "wrong", "password1": "x", "password2": "y"},
    )
    page = assert_shows_errors(changed)
    assert "#id_oldpassword" in page.summary_links[page.summaries[0]["id"]]

    email = client.post(reverse("account_email"), {"action_add": "", "email": "not an address"})
    page = assert_shows_errors(email)
    assert page.summary_links[page.summaries[0]["id"]] == ["#id_email"]

    # Two-factor login: for a verified address, with the password typed again first.
    EmailAddress.objects.update_or_create(
        user=person, email=person.email, defaults={"verified": True, "primary": True}
    )
    client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    client.get(reverse("mfa_activate_totp"))
    page = assert_shows_errors(client.post(reverse("mfa_activate_totp"), {"code": "000000"}))
    assert page.summary_links[page.summaries[0]["id"]] == ["#id_code"]


def test_sign_in_with_a_wrong_password_says_so_above_the_form(client, db):
    UserFactory(username="member")
    response = client.post(
        reverse("account_login"), {"login": "member", "password": "no" + TEST_PASSWORD}
    )
    page = assert_shows_errors(response)
    # Not a field's error: listed without a link.
    assert page.summary_links[page.summaries[0]["id"]] == []


ALLAUTH_SIGNED_IN = [
    "account_email",
    "account_change_password",
    "account_logout",
    "account_reauthenticate",
    "mfa_index",
    "socialaccount_connections",
    "usersessions_list",
]
ALLAUTH_SIGNED_OUT = ["account_login", "account_signup", "account_reset_password"]


def test_allauths_pages_draw_with_the_sites_form_element(client, db):
    """Every allauth page with a form goes through templates/allauth/elements/form.html, with a
    form in the page or without one (the email confirmation page has none)."""
    for name in ALLAUTH_SIGNED_OUT:
        assert client.get(reverse(name)).status_code == 200, name
    person = UserFactory(username="member")
    address, _ = EmailAddress.objects.get_or_create(user=person, email=person.email)
    key = EmailConfirmationHMAC(address).key
    assert client.get(reverse("account_confirm_email", args=[key])).status_code == 200
    client.force_login(person)
    for name in ALLAUTH_SIGNED_IN:
        assert client.get(reverse(name)).status_code in (200, 302), name
