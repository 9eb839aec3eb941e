"""The health check, the error pages and what every page carries."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


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
    assert data["cache"] in {"local", "ok"}


def test_healthz_names_a_hung_cache_and_still_answers(client, settings):
    from tests.accounts.test_sign_in import HungRedis

    hung = HungRedis()
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "portal.core.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{hung.port}/0",
        },
    }
    try:
        response = client.get("/healthz")
    finally:
        hung.close()
    assert response.status_code == 200
    assert response.json()["cache"] == "unreachable"
    assert response.json()["database"] is True


def test_healthz_reports_a_part_that_does_not_answer_in_time(client, monkeypatch):
    import threading

    from portal.core import views

    release = threading.Event()
    monkeypatch.setitem(views._CHECKS, "broker", lambda: release.wait(5) and "ok")
    try:
        data = client.get("/healthz").json()
    finally:
        release.set()
    assert data["broker"] == "no answer within 0.8 s"
    assert data["status"] == "ok"


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
