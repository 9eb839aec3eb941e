"""allauth adapters: where Modhall's accounts differ from allauth's defaults."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.urls import reverse

from portal.core.outbox import enqueue_on_commit


class AccountAdapter(DefaultAccountAdapter):
    def get_signup_redirect_url(self, request) -> str:
        # A new person's first step is telling us about themselves.
        return reverse("accounts:profile_edit")

    def get_email_verification_redirect_url(self, email_address) -> str:
        return reverse("accounts:profile_edit")

    def send_mail(self, template_prefix, email, context) -> None:
        """Render allauth's email now, while the request is there to render it, and send it
        from a task after the transaction commits (portal/accounts/tasks.py): a mail server
        that is slow or down never fails the request, and nothing is announced that was
        rolled back. allauth's own send_mail renders the same context and sends inline."""
        from portal.accounts.tasks import send_account_email

        request = allauth_context.request
        message = self.render_mail(
            template_prefix,
            email,
            {
                "request": request,
                "email": email,
                "current_site": get_current_site(request),
                "site_name": settings.SITE_NAME,
                **context,
            },
        )
        html = [content for content, kind in getattr(message, "alternatives", [])]
        enqueue_on_commit(
            send_account_email,
            {
                "subject": message.subject,
                "body": message.body,
                "html": html[0] if html else "",
                "from_email": message.from_email,
                "to": list(message.to),
                "headers": dict(message.extra_headers),
            },
        )

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        # allauth counts failed logins per login ("5/5m/key" in settings). Keyed on the login
        # alone, anyone typing wrong passwords for a named moderator would lock them out of
        # their own account; keyed on the login and the address together, the stranger only
        # locks themselves out, and the per-address limit still stops guessing at scale.
        # (allauth offers no public hook for this key; the override is tested.)
        login = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{login}:{self.get_client_ip(request)}"


class MFAAdapter(DefaultMFAAdapter):
    def get_totp_label(self, user) -> str:
        # The authenticator app lists "Modhall: night_owl_mod"; the email address stays
        # private, as everywhere on Modhall, even on the person's own phone screen.
        return user.get_username()


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin) -> bool:
        return True
