"""Team tasks: telling members what happened. One email task per person, so a mail server
refusing one address never sends the others a second copy when it is tried again."""

from __future__ import annotations

from celery import shared_task

from portal.accounts.models import User
from portal.core.mail import EmailTask
from portal.core.outbox import enqueue_now
from portal.core.templatetags.times import full_date_in
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


@shared_task(acks_late=True)
def expire_offers() -> int:
    """The beat job: open offers past their expiry become expired (services.offers_expire)."""
    from portal.teams.services import offers_expire

    return offers_expire()


@shared_task(base=EmailTask)
def send_offer(offer_id: int) -> bool:
    """Tell a person a team offers them a place (they are not on it yet, so team news does
    not reach them): sent with the updates on their applications they agreed to receive
    when it answers one, else with the invitations."""
    offer = (
        Offer.objects.select_related("team__channel", "user__profile", "made_by__profile")
        .filter(pk=offer_id)
        .first()
    )
    if offer is None or not offer.is_open or offer.has_expired:
        return False
    channel = offer.team.channel
    return send_email(
        user=offer.user,
        kind=EmailKind.APPLICATION_UPDATES if offer.application_id else EmailKind.INVITATIONS,
        subject=f"{channel.name} offers you a place on its mod team",
        template="team_offer",
        context={
            "offer": offer,
            "channel": channel,
            "made_by_name": offer.made_by.display_name if offer.made_by else channel.name,
            "offer_url": absolute_url(offer.get_absolute_url()),
            # In the person's own timezone, as their pages show it.
            "answer_by": full_date_in(offer.expires_at, offer.user.profile.timezone),
        },
    )


@shared_task(bind=True, acks_late=True, ignore_result=True)
def post_to_discord(self, event_id: int) -> bool:
    """Post one team event to the team's Discord webhook (portal/teams/discord.py). A try
    that fails waits in the outbox for the next one; the last failure counts against the
    webhook."""
    from portal.core.outbox import outbox_wait
    from portal.digests.mail import absolute_url
    from portal.teams import discord
    from portal.teams.models import DiscordWebhook

    event = TeamEvent.objects.select_related("team__channel").filter(pk=event_id).first()
    if event is None:
        return False
    webhook = DiscordWebhook.objects.filter(team_id=event.team_id, active=True).first()
    if webhook is None:
        return False
    url = discord.unseal(webhook.url_sealed)
    if url is None:
        unreadable = discord.Delivery(ok=False, error="address unreadable", gone=True)
        discord.delivery_failed(webhook=webhook, delivery=unreadable)
        return False
    delivery = discord.deliver(
        url, discord.message_for(event, absolute_url(event.get_absolute_url()))
    )
    if delivery.ok:
        discord.delivered(webhook)
        return True
    tries_made = (self.request.retries or 0) + 1
    if delivery.gone or tries_made >= discord.TRIES:
        discord.delivery_failed(webhook=webhook, delivery=delivery)
        return False
    outbox_wait(
        task_name=self.name,
        args=[event_id],
        retries=tries_made,
        wait_seconds=discord.wait_before(tries_made, delivery),
        error=delivery.error,
    )
    return False


@shared_task(acks_late=True, ignore_result=True)
def check_coverage_gaps() -> int:
    """Tell the leads of streams in the next 48 hours that nobody (or too few) covers."""
    from portal.teams.services.coverage import coverage_gaps_check

    return coverage_gaps_check()


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
