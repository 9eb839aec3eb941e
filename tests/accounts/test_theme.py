"""Light, dark, or as the device says: the choice is kept on the profile, copied into the
session at sign-in, and put on every page's <html> at no query."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.accounts.models import Profile, Theme
from portal.accounts.theme import SESSION_KEY
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PAGE = reverse("accounts:appearance")


def test_appearance_page_asks_strangers_to_sign_in(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_chosen_theme_is_kept_and_put_on_every_page(client, user):
    client.force_login(user)
    assert b"data-theme" not in client.get("/").content  # follows the device until chosen

    response = client.post(PAGE, {"theme": "dark"}, follow=True)

    assert "Your theme is saved." in response.content.decode()
    assert Profile.objects.get(user=user).theme == Theme.DARK
    assert b'<html lang="en" data-theme="dark">' in client.get("/").content
    client.post(PAGE, {"theme": "system"})
    assert b"data-theme" not in client.get("/").content


def test_the_form_shows_the_current_choice(client, user):
    Profile.objects.filter(user=user).update(theme=Theme.LIGHT)
    client.force_login(user)
    page = client.get(PAGE).content.decode()
    assert re.search(r'<input[^>]*value="light"[^>]*checked', page)
    assert not re.search(r'<input[^>]*value="system"[^>]*checked', page)


def test_an_unknown_theme_is_refused_and_nothing_changes(client, user):
    client.force_login(user)
    response = client.post(PAGE, {"theme": "neon"})
    assert response.status_code == 200
    assert Profile.objects.get(user=user).theme == Theme.SYSTEM
    assert SESSION_KEY not in client.session or client.session[SESSION_KEY] == Theme.SYSTEM


def test_signing_in_brings_the_choice_to_a_new_device(client):
    person = UserFactory(username="owl_at_night")
    Profile.objects.filter(user=person).update(theme=Theme.DARK)
    client.post(reverse("account_login"), {"login": "owl_at_night", "password": TEST_PASSWORD})
    assert client.session[SESSION_KEY] == Theme.DARK
    assert b'data-theme="dark"' in client.get("/forums/").content


def test_choosing_a_theme_leaves_the_profile_version_alone(client, user):
    """The fragments that show a person are keyed on their profile's updated_at; a theme
    changes none of them."""
    before = Profile.objects.get(user=user).updated_at
    client.force_login(user)
    client.post(PAGE, {"theme": "light"})
    assert Profile.objects.get(user=user).updated_at == before


def test_the_theme_costs_no_query_on_a_page(client, user):
    """Read from the session the request has loaded anyway, never from the profile row."""
    client.force_login(user)
    client.get("/forums/")  # warm the caches the first request fills
    with CaptureQueriesContext(connection) as following_the_device:
        client.get("/forums/")
    client.post(PAGE, {"theme": "dark"})
    client.get("/forums/")
    with CaptureQueriesContext(connection) as dark:
        response = client.get("/forums/")
    assert b'data-theme="dark"' in response.content
    assert len(dark) == len(following_the_device)


def test_anonymous_pages_follow_the_device(client):
    assert b"data-theme" not in client.get("/").content
