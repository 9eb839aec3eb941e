"""Team tasks: telling members what happened. One email task per person, so a mail server
refusing one address never sends the others a second copy when it is tried again."""

from __future__ import annotations

from celery import shared_task

from portal.accounts.models import User
from portal.core.mail import EmailTask
from portal.core.outbox import enqueue_now
from portal.digests.mail import absolute_url, send_email
from portal.digests.models import EmailKind
from portal.teams.models import Membership, TeamEvent


@shared_task
def tell_team_event(event_id: int) -> int:
    """Queue the event's email for each member who should hear of it (not its actor)."""
    event = TeamEvent.objects.filter(pk=event_id).first()
    if event is None:
        return 0
    members = Membership.objects.current().filter(team_id=event.team_id)
    if event.leads_only:
        members = members.filter(level__in=["owner", "lead"])
    if event.actor_id:
        members = members.exclude(user_id=event.actor_id)
    user_ids = list(members.values_list("user_id", flat=True))
    for user_id in user_ids:
        enqueue_now(send_team_event, event_id, user_id)
    return len(user_ids)


@shared_task(base=EmailTask)
def send_team_event(event_id: int, user_id: int) -> bool:
    event = TeamEvent.objects.select_related("team__channel").filter(pk=event_id).first()
    user = User.objects.select_related("profile").filter(pk=user_id).first()
    if event is None or user is None:
        return False
    # Removed since the event was queued: team news is for members only.
    if not Membership.objects.current().filter(team_id=event.team_id, user=user).exists():
        return False
    channel = event.team.channel
    return send_email(
        user=user,
        kind=EmailKind.TEAM,
        subject=f"{channel.name} mod team: {event.summary}",
        template="team_event",
        context={
            "event": event,
            "channel": channel,
            "event_url": absolute_url(event.get_absolute_url()),
        },
    )


def _read_team(grant_id: int, *, last_try: bool) -> str:
    from portal.teams.twitch_import import twitch_team_read

    return twitch_team_read(grant_id=grant_id, last_try=last_try)


@shared_task(bind=True, acks_late=True, name="portal.teams.import_twitch_team")
def import_twitch_team(self, grant_id: int) -> str:
    """Read a channel's moderators and VIPs from Twitch (portal/teams/twitch_import.py), with
    the Twitch jobs' tries: waiting in the outbox while Twitch is slow, down or
    rate-limited."""
    from portal.twitch.tasks import run_with_tries

    return run_with_tries(self, _read_team, grant_id)
