"""What teams hold about a person: their places on teams, and the team news they caused
(portal/core/personal_data.py)."""

from __future__ import annotations

from portal.accounts.models import User
from portal.core.personal_data import Leaving, PersonalData, delete_in_chunks
from portal.teams.models import Membership, Offer, TeamEvent


def _memberships(user: User) -> list[dict]:
    return [
        {
            "channel": m.team.channel.name,
            "level": m.get_level_display(),
            "roles": [role.name for role in m.roles.all()],
            "listed": m.listed,
            "joined_at": m.joined_at,
            "trial_ends_on": m.trial_ends_on,
            "removed_at": m.removed_at,
        }
        for m in Membership.objects.filter(user=user)
        .select_related("team__channel")
        .prefetch_related("roles")
    ]


def _memberships_erase(leaving: Leaving) -> None:
    # Off every team at once (their access ends), and no trace of them on the rosters.
    delete_in_chunks(Membership.objects.filter(user_id=leaving.user_id))


def _roles_erase(leaving: Leaving) -> None:
    Membership.roles.through.objects.filter(membership__user_id=leaving.user_id).delete()


def _offers(user: User) -> list[dict]:
    return [
        {
            "channel": o.team.channel.name,
            "level": o.get_level_display(),
            "roles": [role.name for role in o.roles.all()],
            "trial_ends_on": o.trial_ends_on,
            "status": o.get_status_display(),
            "created_at": o.created_at,
            "answered_at": o.answered_at,
        }
        for o in Offer.objects.filter(user=user)
        .select_related("team__channel")
        .prefetch_related("roles")
    ]


def _offers_erase(leaving: Leaving) -> None:
    # Offers to them go (the team keeps no trace); offers they made stay, unsigned.
    delete_in_chunks(Offer.objects.filter(user_id=leaving.user_id))
    Offer.objects.filter(made_by_id=leaving.user_id).update(made_by=None)


def _offer_roles_erase(leaving: Leaving) -> None:
    Offer.roles.through.objects.filter(offer__user_id=leaving.user_id).delete()


def _events_erase(leaving: Leaving) -> None:
    # The team's history keeps what happened ("… joined the team") but not who did it.
    TeamEvent.objects.filter(actor_id=leaving.user_id).update(actor=None)


PERSONAL_DATA = [
    PersonalData(
        model="teams.Membership",
        title="your mod teams",
        export=_memberships,
        erase=_memberships_erase,
    ),
    PersonalData(
        model="teams.Membership_roles",
        title="the roles you play on your teams",
        not_exported_because="listed with each team under “your mod teams”",
        erase=_roles_erase,
    ),
    PersonalData(
        model="teams.Offer",
        title="places on mod teams offered to you",
        export=_offers,
        erase=_offers_erase,
    ),
    PersonalData(
        model="teams.Offer_roles",
        title="the roles offered to you",
        not_exported_because="listed with each offer under “places on mod teams offered to you”",
        erase=_offer_roles_erase,
    ),
    PersonalData(
        model="teams.TeamEvent",
        title="team news you caused",
        not_exported_because="the team's record of what happened, shared by its members; "
        "its lines name people by display name only",
        erase=_events_erase,
    ),
]
