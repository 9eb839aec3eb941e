"""What teams hold about a person: their places on teams, and the team news they caused
(portal/core/personal_data.py)."""

from __future__ import annotations

from portal.accounts.models import User
from portal.core.personal_data import Leaving, PersonalData, delete_in_chunks
from portal.teams.models import (
    CalendarFeed,
    CoverSignup,
    DiscordWebhook,
    Membership,
    Offer,
    SwapRequest,
    TeamEvent,
    TrackAssignment,
)


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
            "expires_at": o.expires_at,
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


def _assignments(user: User) -> list[dict]:
    # The guide tracks assigned to them on their teams (the leads who assigned them unnamed).
    return [
        {"channel": a.membership.team.channel.name, "track": a.track.title, "at": a.assigned_at}
        for a in TrackAssignment.objects.filter(membership__user=user).select_related(
            "membership__team__channel", "track"
        )
    ]


def _assignments_erase(leaving: Leaving) -> None:
    # Their own assignments go with their memberships; those they made stay, unsigned.
    TrackAssignment.objects.filter(assigned_by_id=leaving.user_id).update(assigned_by=None)


def _events_erase(leaving: Leaving) -> None:
    # The team's history keeps what happened ("… joined the team") but not who did it.
    TeamEvent.objects.filter(actor_id=leaving.user_id).update(actor=None)


def _signups(user: User) -> list[dict]:
    return [
        {
            "channel": s.slot.team.channel.name,
            "stream": f"{s.on:%Y-%m-%d} {s.slot.start:%H:%M}-{s.slot.end:%H:%M}",
            "timezone": s.slot.timezone,
            "signed_up_at": s.created_at,
        }
        for s in CoverSignup.objects.filter(user=user).select_related("slot__team__channel")
    ]


def _signups_erase(leaving: Leaving) -> None:
    # The streams they covered become open again (they are gone from every team anyway).
    delete_in_chunks(CoverSignup.objects.filter(user_id=leaving.user_id))


def _swaps(user: User) -> list[dict]:
    rows = SwapRequest.objects.filter(asked_by=user) | SwapRequest.objects.filter(taken_by=user)
    return [
        {
            "channel": s.signup.slot.team.channel.name,
            "stream": f"{s.signup.on:%Y-%m-%d} {s.signup.slot.start:%H:%M}",
            "asked_by_you": s.asked_by_id == user.pk,
            "taken_by_you": s.taken_by_id == user.pk,
            "asked_at": s.asked_at,
            "outcome": s.outcome,
        }
        for s in rows.select_related("signup__slot__team__channel")
    ]


def _swaps_erase(leaving: Leaving) -> None:
    delete_in_chunks(SwapRequest.objects.filter(asked_by_id=leaving.user_id))
    # A swap they took stays the asker's record, without them.
    SwapRequest.objects.filter(taken_by_id=leaving.user_id).update(taken_by=None)


def _feeds(user: User) -> list[dict]:
    # Not the token itself: an archive lying about should not open the calendar.
    return [
        {"channel": f.team.channel.name, "made_at": f.created_at, "with_schedule": f.with_schedule}
        for f in CalendarFeed.objects.filter(user=user).select_related("team__channel")
    ]


def _feeds_erase(leaving: Leaving) -> None:
    CalendarFeed.objects.filter(user_id=leaving.user_id).delete()


def _webhooks_erase(leaving: Leaving) -> None:
    # The webhook is the team's; only the note of who connected it goes.
    DiscordWebhook.objects.filter(connected_by_id=leaving.user_id).update(connected_by=None)


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
        model="teams.TrackAssignment",
        title="guide tracks assigned to you on your teams",
        export=_assignments,
        erase=_assignments_erase,
    ),
    PersonalData(
        model="teams.TeamEvent",
        title="team news you caused",
        not_exported_because="the team's record of what happened, shared by its members; "
        "its lines name people by display name only",
        erase=_events_erase,
    ),
    PersonalData(
        model="teams.CoverSignup",
        title="the streams you signed up to cover",
        export=_signups,
        erase=_signups_erase,
    ),
    PersonalData(
        model="teams.SwapRequest",
        title="swaps you asked for or took",
        export=_swaps,
        erase=_swaps_erase,
    ),
    PersonalData(
        model="teams.CalendarFeed",
        title="your calendar addresses",
        export=_feeds,
        erase=_feeds_erase,
    ),
    PersonalData(
        model="teams.DiscordWebhook",
        title="Discord webhooks you connected",
        not_exported_because="the team's, not yours; its address is a secret of the team",
        erase=_webhooks_erase,
    ),
]


# --- The rulebook and debriefs ---------------------------------------------------------------
# What a person wrote for their team (rulebook versions, debriefs, notes on debriefs) is the
# team's record: others rely on it (the version members acknowledged, the debrief a rulebook
# change links back to). So it stays when its author deletes their account, shown under "a
# former member" (the author link is cleared), whatever they chose for their forum posts; it
# is in their export. Their "I've read version N" marks are theirs alone and go.


def _rulebook_versions(user: User) -> list[dict]:
    from portal.teams.models import RulebookVersion

    return [
        {
            "channel": v.team.channel.name,
            "version": v.number,
            "published_at": v.published_at,
            "what_changed_and_why": v.change_note,
            "public_rules": v.public_rules,
            "team_procedures": v.team_rules,
        }
        for v in RulebookVersion.objects.filter(author=user).select_related("team__channel")
    ]


def _rulebook_reads(user: User) -> list[dict]:
    from portal.teams.models import RulebookAcknowledgement

    return [
        {
            "channel": a.version.team.channel.name,
            "version": a.version.number,
            "read_at": a.acknowledged_at,
        }
        for a in RulebookAcknowledgement.objects.filter(user=user).select_related(
            "version__team__channel"
        )
    ]


def _debriefs(user: User) -> list[dict]:
    from portal.teams.models import Debrief

    return [
        {
            "channel": d.team.channel.name,
            "title": d.title,
            "happened_on": d.happened_on,
            "written_at": d.created_at,
            "what_happened": d.what_happened,
            "what_we_did": d.what_we_did,
            "what_worked": d.what_worked,
            "what_we_would_change": d.what_we_would_change,
        }
        for d in Debrief.objects.filter(author=user).select_related("team__channel")
    ]


def _debrief_notes(user: User) -> list[dict]:
    from portal.teams.models import DebriefNote

    return [
        {
            "channel": n.debrief.team.channel.name,
            "debrief": n.debrief.title,
            "written_at": n.created_at,
            "body": n.body,
        }
        for n in DebriefNote.objects.filter(author=user).select_related("debrief__team__channel")
    ]


def _keep_as_former_member(model: str, field: str = "author"):
    def erase(leaving: Leaving) -> None:
        from django.apps import apps

        apps.get_model(model).objects.filter(**{f"{field}_id": leaving.user_id}).update(
            **{field: None}
        )

    return erase


def _rulebook_reads_erase(leaving: Leaving) -> None:
    from portal.teams.models import RulebookAcknowledgement

    delete_in_chunks(RulebookAcknowledgement.objects.filter(user_id=leaving.user_id))


PERSONAL_DATA += [
    PersonalData(
        model="teams.RulebookVersion",
        title="rulebook versions you published",
        export=_rulebook_versions,
        erase=_keep_as_former_member("teams.RulebookVersion"),
    ),
    PersonalData(
        model="teams.RulebookAcknowledgement",
        title="rulebook versions you said you read",
        export=_rulebook_reads,
        erase=_rulebook_reads_erase,
    ),
    PersonalData(
        model="teams.Debrief",
        title="debriefs you wrote",
        export=_debriefs,
        markdown="what_happened",
        erase=_keep_as_former_member("teams.Debrief"),
    ),
    PersonalData(
        model="teams.DebriefNote",
        title="your notes on debriefs",
        export=_debrief_notes,
        markdown="body",
        erase=_keep_as_former_member("teams.DebriefNote"),
    ),
]
