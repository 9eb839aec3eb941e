"""Middleware of accounts: the second-factor rule for tools, and when a session was last used."""

from __future__ import annotations

import time

from django.conf import settings
from django.http import HttpRequest

from portal.accounts.second_factor import SecondFactorRequired, is_tool, lacks_second_factor
from portal.accounts.second_factor import refusal as second_factor_refusal

LAST_SEEN_KEY = "_modhall_last_seen"


class SecondFactorForToolsMiddleware:
    """Refuses the pages of ``settings.SECOND_FACTOR_TOOLS`` to staff and moderators without a
    second factor (portal/accounts/second_factor.py). Asks nothing on any other page."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if is_tool(request.resolver_match) and lacks_second_factor(request.user):
            return second_factor_refusal(request)
        return None

    def process_exception(self, request: HttpRequest, exception: Exception):
        if isinstance(exception, SecondFactorRequired):
            return second_factor_refusal(request)
        return None


class SessionLastSeenMiddleware:
    """Moves a session's "last used" on the sessions page (allauth's UserSession) at most every
    ``settings.SESSION_LAST_SEEN_EVERY`` seconds. allauth's own tracking
    (USERSESSIONS_TRACK_ACTIVITY) writes the row on every request, a query or two on every
    signed-in page; "about ten minutes ago" is all the page needs. The time of the last write
    is kept in the session, which the request has read anyway, so a page between writes costs
    nothing. Sessions that allauth did not start (a test's force_login) have no mark and are
    left alone."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is None or user is None or not user.is_authenticated:
            return response
        noted = session.get(LAST_SEEN_KEY)
        now = time.time()
        if noted is not None and now - noted >= settings.SESSION_LAST_SEEN_EVERY:
            from portal.accounts.services import session_last_seen_note

            session_last_seen_note(session_key=session.session_key, user_id=user.pk)
            session[LAST_SEEN_KEY] = now
        return response
