"""Admin for the guides. Lessons and tracks come from the guides/ files (sync_guides), so the
admin shows them read-only, except the one field the files do not own: a lesson's
discussion link, which the forums fill in."""

from django.contrib import admin

from portal.guides.library import LESSON_FIELDS, TRACK_FIELDS
from portal.guides.models import Badge, Lesson, LessonFeedback, Track


@admin.register(Track)
class TrackAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "role", "order", "is_retired", "synced_at"]
    list_filter = ["is_retired"]
    readonly_fields = [
        "slug", "role", *TRACK_FIELDS, "content_hash", "is_retired", "synced_at",
    ]  # fmt: skip

    def has_add_permission(self, request) -> bool:
        return False  # tracks are added in guides/, not here

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # retired by sync, never deleted: badges point at them


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin):
    list_display = ["title", "track", "position", "review_due", "is_retired", "discussion_url"]
    list_filter = ["track", "is_retired"]
    search_fields = ["title", "uid", "source_path"]
    fields = ["uid", "track", *LESSON_FIELDS, "content_changed_at", "is_retired", "discussion_url"]
    readonly_fields = [
        "uid", "track", *LESSON_FIELDS, "content_changed_at", "is_retired",
    ]  # fmt: skip

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # retired by sync, never deleted: progress points at them


@admin.register(LessonFeedback)
class LessonFeedbackAdmin(admin.ModelAdmin):
    list_display = ["lesson", "user", "helpful", "reason", "updated_at"]
    list_filter = ["helpful", "reason"]
    raw_id_fields = ["user", "lesson"]


@admin.register(Badge)
class BadgeAdmin(admin.ModelAdmin):
    list_display = ["user", "track", "awarded_at"]
    list_filter = ["track"]
    raw_id_fields = ["user"]
    readonly_fields = ["code"]
