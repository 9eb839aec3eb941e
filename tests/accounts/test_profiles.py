"""Profiles: who sees them, who edits them, and what the edit form accepts."""

import pytest
from django.urls import reverse

from portal.accounts.models import AvailabilitySlot, Profile, Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def profile_url(user):
    return reverse("accounts:profile", kwargs={"username": user.username})


def valid_form(**overrides):
    data = {
        "display_name": "Cozy Mod",
        "bio": "I keep chat **kind**.",
        "twitch_login": "Cozy_Mod",
        "roles": [Role.objects.get(slug="community-host").pk],
        "languages": [],
        "timezone": "Europe/Berlin",
        "hours_per_week": "6",
        "availability": "Mon 18:00-22:00\nSat 12:00-14:00",
        "channels_moderated": "2",
        "moderating_since": "2023-04-01",
        "open_to_moderating": "on",
        "is_public": "on",
    }
    data.update(overrides)
    return data


def test_every_new_person_has_a_profile():
    user = UserFactory()
    assert Profile.objects.filter(user=user).count() == 1


def test_public_profile_is_visible_to_anyone(client, user):
    response = client.get(profile_url(user))
    assert response.status_code == 200
    assert user.username in response.content.decode()


def test_private_profile_is_hidden_from_others(client, user, other_user):
    Profile.objects.filter(user=user).update(is_public=False)
    assert client.get(profile_url(user)).status_code == 404
    client.force_login(other_user)
    assert client.get(profile_url(user)).status_code == 404


def test_private_profile_is_visible_to_its_owner_and_staff(client, user, staff_user):
    Profile.objects.filter(user=user).update(is_public=False)
    client.force_login(user)
    response = client.get(profile_url(user))
    assert response.status_code == 200
    assert "Your profile is private" in response.content.decode()
    client.force_login(staff_user)
    assert client.get(profile_url(user)).status_code == 200


def test_inactive_persons_profile_is_gone(client, user):
    user.is_active = False
    user.save()
    assert client.get(profile_url(user)).status_code == 404


def test_edit_needs_sign_in(client):
    response = client.get(reverse("accounts:profile_edit"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_the_edit_form_only_ever_edits_your_own_profile(client, user, other_user):
    client.force_login(other_user)
    client.post(reverse("accounts:profile_edit"), valid_form(display_name="Hijacked"))
    user.profile.refresh_from_db()
    other_user.profile.refresh_from_db()
    assert user.profile.display_name == ""
    assert other_user.profile.display_name == "Hijacked"


def test_saving_the_profile(client, user):
    client.force_login(user)
    response = client.post(reverse("accounts:profile_edit"), valid_form())
    assert response.status_code == 302
    profile = Profile.objects.get(user=user)
    assert profile.display_name == "Cozy Mod"
    assert profile.bio_html == "<p>I keep chat <strong>kind</strong>.</p>"
    assert profile.twitch_login == "cozy_mod"
    assert [r.slug for r in profile.roles.all()] == ["community-host"]
    assert profile.open_to_moderating
    assert len(profile.windows) == 2
    # The UTC copy for overlap queries is written alongside.
    assert AvailabilitySlot.objects.filter(profile=profile).count() == 2
    page = client.get(profile_url(user)).content.decode()
    assert "Cozy Mod" in page and "Community Host" in page


def test_a_script_in_the_bio_renders_inert(client, user):
    client.force_login(user)
    client.post(
        reverse("accounts:profile_edit"),
        valid_form(bio="<script>alert(1)</script> [x](javascript:alert(1))"),
    )
    page = client.get(profile_url(user)).content.decode()
    assert "<script>alert(1)" not in page
    assert "javascript:alert" not in page


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("timezone", "Mars/Olympus_Mons", "Select a valid choice"),
        ("availability", "Mon 22:00-18:00", "Line 1: the window must end after it starts"),
        ("twitch_login", "not a login!", "A Twitch login is 3–25 letters"),
        ("moderating_since", "2999-01-01", "That date is in the future"),
        ("hours_per_week", "200", "less than or equal to 168"),
    ],
)
def test_bad_input_is_shown_beside_the_field_and_nothing_is_saved(
    client, user, field, value, error
):
    client.force_login(user)
    response = client.post(reverse("accounts:profile_edit"), valid_form(**{field: value}))
    assert response.status_code == 200
    assert error in response.content.decode()
    assert response.context["form"].errors[field]
    assert Profile.objects.get(user=user).display_name == ""


def test_a_too_long_bio_is_a_form_error(client, user, settings):
    settings.MARKDOWN_MAX_LENGTH = 50
    client.force_login(user)
    response = client.post(reverse("accounts:profile_edit"), valid_form(bio="x" * 51))
    assert "the limit is 50" in response.content.decode()


def test_profile_page_costs_a_fixed_number_of_queries(client, assert_queries):
    """Prevents an N+1 over roles, languages, channels and what the apps add to a profile.

    The 9 queries: the profile with its person, roles, languages, the Twitch-checked
    moderation history, channels, the open openings of those channels, guide badges,
    mentoring recognition, recent forum topics.
    """
    from tests.factories import ChannelFactory

    def build(n_roles: int, n_channels: int):
        person = UserFactory()
        person.profile.roles.set(Role.objects.all()[:n_roles])
        for _ in range(n_channels):
            ChannelFactory(owner=person)
        return person

    for person in (build(1, 1), build(7, 12)):
        with assert_queries(9):
            response = client.get(profile_url(person))
        assert response.status_code == 200
