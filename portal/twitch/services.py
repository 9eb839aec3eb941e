"""Writes: recording a consent, checking and keeping a moderation history, and the person's
choices about it (show the channels, hide one, remove it all)."""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from portal.accounts.models import User
from portal.core.outbox import enqueue_on_commit
from portal.twitch import client
from portal.twitch.jobs import Reconnect, WrongAccount, grant_forget, with_grant
from portal.twitch.models import (
    ModeratedChannel,
    ModerationHistory,
    Purpose,
    Status,
    TwitchGrant,
)

# Sent after commit when a person gave a permission for a job of an app above this one (the
# teams' import): that app starts its job. Arguments: grant_id, purpose.
grant_received = Signal()


@transaction.atomic
def grant_record(
    *,
    user: User,
    purpose: Purpose,
    code: str,
    redirect_uri: str,
    twitch_user_id: str,
    channel_id: int | None = None,
) -> TwitchGrant:
    """Keep the consent Twitch's page gave, for its job, and start the job after commit. A
    consent for the same job given before is replaced (its job, if still waiting, finds its
    grant gone and stops)."""
    TwitchGrant.objects.filter(user=user, purpose=purpose, channel_id=channel_id).delete()
    grant = TwitchGrant(
        user=user,
        purpose=purpose,
        code=code,
        redirect_uri=redirect_uri,
        twitch_user_id=twitch_user_id,
        channel_id=channel_id,
    )
    grant.full_clean()
    grant.save()
    if purpose == Purpose.MODERATION_HISTORY:
        from portal.twitch.tasks import check_moderation_history

        ModerationHistory.objects.update_or_create(user=user, defaults={"status": Status.CHECKING})
        enqueue_on_commit(check_moderation_history, grant.pk)
    else:
        grant_id = grant.pk
        transaction.on_commit(
            lambda: grant_received.send(sender=TwitchGrant, grant_id=grant_id, purpose=purpose)
        )
    return grant


def moderation_history_check(*, grant_id: int, last_try: bool = False) -> str:
    """Ask Twitch where the grant's person moderates (every page) and keep the answer. Raises
    jobs.TryLater while Twitch is slow, down or rate-limited (and this is not the last try);
    otherwise the grant is forgotten and the outcome recorded. Returns the new status."""
    grant = (
        TwitchGrant.objects.filter(pk=grant_id, purpose=Purpose.MODERATION_HISTORY)
        .select_related("user")
        .first()
    )
    if grant is None:
        return "gone"
    try:
        rows = with_grant(
            grant,
            lambda token: client.moderated_channels(
                user_id=grant.twitch_user_id, access_token=token
            ),
            last_try=last_try,
        )
    except Reconnect:
        return _history_problem(grant, Status.RECONNECT)
    except WrongAccount:
        return _history_problem(grant, Status.WRONG_ACCOUNT)
    except client.TwitchUnavailable:
        return _history_problem(grant, Status.UNAVAILABLE)
    with transaction.atomic():
        moderation_history_record(user=grant.user, channels=rows)
        grant_forget(grant=grant)
    return Status.CHECKED


@transaction.atomic
def _history_problem(grant: TwitchGrant, status: Status) -> str:
    # The last good result (if any) stays; the person is told what happened, once.
    ModerationHistory.objects.update_or_create(user_id=grant.user_id, defaults={"status": status})
    grant_forget(grant=grant)
    return status


@transaction.atomic
def moderation_history_record(*, user: User, channels: list[dict]) -> ModerationHistory:
    """Keep Twitch's list as the person's history, as of now. A channel seen before keeps the
    person's choice to hide it (matched by Twitch's id, which survives a rename); a channel
    no longer listed is gone."""
    history, _ = ModerationHistory.objects.select_for_update().get_or_create(user=user)
    by_id: dict[str, dict] = {}
    for row in channels:
        broadcaster_id = str(row.get("broadcaster_id") or "")
        if broadcaster_id:
            by_id[broadcaster_id] = row
    kept = {c.broadcaster_id: c for c in history.channels.all()}
    history.channels.exclude(broadcaster_id__in=by_id).delete()
    for broadcaster_id, row in by_id.items():
        channel = kept.get(broadcaster_id) or ModeratedChannel(
            history=history, broadcaster_id=broadcaster_id
        )
        channel.broadcaster_login = str(row.get("broadcaster_login") or "")[:25]
        channel.broadcaster_name = str(row.get("broadcaster_name") or "")[:100]
        channel.full_clean(validate_constraints=False)
        channel.save()
    history.status = Status.CHECKED
    history.checked_at = timezone.now()
    history.channel_count = len(by_id)
    history.save()
    return history


@transaction.atomic
def moderation_history_remove(*, user: User) -> bool:
    """Remove the history, its channels and any grant still waiting: nothing of it stays."""
    for grant in TwitchGrant.objects.filter(user=user, purpose=Purpose.MODERATION_HISTORY):
        grant_forget(grant=grant)
    deleted, _ = ModerationHistory.objects.filter(user=user).delete()
    return bool(deleted)


def moderation_history_show(*, user: User, show: bool) -> None:
    ModerationHistory.objects.filter(user=user).update(
        show_channels=show, updated_at=timezone.now()
    )


def moderated_channel_hide(*, user: User, channel_id: int, hidden: bool) -> bool:
    """Hide one channel from everyone but the person (or show it again)."""
    return bool(
        ModeratedChannel.objects.filter(pk=channel_id, history__user=user).update(hidden=hidden)
    )
