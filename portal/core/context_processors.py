"""What every page's layout (templates/base.html) shows besides the page itself."""

from __future__ import annotations

import functools

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse

# The layout's links, by the names base.html uses. They are the same on every page, so they
# are worked out once per process (and URL configuration) rather than on every request: a
# dozen reverse() calls were a tenth of the cheapest signed-in page.
_LAYOUT_LINKS = {
    "home": "home",
    "guides": "guides:index",
    "board": "board:index",
    "forums": "forums:index",
    "search": "search:results",
    "notifications": "forums:notifications",
    "messages": "conversations:index",
    "account": "account_email",
    "email": "digests:preferences",
    "log_out": "account_logout",
    "log_in": "account_login",
    "sign_up": "account_signup",
    "privacy": "accounts:privacy",
}


@functools.cache
def _layout_links(urlconf, script_prefix: str) -> dict[str, str]:
    return {name: reverse(url_name) for name, url_name in _LAYOUT_LINKS.items()}


def site(request: HttpRequest) -> dict:
    return {
        "SITE_NAME": settings.SITE_NAME,
        "TWITCH_LOGIN_ENABLED": settings.TWITCH_LOGIN_ENABLED,
        "LINKS": _layout_links(get_urlconf(), get_script_prefix()),
    }
