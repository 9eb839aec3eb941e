"""What the guides hold about a person (progress, checks, badges, feedback, the reflection
journal): all of it exported, all of it deleted with the account (portal/core/personal_data.py).
"""

from __future__ import annotations

from portal.core.personal_data import Leaving, PersonalData, delete_in_chunks, rows
from portal.guides.models import (
    Badge,
    CheckAttempt,
    JournalEntry,
    LessonFeedback,
    LessonProgress,
    TrackProgress,
)


def _eraser(model):
    def erase(leaving: Leaving) -> None:
        delete_in_chunks(model.objects.filter(user_id=leaving.user_id))

    return erase


PERSONAL_DATA = [
    PersonalData(
        model="guides.LessonProgress",
        title="your guide progress",
        export=lambda user: rows(
            LessonProgress.objects.filter(user=user),
            "lesson__uid",
            "lesson__title",
            "completed_at",
            "checklist_done",
            "check_passed_at",
            "updated_at",
        ),
        erase=_eraser(LessonProgress),
    ),
    PersonalData(
        model="guides.TrackProgress",
        title="your track progress",
        export=lambda user: rows(
            TrackProgress.objects.filter(user=user),
            "track__slug",
            "track__title",
            "checklist_done",
            "check_passed_at",
            "updated_at",
        ),
        erase=_eraser(TrackProgress),
    ),
    PersonalData(
        model="guides.CheckAttempt",
        title="your knowledge checks",
        export=lambda user: rows(
            CheckAttempt.objects.filter(user=user),
            "track__slug",
            "lesson__uid",
            "number",
            "score",
            "total",
            "passed",
            "created_at",
        ),
        erase=_eraser(CheckAttempt),
    ),
    PersonalData(
        model="guides.Badge",
        title="your badges",
        export=lambda user: rows(
            Badge.objects.filter(user=user), "track__slug", "track__title", "awarded_at", "code"
        ),
        # Their certificates' pages go with them (404).
        erase=_eraser(Badge),
    ),
    PersonalData(
        model="guides.LessonFeedback",
        title="your feedback on lessons",
        export=lambda user: rows(
            LessonFeedback.objects.filter(user=user),
            "lesson__uid",
            "helpful",
            "reason",
            "comment",
            "created_at",
            "updated_at",
        ),
        erase=_eraser(LessonFeedback),
    ),
    PersonalData(
        model="guides.JournalEntry",
        title="your journal",
        export=lambda user: rows(
            JournalEntry.objects.filter(user=user),
            "id",
            "lesson__uid",
            "lesson__title",
            "prompt",
            "body",
            "created_at",
            "updated_at",
        ),
        markdown="body",
        erase=_eraser(JournalEntry),
    ),
]
