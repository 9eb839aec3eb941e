"""Reactions to allauth's events. Signals are for third-party events, and for the one change
accounts announces to the floors above it (``services.timezone_changed``, which digests follow).

When someone logs in with Twitch, signs up with it, or connects it to their account, the
verified Twitch login goes on their profile; that is what marks their channels verified. And
signing in while one's account waits to be deleted cancels the deletion.
"""

from allauth.account.signals import user_logged_in, user_signed_up
from allauth.socialaccount.signals import social_account_added, social_account_updated
from django.dispatch import receiver

from portal.accounts.services import twitch_login_record


def _record_twitch(sociallogin, user=None) -> None:
    if sociallogin is None or sociallogin.account.provider != "twitch":
        return
    user = user or sociallogin.user
    if user is None or user.pk is None:
        return
    twitch_login_record(user=user, login=sociallogin.account.extra_data.get("login", ""))


@receiver(user_logged_in)
def twitch_login_on_login(sender, request, user, **kwargs) -> None:
    _record_twitch(kwargs.get("sociallogin"), user)


@receiver(user_signed_up)
def twitch_login_on_signup(sender, request, user, **kwargs) -> None:
    _record_twitch(kwargs.get("sociallogin"), user)


@receiver(social_account_added)
@receiver(social_account_updated)
def twitch_login_on_connect(sender, request, sociallogin, **kwargs) -> None:
    _record_twitch(sociallogin)


@receiver(user_logged_in)
def deletion_cancelled_on_login(sender, request, user, **kwargs) -> None:
    """Signing in during the grace period cancels the account's deletion; say so."""
    from django.contrib import messages

    from portal.accounts.leaving.deletion import account_deletion_cancel

    if account_deletion_cancel(user=user) and request is not None:
        messages.success(
            request,
            "Welcome back. You signed in, so your account will not be deleted: everything "
            "stays as it was.",
        )
