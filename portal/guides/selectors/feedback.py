"""For site staff: how helpful each lesson is, what readers wrote, what is due for review."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from portal.guides.models import FeedbackReason, Lesson, LessonFeedback


def lessons_with_helpfulness() -> list[Lesson]:
    """Every current lesson with counts of its "helpful" answers and each reason for "no"."""
    reasons = {
        f"reason_{reason}": Count("feedback", filter=Q(feedback__reason=reason))
        for reason in FeedbackReason.values
    }
    return list(
        Lesson.objects.active()
        .select_related("track")
        .for_listing()
        .defer("body_text", "checklist")
        .annotate(
            helpful_count=Count("feedback", filter=Q(feedback__helpful=True)),
            unhelpful_count=Count("feedback", filter=Q(feedback__helpful=False)),
            **reasons,
        )
        .in_order()
    )


_COMMENT_FIELDS = [
    "helpful", "reason", "comment", "updated_at", "user__username",
    "lesson__title", "lesson__slug", "lesson__track__slug", "lesson__track__title",
]  # fmt: skip


def feedback_comments() -> QuerySet[LessonFeedback]:
    return (
        LessonFeedback.objects.exclude(comment="")
        .select_related("user", "lesson__track")
        .only(*_COMMENT_FIELDS)
        .order_by("-updated_at", "-pk")
    )


def lessons_due_for_review(*, today: date | None = None) -> list[Lesson]:
    today = today or timezone.localdate()
    return list(
        Lesson.objects.active()
        .filter(review_due__lt=today)
        .select_related("track")
        .for_listing()
        .defer("body_text", "checklist")
        .order_by("review_due", "pk")
    )
