"""The home page, as a visitor and as a signed-in person see it."""

import pytest
from django.urls import reverse

from portal.accounts.models import Role

pytestmark = pytest.mark.django_db


def test_home_speaks_to_each_kind_of_visitor(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    text = response.content.decode()
    for audience in ("New moderator?", "Streamer looking for mods?", "Experienced moderator?"):
        assert audience in text
    assert "Sign up" in text


def test_home_suggests_a_signed_in_persons_next_step(client, user):
    client.force_login(user)
    text = client.get(reverse("home")).content.decode()
    assert "Your next step" in text
    assert reverse("accounts:profile_edit") in text


def test_home_greets_by_display_name_and_asks_for_roles_only_of_people_without_any(client, user):
    user.profile.display_name = "Sam <the mod>"
    user.profile.save()
    client.force_login(user)
    text = client.get(reverse("home")).content.decode()
    assert "Your next step, Sam &lt;the mod&gt;" in text
    assert "Tell us the roles you play" in text

    user.profile.roles.set(Role.objects.filter(slug__in=["chat-enforcer", "community-host"]))
    text = client.get(reverse("home")).content.decode()
    assert "Tell us the roles you play" not in text


def test_home_costs_one_query_beyond_the_layout_however_many_roles(client, user, assert_queries):
    """Prevents the greeting and the roles question from each costing a query."""
    client.force_login(user)
    client.get(reverse("home"))  # the header's counts, cached as on every later page
    with assert_queries(2):  # the person; the profile with its roles
        client.get(reverse("home"))
    user.profile.roles.set(Role.objects.all())
    with assert_queries(2):
        client.get(reverse("home"))
