"""allauth adapters: where Modhall's accounts differ from allauth's defaults."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from django.conf import settings
from django.http import Http404
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
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

    def get_app(self, request, provider, client_id=None):
        # Without TWITCH_CLIENT_ID and TWITCH_CLIENT_SECRET (a laptop, a site that has not
        # set them) allauth's Twitch addresses still exist, and finding no app raised
        # SocialApp.DoesNotExist: a 500 for anyone who typed or kept the address. It is a
        # page this site does not offer, so a 404.
        try:
            return super().get_app(request, provider, client_id=client_id)
        except SocialApp.DoesNotExist:
            raise Http404("Logging in with this provider is not set up here.") from None
