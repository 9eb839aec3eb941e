"""Sign-in by username or email (allauth's backend), refusing at once a login no account can
have.

allauth looks a login up case-insensitively, which SQLite does with LIKE; a pattern over
50,000 characters makes SQLite raise "LIKE or GLOB pattern too complex", so a megabyte typed
as a username answered 500 (the admin's sign-in form passes its username to every backend
without checking its length first). No username (150) or email address (254) is longer than
254 characters, so such a login is simply wrong, as it would be on PostgreSQL, and nothing is
looked up.
"""

from __future__ import annotations

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend

LONGEST_LOGIN = 254  # an email address's limit, RFC 5321; usernames stop at 150


class AuthenticationBackend(AllauthBackend):
    def authenticate(self, request, **credentials):
        for key in ("username", "email", "login"):
            if len(str(credentials.get(key) or "")) > LONGEST_LOGIN:
                return None
        return super().authenticate(request, **credentials)
