"""A streamer imports their mod team from Twitch.

The owner of a verified channel gives Modhall, on Twitch's consent page, the two read-only
scopes the calls need (moderation:read for Get Moderators, channel:read:vips for Get VIPs),
asked only then. A task reads both lists (every page) and keeps them as the team's
``TwitchImport``; the token is deleted and revoked as soon as they are read
(portal/twitch/jobs.py). The import page then shows who of them has a Modhall account,
matched by Twitch user id (the id of the Twitch account they connected, which survives a
rename; a login alone could be anyone's), and lets the owner offer them a place on the team.
The others are listed with a sign-up link naming the channel, for the owner to send them.

Every offer goes through ``twitch_import_invite``, the one seam to the team's offers.
"""

from __future__ import annotations

from dataclasses import dataclass

from allauth.socialaccount.models import SocialAccount
from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

from portal.accounts.models import User
from portal.board.models import Channel
from portal.core.outbox import enqueue_on_commit
from portal.teams.models import Level, Membership, Team, TwitchImport
from portal.twitch import client
from portal.twitch.jobs import Reconnect, WrongAccount, grant_forget, with_grant
from portal.twitch.models import Purpose, Status, TwitchGrant
from portal.twitch.services import grant_received

# The levels an imported person may be offered: a VIP is not a moderator yet, so a trial
# place suits them; the owner chooses.
IMPORT_LEVELS = [Level.MODERATOR, Level.TRIAL]


@receiver(grant_received, dispatch_uid="teams-twitch-import")
def import_on_grant(sender, grant_id: int, purpose: str, **kwargs) -> None:
    """The owner gave the permission: read the team from Twitch in a task."""
    if purpose != Purpose.TEAM_IMPORT:
        return
    from portal.teams.tasks import import_twitch_team

    with transaction.atomic():
        grant = TwitchGrant.objects.filter(pk=grant_id).first()
        channel = Channel.objects.filter(pk=getattr(grant, "channel_id", None)).first()
        if grant is None or channel is None:
            return
        from portal.teams.services import team_for

        TwitchImport.objects.update_or_create(
            team=team_for(channel=channel), defaults={"status": Status.CHECKING}
        )
        enqueue_on_commit(import_twitch_team, grant_id)


def twitch_team_read(*, grant_id: int, last_try: bool = False) -> str:
    """Read the channel's moderators and VIPs from Twitch and keep them for its team. Raises
    jobs.TryLater while Twitch is slow, down or rate-limited; otherwise the grant is
    forgotten and the outcome recorded. Returns the status."""
    grant = TwitchGrant.objects.filter(pk=grant_id, purpose=Purpose.TEAM_IMPORT).first()
    if grant is None:
        return "gone"
    channel = Channel.objects.filter(pk=grant.channel_id, left_at__isnull=True).first()
    if channel is None or channel.owner_id != grant.user_id:
        # The channel left, or changed hands, since: nothing to read for this person.
        with transaction.atomic():
            grant_forget(grant=grant)
        return "gone"
    from portal.teams.services import team_for

    team = team_for(channel=channel)

    def read(token: str) -> tuple[list[dict], list[dict]]:
        broadcaster = grant.twitch_user_id
        return (
            client.channel_moderators(broadcaster_id=broadcaster, access_token=token),
            client.channel_vips(broadcaster_id=broadcaster, access_token=token),
        )

    try:
        moderators, vips = with_grant(grant, read, last_try=last_try)
    except Reconnect:
        return _import_problem(team, grant, Status.RECONNECT)
    except WrongAccount:
        return _import_problem(team, grant, Status.WRONG_ACCOUNT)
    except client.TwitchUnavailable:
        return _import_problem(team, grant, Status.UNAVAILABLE)
    with transaction.atomic():
        twitch_import_record(team=team, moderators=moderators, vips=vips)
        grant_forget(grant=grant)
    return Status.CHECKED


@transaction.atomic
def _import_problem(team: Team, grant: TwitchGrant, status: Status) -> str:
    # The last good list (if any) stays; the page says what happened.
    TwitchImport.objects.update_or_create(team=team, defaults={"status": status})
    grant_forget(grant=grant)
    return status


@transaction.atomic
def twitch_import_record(*, team: Team, moderators: list[dict], vips: list[dict]) -> TwitchImport:
    """Keep Twitch's two lists, as of now, as one list of people (a person can be both)."""
    people: dict[str, dict] = {}
    for rows, kind in ((moderators, "moderator"), (vips, "vip")):
        for row in rows:
            twitch_id = str(row.get("user_id") or "")
            if not twitch_id:
                continue
            person = people.setdefault(
                twitch_id,
                {
                    "twitch_id": twitch_id,
                    "login": str(row.get("user_login") or "")[:25],
                    "name": str(row.get("user_name") or "")[:100],
                    "moderator": False,
                    "vip": False,
                },
            )
            person[kind] = True
    found, _ = TwitchImport.objects.update_or_create(
        team=team,
        defaults={
            "status": Status.CHECKED,
            "checked_at": timezone.now(),
            "people": sorted(people.values(), key=lambda p: (p["login"], p["twitch_id"])),
        },
    )
    return found


@dataclass(frozen=True)
class ImportedPerson:
    """One person Twitch listed, as the import page shows them."""

    twitch_id: str
    login: str
    name: str
    moderator: bool
    vip: bool
    user: User | None  # their Modhall account, matched by Twitch id
    on_team: bool
    offered: bool


def imported_people(*, twitch_import: TwitchImport) -> list[ImportedPerson]:
    """Twitch's list with each person's Modhall account (by the Twitch id of the account
    they connected), whether they are on the team and whether a place is offered to them:
    three queries whatever the list's length."""
    people = twitch_import.people or []
    ids = [p["twitch_id"] for p in people]
    accounts = {
        account.uid: account.user
        for account in SocialAccount.objects.filter(
            provider="twitch", uid__in=ids, user__is_active=True
        ).select_related("user__profile")
    }
    user_ids = [user.pk for user in accounts.values()]
    on_team = set(
        Membership.objects.current()
        .filter(team_id=twitch_import.team_id, user_id__in=user_ids)
        .values_list("user_id", flat=True)
    )
    offered = _offered(team_id=twitch_import.team_id, user_ids=user_ids)
    return [
        ImportedPerson(
            twitch_id=p["twitch_id"],
            login=p["login"],
            name=p["name"],
            moderator=p["moderator"],
            vip=p["vip"],
            user=accounts.get(p["twitch_id"]),
            on_team=accounts.get(p["twitch_id"]) is not None
            and accounts[p["twitch_id"]].pk in on_team,
            offered=accounts.get(p["twitch_id"]) is not None
            and accounts[p["twitch_id"]].pk in offered,
        )
        for p in people
    ]


def _offered(*, team_id: int, user_ids: list[int]) -> set[int]:
    from portal.teams.models import Offer

    return set(
        Offer.objects.open()
        .filter(team_id=team_id, user_id__in=user_ids)
        .values_list("user_id", flat=True)
    )


def twitch_import_invite(*, team: Team, user: User, actor: User, level: Level = Level.MODERATOR):
    """Offer a person from the import a place on the team: the one way the import invites
    (the team's offers: they accept or decline it). Refusals (already on the team, a block
    either way) come back as ValidationError."""
    from portal.teams.services import offer_make

    if level not in IMPORT_LEVELS:
        raise ValidationError({"level": "Offer a moderator's or a trial place."})
    return offer_make(team=team, user=user, actor=actor, level=level)
