"""The person's light or dark choice (Profile.theme) on every page, at no query.

base.html sets ``data-theme`` on <html> when the person chose light or dark; site.css follows
the device otherwise. The choice is copied into the session when the person signs in and when
they change it, so the layout reads it from the session the request has loaded anyway rather
than from the profile row, which most pages do not read. Anonymous visitors have no choice to
keep: their pages follow the device, and stay alike for the anonymous page cache.
"""

from __future__ import annotations

from django.http import HttpRequest

from portal.accounts.models import Profile, Theme

SESSION_KEY = "_modhall_theme"


def theme_remember(request: HttpRequest, theme: str) -> None:
    request.session[SESSION_KEY] = theme


def theme_remember_at_login(request: HttpRequest, user) -> None:
    theme = Profile.objects.filter(user=user).values_list("theme", flat=True).first()
    theme_remember(request, theme or Theme.SYSTEM)


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
