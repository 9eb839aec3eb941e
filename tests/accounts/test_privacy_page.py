"""The privacy page: what Modhall stores, why, for how long, how to take it or delete it, the
minimum age and what changes under 18; linked from every page's footer."""

from __future__ import annotations

import pytest
from django.urls import reverse

PRIVACY = reverse("accounts:privacy")

pytestmark = pytest.mark.django_db


def test_every_page_links_to_it_from_the_footer(client):
    home = client.get(reverse("home")).text
    footer = home[home.index('<footer class="site-footer">') :]
    assert f'<a href="{PRIVACY}">Privacy</a>' in footer


def test_it_says_what_is_stored_why_and_for_how_long(client):
    page = client.get(PRIVACY).text
    for heading in ("What we store, and why", "For how long", "Take your data, or delete it"):
        assert heading in page
    assert "A data export: 7 days, then it is deleted." in page
    assert "7 days (signing in cancels it)" in page
    for kind in ("Your profile", "Guides", "Board", "Forums", "Email settings", "Sessions"):
        assert f"<strong>{kind}</strong>" in page


def test_it_links_to_the_export_and_the_deletion(client):
    page = client.get(PRIVACY).text
    assert f'href="{reverse("accounts:data")}"' in page
    assert f'href="{reverse("accounts:delete")}"' in page


def test_it_states_the_minimum_age_and_what_changes_under_18(client):
    page = client.get(PRIVACY).text
    assert "You must be at least <strong>13</strong> to use Modhall" in page
    assert "If you are under 18:" in page
    assert "parent&#x27;s or guardian&#x27;s permission" in page or "parent's or guardian's" in page
    assert "your profile then stays private" in page


def test_anyone_may_read_it(client, user):
    assert client.get(PRIVACY).status_code == 200
    client.force_login(user)
    assert client.get(PRIVACY).status_code == 200


def test_a_member_under_18_keeps_a_private_profile(client, user, other_user):
    """What the page promises: saying "Under 18" keeps the profile to its owner and off
    the moderators list, and a public profile cannot be asked for beside it."""
    from tests.accounts.test_profiles import profile_url, valid_form

    client.force_login(user)
    edit = reverse("accounts:profile_edit")
    page = client.post(
        edit, valid_form(is_public="on", open_to_moderating="on", age_group="under_18")
    )
    assert "Profiles of members under 18 stay private." in page.text
    user.profile.refresh_from_db()
    assert not user.profile.under_18

    private = valid_form(age_group="under_18")
    del private["is_public"]
    client.post(edit, private)
    user.profile.refresh_from_db()
    assert user.profile.under_18 and not user.profile.is_public
    assert client.get(profile_url(user)).status_code == 200  # its owner still sees it

    client.force_login(other_user)
    assert client.get(profile_url(user)).status_code == 404
    assert f"@{user.username}" not in client.get(reverse("board:moderators")).text


def test_the_account_settings_lead_to_the_export_and_the_deletion(client, user):
    client.force_login(user)
    page = client.get(reverse("account_email")).text
    assert f'<a href="{reverse("accounts:data")}">Export your data</a>' in page
    assert f'<a href="{reverse("accounts:delete")}">Delete your account</a>' in page
