"""allauth adapters: where Modhall's accounts differ from allauth's defaults."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django import forms
from django.conf import settings
from django.urls import reverse


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
        context.setdefault("site_name", settings.SITE_NAME)
        super().send_mail(template_prefix, email, context)

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        # allauth counts failed logins per login ("5/5m/key" in settings). Keyed on the login
        # alone, anyone typing wrong passwords for a named moderator would lock them out of
        # their own account; keyed on the login and the address together, the stranger only
        # locks themselves out, and the per-address limit still stops guessing at scale.
        # (allauth offers no public hook for this key; the override is tested.)
        login = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{login}:{self.get_client_ip(request)}"


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin) -> bool:
        return True
