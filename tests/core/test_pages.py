"""The home page, the health check and the error pages."""

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
    with assert_queries(1):  # the profile with its roles (the person: from the cache)
        client.get(reverse("home"))
    user.profile.roles.set(Role.objects.all())
    with assert_queries(1):
        client.get(reverse("home"))


def test_every_page_sends_a_strict_content_security_policy(client):
    policy = client.get(reverse("home"))["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    data = response.json()
    assert data["database"] is True
    assert data["status"] == "ok"
    assert data["broker"] in {"inline", "ok"}


def test_unknown_page_is_a_friendly_404(client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "We couldn't find that page" in response.content.decode()


def test_server_error_page_is_friendly(client, settings):
    from portal.core.views import error_500

    response = error_500(client.get("/").wsgi_request)
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_layout_links_every_section_and_the_account_pages(client, user, signed_in):
    """The layout's links are worked out once per process (core/context_processors.py)."""
    if signed_in:
        client.force_login(user)
    page = client.get(reverse("forums:index")).content.decode()
    header = page[page.index('<header class="site-header">') : page.index("</header>")]
    footer = page[page.index('<footer class="site-footer">') :]
    names = ["home", "guides:index", "board:index", "forums:index"]
    names += (
        ["forums:notifications", "account_email", "digests:preferences", "account_logout"]
        if signed_in
        else ["account_login", "account_signup"]
    )
    for name in names:
        assert f'="{reverse(name)}"' in header, name
    for name in ["guides:index", "board:index", "forums:index"]:
        assert f'href="{reverse(name)}"' in footer, name
    if signed_in:
        profile = reverse("accounts:profile", kwargs={"username": user.username})
        assert f'href="{profile}"' in header
