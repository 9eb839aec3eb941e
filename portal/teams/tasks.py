"""Team tasks: telling members what happened. One email task per person, so a mail server
refusing one address never sends the others a second copy when it is tried again."""

from __future__ import annotations

from celery import shared_task

from portal.accounts.models import User
from portal.core.mail import EmailTask
from portal.core.outbox import enqueue_now
from portal.digests.mail import absolute_url, send_email
from portal.digests.models import EmailKind
from portal.teams.models import Membership, Offer, TeamEvent


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


@shared_task
def remind_trials_ending() -> int:
    """The beat job: remind leads of trials ending soon (services.trial_reminders_send)."""
    from portal.teams.services import trial_reminders_send

    return trial_reminders_send()


@shared_task(base=EmailTask)
def send_offer(offer_id: int) -> bool:
    """Tell a person a team offers them a place (they are not on it yet, so team news does
    not reach them): sent with the invitations they agreed to receive."""
    offer = (
        Offer.objects.select_related("team__channel", "user__profile", "made_by__profile")
        .filter(pk=offer_id)
        .first()
    )
    if offer is None or not offer.is_open:
        return False
    channel = offer.team.channel
    return send_email(
        user=offer.user,
        kind=EmailKind.INVITATIONS,
        subject=f"{channel.name} offers you a place on its mod team",
        template="team_offer",
        context={
            "offer": offer,
            "channel": channel,
            "made_by_name": offer.made_by.display_name if offer.made_by else channel.name,
            "offer_url": absolute_url(offer.get_absolute_url()),
        },
    )
