"""A missing page looks like the site's own while developing too, and /favicon.ico answers."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

STYLED = "find that page"


@pytest.mark.parametrize("address", ["/no-such-page/", "/board/openings/999999/"])
def test_with_debug_on_a_missing_page_is_the_sites_own(client, settings, address):
    settings.DEBUG = True
    response = client.get(address)
    assert response.status_code == 404
    page = response.content.decode()
    assert STYLED in page and 'class="site-header"' in page
    assert "technical_404" not in page and "Using the URLconf" not in page


def test_a_developer_can_ask_for_djangos_technical_page(client, settings):
    settings.DEBUG = True
    settings.DEBUG_TECHNICAL_404 = True
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and STYLED not in response.content.decode()


def test_a_missing_address_without_its_slash_is_still_redirected(client, settings):
    settings.DEBUG = True
    response = client.get("/guides")
    assert response.status_code == 301 and response["Location"] == "/guides/"


def test_favicon_ico_leads_to_the_sites_icon(client, settings):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith(".svg") and "favicon" in response["Location"]
    assert "max-age=86400" in response["Cache-Control"]
    assert reverse("favicon") == "/favicon.ico"
