"""Deleting an account: asked for with re-authentication, due after a grace period during
which signing in cancels it, then carried out by a Celery task.

The task walks the registry of personal data (portal/core/personal_data.py) in order, each
kind deleting or anonymising its rows a chunk per transaction, and records how many kinds are
done, so a task that dies is simply run again and resumes; every step is idempotent. Last, the
account row itself is anonymised rather than deleted: the posts and logs that stay point at it,
and every page that names an author reads it, so it becomes "a former member" with a
meaningless username, no email, no password and no way to sign in.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from portal.accounts.avatars import avatar_file_discard
from portal.accounts.models import AccountDeletion, Profile, User
from portal.core.outbox import enqueue_on_commit
from portal.core.personal_data import CHUNK, Leaving, registry

GRACE_PERIOD = timedelta(days=7)
FORMER_MEMBER = "a former member"
# Usernames given to anonymised accounts; nobody may sign up with one (accounts/adapters.py).
FORMER_MEMBER_PREFIX = "former-member-"


@transaction.atomic
def account_deletion_request(
    *, user: User, remove_posts: bool, now: datetime | None = None
) -> AccountDeletion:
    """Ask for the account's deletion GRACE_PERIOD from now. The person's sessions all end
    (the view signs this one out too), so coming back means signing in, which cancels it."""
    now = now or timezone.now()
    deletion, _ = AccountDeletion.objects.update_or_create(
        user=user,
        defaults={
            "requested_at": now,
            "due_at": now + GRACE_PERIOD,
            "remove_posts": remove_posts,
            "started_at": None,
            "steps_done": 0,
            "finished_at": None,
        },
    )
    sessions_end(user_id=user.pk)
    return deletion


def account_deletion_cancel(*, user: User) -> bool:
    """Cancel a deletion that has not started. Returns whether there was one."""
    deleted, _ = AccountDeletion.objects.filter(user=user, started_at__isnull=True).delete()
    return bool(deleted)


def pending_deletion(*, user: User) -> AccountDeletion | None:
    return AccountDeletion.objects.filter(user=user, finished_at__isnull=True).first()


def account_deletions_queue(*, now: datetime | None = None) -> int:
    """Queue every deletion whose grace period is over (the hourly beat job); a queued one
    that has not finished is queued again, which the task's resuming makes harmless."""
    from portal.accounts.tasks import delete_account

    due = AccountDeletion.objects.filter(
        due_at__lte=now or timezone.now(), finished_at__isnull=True
    ).values_list("pk", flat=True)
    queued = 0
    with transaction.atomic():
        for pk in due:
            enqueue_on_commit(delete_account, pk)
            queued += 1
    return queued


def sessions_end(*, user_id: int) -> int:
    """End every session of the person, in the database and its cached copy. Sessions name
    their person only inside their encoded data, so they are read a chunk at a time."""
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    ended, last = 0, ""
    while True:
        chunk = list(
            Session.objects.filter(session_key__gt=last, expire_date__gt=timezone.now())
            .order_by("session_key")
            .values_list("session_key", "session_data")[:CHUNK]
        )
        if not chunk:
            return ended
        for key, data in chunk:
            store = store_class(session_key=key)
            if str(store.decode(data).get("_auth_user_id")) == str(user_id):
                store.delete(key)
                ended += 1
        last = chunk[-1][0]


def profile_blank(*, user_id: int) -> None:
    """Empty the profile, leaving only "a former member". Its save moves ``updated_at``,
    which every cached author line is keyed on, so none shows the person again."""
    profile = Profile.objects.get(user_id=user_id)
    profile.display_name = FORMER_MEMBER
    profile.bio = profile.bio_html = ""
    profile.twitch_login = profile.twitch_login_verified = ""
    profile.timezone = "UTC"
    profile.hours_per_week = None
    profile.availability = []
    profile.channels_moderated = 0
    profile.moderating_since = None
    profile.open_to_moderating = False
    profile.is_public = False
    profile.age_group = ""
    picture, profile.avatar = profile.avatar.name, ""
    profile.save()
    avatar_file_discard(picture)  # from storage too, once this is committed


def _account_close(user: User) -> None:
    """Step one: the account can no longer sign in, and no mention links to it."""
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    sessions_end(user_id=user.pk)


@transaction.atomic
def _account_anonymise(deletion: AccountDeletion) -> None:
    """The last step: nothing of the person is left on the account row."""
    user = User.objects.select_for_update().get(pk=deletion.user_id)
    user.username = f"{FORMER_MEMBER_PREFIX}{user.pk}"
    user.email = user.first_name = user.last_name = ""
    user.set_unusable_password()
    user.is_active = user.is_staff = user.is_superuser = False
    user.last_login = None
    user.save()
    # Again, after the rename: a page drawn between the profile's blanking and this rename
    # could have cached an author line with the old username under the new key.
    profile_blank(user_id=user.pk)
    AccountDeletion.objects.filter(pk=deletion.pk).update(finished_at=timezone.now())


def account_deletion_run(*, deletion_id: int, now: datetime | None = None) -> bool:
    """Carry out a due deletion; returns whether it finished now. Idempotent: a cancelled,
    finished or not-yet-due deletion is left alone, and a half-done one resumes."""
    now = now or timezone.now()
    with transaction.atomic():
        deletion = (
            AccountDeletion.objects.select_for_update()
            .select_related("user")
            .filter(pk=deletion_id)
            .first()
        )
        if deletion is None or deletion.is_finished or deletion.due_at > now:
            return False
        if deletion.started_at is None:
            deletion.started_at = now
            deletion.save(update_fields=["started_at"])
    user = deletion.user
    leaving = Leaving(user_id=user.pk, username=user.username, remove_posts=deletion.remove_posts)
    _account_close(user)
    kinds = [entry for entry in registry() if entry.erase is not None]
    for number, entry in enumerate(kinds[deletion.steps_done :], start=deletion.steps_done):
        entry.erase(leaving)
        AccountDeletion.objects.filter(pk=deletion.pk).update(steps_done=number + 1)
    _account_anonymise(deletion)
    return True
