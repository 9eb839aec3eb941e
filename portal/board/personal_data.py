"""What the board holds about a person (their channels and openings, their applications,
invitations and reports): how each is exported and what deletion does with it
(portal/core/personal_data.py).

Deletion withdraws the person's undecided applications and empties all of them (message and
answers), so the channels they applied to keep only that someone applied; it closes the
person's openings and takes their channels off the board. What other people wrote about them
(an owner's decline reason) goes with their application's answers.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from portal.board.models import (
    UNDECIDED,
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Channel,
    Invitation,
    Opening,
    OpeningReport,
    OpeningStatus,
)
from portal.core.personal_data import Leaving, PersonalData, delete_in_chunks, in_chunks, rows

# An opening in one of these is over already; the rest close when their owner leaves.
_OVER = [OpeningStatus.CLOSED, OpeningStatus.FILLED, OpeningStatus.EXPIRED, OpeningStatus.REMOVED]


def _applications(user) -> list[dict]:
    found = rows(
        Application.objects.filter(applicant=user),
        "id",
        "opening__title",
        "opening__channel__name",
        "message",
        "answers",
        "status",
        "created_at",
        "updated_at",
    )
    events: dict[int, list[dict]] = {}
    for event in ApplicationEvent.objects.filter(application__applicant=user).order_by("pk"):
        events.setdefault(event.application_id, []).append(
            {"from": event.from_status, "to": event.to_status, "at": event.created_at}
        )
    for application in found:
        application["history"] = events.get(application["id"], [])
    return found


def _applications_erase(leaving: Leaving) -> None:
    mine = Application.objects.filter(applicant_id=leaving.user_id)
    for pks in in_chunks(mine.filter(status__in=UNDECIDED)):
        with transaction.atomic():
            for application in Application.objects.select_for_update().filter(
                pk__in=pks, status__in=UNDECIDED
            ):
                ApplicationEvent.objects.create(
                    application=application,
                    actor=None,
                    from_status=application.status,
                    to_status=ApplicationStatus.WITHDRAWN,
                    reason="The applicant left Modhall.",
                )
                application.status = ApplicationStatus.WITHDRAWN
                application.save(update_fields=["status", "updated_at"])
    # Then every application of theirs loses what they wrote (and the owner's reply to it).
    for pks in in_chunks(mine.exclude(message="", answers=[], decline_reason="")):
        Application.objects.filter(pk__in=pks).update(
            message="", message_html="", answers=[], decline_reason="", updated_at=timezone.now()
        )


def _events_erase(leaving: Leaving) -> None:
    # An owner's moves on other people's applications no longer name them; the person's own
    # steps on their own applications read "by the applicant", which names no one.
    ApplicationEvent.objects.filter(actor_id=leaving.user_id).exclude(
        application__applicant_id=leaving.user_id
    ).update(actor=None)


def _openings(user) -> list[dict]:
    return rows(
        Opening.objects.filter(channel__owner=user),
        "id",
        "channel__name",
        "title",
        "description",
        "requirements",
        "schedule",
        "timezone",
        "hours_per_week",
        "compensation",
        "compensation_note",
        "trial_days",
        "status",
        "closes_on",
        "published_at",
        "created_at",
        "updated_at",
    )


def _openings_erase(leaving: Leaving) -> None:
    still_up = Opening.objects.filter(channel__owner_id=leaving.user_id).exclude(status__in=_OVER)
    for pks in in_chunks(still_up):
        Opening.objects.filter(pk__in=pks).exclude(status__in=_OVER).update(
            status=OpeningStatus.CLOSED, version=F("version") + 1, updated_at=timezone.now()
        )


def _channels(user) -> list[dict]:
    return rows(
        Channel.objects.filter(owner=user),
        "name",
        "slug",
        "twitch_login",
        "category",
        "typical_viewers",
        "timezone",
        "description",
        "created_at",
    )


def _channels_erase(leaving: Leaving) -> None:
    now = timezone.now()
    for channel in Channel.objects.filter(owner_id=leaving.user_id, left_at__isnull=True):
        # Its name, address and Twitch login may be the person's own; a hyphen is never in
        # a Twitch login, so "left-…" frees the real one for whoever registers it next.
        Channel.objects.filter(pk=channel.pk).update(
            left_at=now,
            name="A channel that left Modhall",
            slug=f"left-{channel.pk}",
            twitch_login=f"left-{channel.pk}",
            category="",
            description="",
            description_html="",
            version=F("version") + 1,
        )
        channel.languages.clear()


def _invitations(user) -> list[dict]:
    received = rows(
        Invitation.objects.filter(invitee=user),
        "opening__title",
        "opening__channel__name",
        "created_at",
    )
    sent = rows(
        Invitation.objects.filter(invited_by=user), "opening__title", "message", "created_at"
    )
    return [{"received": received, "sent": sent}]


def _invitations_erase(leaving: Leaving) -> None:
    delete_in_chunks(Invitation.objects.filter(invitee_id=leaving.user_id))
    delete_in_chunks(Invitation.objects.filter(invited_by_id=leaving.user_id))


PERSONAL_DATA = [
    PersonalData(
        model="board.Application",
        title="your applications",
        export=_applications,
        markdown="message",
        erase=_applications_erase,
    ),
    PersonalData(
        model="board.ApplicationEvent",
        title="your decisions on applications",
        erase=_events_erase,
        not_exported_because="the person's own applications' history is in their applications; "
        "an owner's decisions are part of other people's applications",
    ),
    PersonalData(
        model="board.Opening",
        title="your openings",
        export=_openings,
        markdown="description",
        erase=_openings_erase,
    ),
    PersonalData(
        model="board.Channel",
        title="your channels",
        export=_channels,
        markdown="description",
        erase=_channels_erase,
    ),
    PersonalData(
        model="board.Invitation",
        title="your invitations",
        export=_invitations,
        erase=_invitations_erase,
    ),
    PersonalData(
        model="board.OpeningReport",
        title="your reports of openings",
        export=lambda user: rows(
            OpeningReport.objects.filter(reporter=user),
            "opening__title",
            "reason",
            "details",
            "created_at",
            "resolution",
        ),
        kept_because="reports keep the board safe; they point at the anonymised account "
        "(and staff who resolved one stay its resolver, anonymised)",
    ),
    PersonalData(
        model="board.StaffRead",
        title="staff reads of applications",
        kept_because="the log of staff reading applications is an audit record; it points at "
        "the anonymised account",
        not_exported_because="staff records of the site, not the person's data",
    ),
]
