"""allauth's pages speak like the rest of the site: "Sign in", not "Sign In"
(locale/en/LC_MESSAGES/django.po)."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_sign_in_and_sign_up_are_in_sentence_case(client):
    sign_in = client.get(reverse("account_login")).content.decode()
    assert "<title>Sign in · Modhall</title>" in " ".join(sign_in.split()).replace(
        "> ", ">"
    ).replace(" <", "<")
    assert "Sign In" not in sign_in and "Remember Me" not in sign_in
    assert "Remember me" in sign_in and "Username or email" in sign_in
    sign_up = client.get(reverse("account_signup")).content.decode()
    assert "Sign Up" not in sign_up and "Signup" not in sign_up
    assert "Sign up" in sign_up


def test_the_password_pages_too(client, user):
    client.force_login(user)
    page = client.get(reverse("account_change_password")).content.decode()
    assert "Change Password" not in page and "Change password" in page
    assert "Current password" in page and "New password" in page
