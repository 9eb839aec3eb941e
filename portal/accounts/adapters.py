"""allauth adapters: where Modhall's accounts differ from allauth's defaults."""

import logging

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from django import forms
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.http import Http404
from django.urls import reverse

from portal.accounts.tasks import (
    ACCOUNT_EMAIL_KIND,
    account_email_as_task_arg,
    send_account_email,
)
from portal.core.mail import failed_email_record
from portal.core.outbox import enqueue_on_commit

logger = logging.getLogger(__name__)


class AccountAdapter(DefaultAccountAdapter):
    def clean_username(self, username, shallow=False):
        # Deleted accounts are renamed "former-member-<id>" (accounts/leaving/deletion.py):
        # nobody may take such a name, or pose as someone who left.
        from portal.accounts.leaving.deletion import FORMER_MEMBER_PREFIX

        if username.lower().startswith(FORMER_MEMBER_PREFIX):
            raise forms.ValidationError("This username is not available; choose another.")
        return super().clean_username(username, shallow=shallow)

    def get_signup_redirect_url(self, request) -> str:
        # A new person's first step is telling us about themselves.
        return reverse("accounts:profile_edit")

    def get_email_verification_redirect_url(self, email_address) -> str:
        return reverse("accounts:profile_edit")

    def send_mail(self, template_prefix, email, context) -> None:
        """Build the message here (its links need the request) and send it from a task after
        commit: a mail server that refuses or hangs can never turn a sign-up or a password
        reset into an error, and a refusal is tried again like any email's."""
        context.setdefault("site_name", settings.SITE_NAME)
        person_id = getattr(context.get("user"), "pk", None)
        try:
            # allauth's own send_mail, minus the sending: the same context and templates.
            request = allauth_context.request
            full_context = {
                "request": request,
                "email": email,
                "current_site": get_current_site(request),
                **context,
            }
            message = self.render_mail(template_prefix, email, full_context)
        except Exception as exc:
            logger.exception("building the account email %s failed", template_prefix)
            failed_email_record(
                person_id=person_id,
                kind=ACCOUNT_EMAIL_KIND,
                subject=template_prefix,
                error=f"{type(exc).__name__}: {exc}",
                attempts=1,
            )
            return
        enqueue_on_commit(send_account_email, account_email_as_task_arg(message), person_id)

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

    def get_app(self, request, provider, client_id=None):
        # Without TWITCH_CLIENT_ID and TWITCH_CLIENT_SECRET (a laptop, a site that has not
        # set them) allauth's Twitch addresses still exist, and finding no app raised
        # SocialApp.DoesNotExist: a 500 for anyone who typed or kept the address. It is a
        # page this site does not offer, so a 404.
        try:
            return super().get_app(request, provider, client_id=client_id)
        except SocialApp.DoesNotExist:
            raise Http404("Logging in with this provider is not set up here.") from None
