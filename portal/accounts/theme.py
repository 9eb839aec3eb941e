"""The person's light or dark choice (Profile.theme) on every page, at no query.

base.html sets ``data-theme`` on <html> when the person chose light or dark; site.css follows
the device otherwise. The choice is copied into the session when the person signs in and when
they change it, so the layout reads it from the session the request has loaded anyway rather
than from the profile row, which most pages do not read. Anonymous visitors have no choice to
keep: their pages follow the device, and stay alike for the anonymous page cache.

The person's timezone (Profile.timezone) is kept beside it the same way, for the forum's
times ("2 h", with the full date in their timezone on hover: portal/core/templatetags/
times.py), read in the same query at sign-in.
"""

from __future__ import annotations

from django.http import HttpRequest

from portal.accounts.models import Profile, Theme

SESSION_KEY = "_modhall_theme"
TIMEZONE_KEY = "_modhall_timezone"


def theme_remember(request: HttpRequest, theme: str) -> None:
    request.session[SESSION_KEY] = theme


def reader_timezone_remember(request: HttpRequest, timezone_name: str) -> None:
    request.session[TIMEZONE_KEY] = timezone_name


def theme_remember_at_login(request: HttpRequest, user) -> None:
    theme, timezone_name = Profile.objects.filter(user=user).values_list(
        "theme", "timezone"
    ).first() or (Theme.SYSTEM, "UTC")
    theme_remember(request, theme or Theme.SYSTEM)
    reader_timezone_remember(request, timezone_name or "UTC")


def reader_timezone(request: HttpRequest | None) -> str:
    """The reader's timezone name as kept in their session ("UTC" for a visitor)."""
    session = getattr(request, "session", None)
    user = getattr(request, "user", None)
    if session is None or user is None or not user.is_authenticated:
        return "UTC"
    return session.get(TIMEZONE_KEY) or "UTC"


def theme(request: HttpRequest) -> dict:
    """Context processor: THEME is "light" or "dark" when the person chose one."""
    # A request can come without a person or a session (an error page drawn before the
    # middleware ran, a test's RequestFactory): such a page follows the device.
    user = getattr(request, "user", None)
    session = getattr(request, "session", None)
    if user is None or session is None or not user.is_authenticated:
        return {}
    chosen = session.get(SESSION_KEY)
    return {"THEME": chosen} if chosen in (Theme.LIGHT, Theme.DARK) else {}
