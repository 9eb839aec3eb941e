"""Which review tools a person may use, and how much waits in each: one statement for the
people who hold a tool, none for everyone else.

The header shows the count on every page, so it must cost little and the same whatever the
data: a member who holds no tool is ruled out from their own row (staff, superuser, and
``User.in_tool_group``, a kept sieve for the forum moderators' group), and a person who holds
one gets every count, and whether they are a forum moderator, as columns of a single SELECT.
Who may use which tool is asked of the same checks the tools' own views make:
``forums.permissions.is_forum_moderator`` for the forum's queue, log and holding rules, and
``is_staff`` for the board's reports, guide feedback and failed emails
(``board.views.common.staff_required``, ``guides.views.feedback_review``,
``core.views._staff_only``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, F, Func, IntegerField, QuerySet, Subquery
from django.http import HttpRequest
from django.urls import reverse

from portal.accounts.models import User
from portal.board.models import OpeningReport
from portal.core.models import FailedEmail
from portal.forums import permissions
from portal.forums.models import Flag
from portal.forums.permissions import FORUM_MODERATORS
from portal.guides.models import LessonFeedback


@dataclass(frozen=True)
class Tool:
    name: str
    url: str
    description: str
    # How many items wait there (None: nothing waits in it, such as a log); ``waiting_text``
    # says what they are.
    waiting: int | None = None
    waiting_text: str = ""
    # Whether its items count in the header's "Review (n)". Failed emails do not: nobody can
    # dismiss one whose address is dead, and the header's number must be able to reach 0.
    counted: bool = True


@dataclass(frozen=True)
class ReviewDesk:
    tools: tuple[Tool, ...]

    @property
    def waiting(self) -> int:
        return sum(tool.waiting or 0 for tool in self.tools if tool.counted)


def _count(queryset: QuerySet) -> Subquery:
    """``SELECT COUNT(*) …`` as a column of another statement."""
    return Subquery(
        queryset.order_by().annotate(number=Func(F("pk"), function="COUNT")).values("number"),
        output_field=IntegerField(),
    )


def _plural(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def may_review(user) -> bool:
    """Whether the person might hold a review tool, from their row alone (no query)."""
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_staff or user.is_superuser or user.in_tool_group)
    )


def review_desk(user) -> ReviewDesk | None:
    """The person's review tools with their counts, or None when they hold none. No query for
    a member who holds no tool; one for anyone else."""
    if not may_review(user):
        return None
    columns = {}
    if user.is_superuser:
        permissions.remember_moderator(user, moderator=True)
    else:
        columns["is_moderator"] = Exists(
            User.groups.through.objects.filter(user_id=user.pk, group__name=FORUM_MODERATORS)
        )
    # Counted even if the group answer turns out no: a count costs less than a second trip.
    columns["n_held"] = _count(Flag.objects.open().filter(kind=Flag.Kind.HOLD))
    columns["n_reported"] = _count(Flag.objects.open().filter(kind=Flag.Kind.REPORT))
    if user.is_staff:
        comments = LessonFeedback.objects.exclude(comment="")
        if user.guide_feedback_seen_at is not None:
            comments = comments.filter(updated_at__gt=user.guide_feedback_seen_at)
        columns["n_board_reports"] = _count(OpeningReport.objects.unresolved())
        columns["n_feedback"] = _count(comments)
        columns["n_failed_emails"] = _count(FailedEmail.objects.waiting())
    counts = User.objects.filter(pk=user.pk).values(**columns).get()
    if "is_moderator" in counts:
        permissions.remember_moderator(user, moderator=bool(counts["is_moderator"]))

    tools: list[Tool] = []
    if permissions.is_forum_moderator(user):
        held, reported = counts["n_held"], counts["n_reported"]
        tools += [
            Tool(
                "Forum review queue",
                reverse("forums:queue"),
                "Posts the filter held and posts people reported: approve, deny, hide or dismiss.",
                waiting=held + reported,
                waiting_text=f"{_plural(held, 'held post', 'held posts')}, "
                f"{_plural(reported, 'report', 'reports')}",
            ),
            Tool(
                "Holding rules",
                reverse("forums:holding_rules"),
                "What the filter holds: each category's hold levels, blocked and permitted terms.",
            ),
            Tool(
                "Moderation log",
                reverse("forums:moderation_log"),
                "Every forum moderator's action, with the reason.",
            ),
        ]
    if user.is_staff:
        tools += [
            Tool(
                "Board reports",
                reverse("board:reports"),
                "Openings people reported as scams or harmful: dismiss or remove.",
                waiting=counts["n_board_reports"],
                waiting_text=_plural(counts["n_board_reports"], "open report", "open reports"),
            ),
            Tool(
                "Guide feedback",
                reverse("guides:feedback_review"),
                "What readers say about each lesson, and lessons past their review date.",
                waiting=counts["n_feedback"],
                waiting_text=_plural(counts["n_feedback"], "new comment", "new comments")
                + " since you last looked",
            ),
            Tool(
                "Failed emails",
                reverse("failed_emails"),
                "Emails the mail server refused every time: send one again.",
                waiting=counts["n_failed_emails"],
                waiting_text=_plural(counts["n_failed_emails"], "email", "emails")
                + " given up on (not counted in the header)",
                counted=False,
            ),
        ]
    return ReviewDesk(tools=tuple(tools)) if tools else None


def review_desk_for(request: HttpRequest) -> ReviewDesk | None:
    """``review_desk`` once per request: the header and the Review page share it."""
    if not hasattr(request, "_review_desk"):
        request._review_desk = review_desk(request.user)
    return request._review_desk
