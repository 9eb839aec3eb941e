"""Reactions to allauth's events. Signals are for third-party events, and for the one change
accounts announces to the floors above it (``services.timezone_changed``, which digests follow).

When someone logs in with Twitch, signs up with it, or connects it to their account, the
verified Twitch login goes on their profile; that is what marks their channels verified.
Signing in copies the person's light or dark choice into the session.
When a second factor is added or removed, the profile says whether one is left; when a
recovery code is used, the person is told by email. And signing in while one's account
waits to be deleted cancels the deletion.
"""

import time

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.account.signals import user_logged_in, user_signed_up
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_used
from allauth.socialaccount.signals import social_account_added, social_account_updated
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in as django_user_logged_in
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from portal.accounts.middleware import LAST_SEEN_KEY
from portal.accounts.models import User
from portal.accounts.services import (
    profile_second_factor_refresh,
    tool_group_refresh,
    twitch_login_record,
)
from portal.accounts.theme import theme_remember_at_login


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


@receiver(user_logged_in)
def session_last_seen_start(sender, request, user, **kwargs) -> None:
    """allauth lists the new session (allauth.usersessions) as used now; from here on the
    middleware moves its "last used" now and then (SessionLastSeenMiddleware)."""
    request.session[LAST_SEEN_KEY] = time.time()


@receiver(django_user_logged_in, dispatch_uid="theme-on-login")
def theme_on_login(sender, request, user, **kwargs) -> None:
    """The person's light or dark choice goes into the new session (portal/accounts/theme.py).
    Django's signal rather than allauth's: every way of signing in sends it, a test's
    force_login too."""
    if request is not None and hasattr(request, "session"):
        theme_remember_at_login(request, user)


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


# --- Second factors (allauth.mfa) -----------------------------------------------------------
# Django's own save and delete signals of allauth's Authenticator, rather than allauth's
# authenticator_added/removed: they also see a factor removed in the admin or with its
# account, so the profile's flag cannot drift from the factors allauth asks for at login.


@receiver(post_save, sender=Authenticator, dispatch_uid="second-factor-added")
def second_factor_added(sender, instance, created, **kwargs) -> None:
    if created:
        profile_second_factor_refresh(user_id=instance.user_id)


@receiver(post_delete, sender=Authenticator, dispatch_uid="second-factor-removed")
def second_factor_removed(sender, instance, **kwargs) -> None:
    profile_second_factor_refresh(user_id=instance.user_id)


@receiver(authenticator_used)
def recovery_code_used(sender, request, user, authenticator, **kwargs) -> None:
    """allauth emails every change of factor but not the use of a recovery code, which is the
    one a thief holding the person's password and a copied code list would use."""
    if authenticator.type != Authenticator.Type.RECOVERY_CODES:
        return
    # Read again: allauth marked the code used on a copy of the row it locked.
    codes = Authenticator.objects.filter(pk=authenticator.pk).first()
    remaining = len(codes.wrap().get_unused_codes()) if codes else 0
    get_account_adapter(request).send_notification_mail(
        "mfa/email/recovery_code_used", user, {"remaining": remaining}
    )


# --- Groups that hold tools (User.in_tool_group) ------------------------------------------
# Memberships change through Django's own machinery (the admin, ``user.groups.add``,
# ``group.user_set.add``, a demo or test): its m2m signal, from either side, and a group
# renamed or deleted, keep the flag true to the groups.


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="tool-group-membership")
def tool_group_membership_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if not reverse:  # user.groups.…: one person
        if action in ("post_add", "post_remove", "post_clear"):
            tool_group_refresh(user_ids=[instance.pk])
        return
    # group.user_set.…: the people named, or (clear) everyone who was in the group.
    if action == "pre_clear":
        instance._tool_group_members = list(instance.user_set.values_list("pk", flat=True))
    elif action in ("post_add", "post_remove"):
        tool_group_refresh(user_ids=pk_set or ())
    elif action == "post_clear":
        tool_group_refresh(user_ids=getattr(instance, "_tool_group_members", ()))


@receiver(post_save, sender=Group, dispatch_uid="tool-group-renamed")
def tool_group_saved(sender, instance, created, **kwargs) -> None:
    if not created:
        tool_group_refresh(user_ids=instance.user_set.values_list("pk", flat=True))


@receiver(pre_delete, sender=Group, dispatch_uid="tool-group-deleting")
def tool_group_deleting(sender, instance, **kwargs) -> None:
    instance._tool_group_members = list(instance.user_set.values_list("pk", flat=True))


@receiver(post_delete, sender=Group, dispatch_uid="tool-group-deleted")
def tool_group_deleted(sender, instance, **kwargs) -> None:
    tool_group_refresh(user_ids=getattr(instance, "_tool_group_members", ()))
