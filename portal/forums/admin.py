"""Site administrators edit the categories here; the rest is read-mostly, for looking things
up. Moderation itself happens on the site, where every action is logged: hold levels and
filter terms too, on the forum moderators' holding rules page (views/holding.py), which is
where they should be changed (a change made here is not in the moderation log)."""

from django.contrib import admin
from django.db.models import F

from portal.forums.hold import HOLD_CATEGORY_KEYS
from portal.forums.models import (
    Category,
    FilterTerm,
    Flag,
    ModerationAction,
    Post,
    Suspension,
    Topic,
)
from portal.forums.services import category_stats_refresh


class VersionedAdmin(admin.ModelAdmin):
    """A change made here moves the row's version, as the services' changes do, so pages
    render the row afresh (forums/models/__init__.py)."""

    def save_model(self, request, obj, form, change) -> None:
        if change:
            obj.version = F("version") + 1
        super().save_model(request, obj, form, change)


@admin.register(Category)
class CategoryAdmin(VersionedAdmin):
    # Private categories (the conversations', each team's) are made and kept by their
    # services, and their topics are read only by their members: not listed here.
    def get_queryset(self, request):
        return super().get_queryset(request).filter(is_private=False)

    list_display = ["name", "order", "is_qa", "staff_only_posting", "role", "colour"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "description", "order", "role", "colour"]}),
        ("Posting", {"fields": ["is_qa", "staff_only_posting"]}),
        (
            "Hold for review (0 holds nothing, 4 holds the most)",
            {
                "fields": [f"hold_{key}" for key in HOLD_CATEGORY_KEYS],
                "description": "The platform's AutoMod categories. Discrimination is the first "
                "four, sexual content the fifth, hostility aggression and bullying, profanity "
                "swearing.",
            },
        ),
    ]


@admin.register(FilterTerm)
class FilterTermAdmin(admin.ModelAdmin):
    list_display = ["text", "action", "category", "level", "note", "created_at"]
    list_filter = ["action", "category"]
    search_fields = ["text", "note"]


@admin.register(Topic)
class TopicAdmin(VersionedAdmin):
    list_display = ["title", "category", "author", "status", "reply_count", "last_posted_at"]
    list_filter = ["status", "category", "is_pinned", "is_locked", "is_closed"]
    search_fields = ["title", "author__username"]
    raw_id_fields = ["author", "last_post_by", "accepted_answer"]
    readonly_fields = ["status", "reply_count", "last_posted_at", "last_post_by"]

    # Staff read private conversations and team topics only through a report, on the site.
    def get_queryset(self, request):
        return super().get_queryset(request).filter(is_private=False)

    # Staff may move a topic (or delete one) here too: keep the forum index's numbers right.
    def save_model(self, request, obj, form, change) -> None:
        before = form.initial.get("category") if change else None
        super().save_model(request, obj, form, change)
        category_stats_refresh(category_ids=[obj.category_id, *([before] if before else [])])

    def delete_model(self, request, obj) -> None:
        super().delete_model(request, obj)
        category_stats_refresh(category_ids=[obj.category_id])

    def delete_queryset(self, request, queryset) -> None:
        category_ids = set(queryset.values_list("category", flat=True))
        super().delete_queryset(request, queryset)
        category_stats_refresh(category_ids=category_ids)


@admin.register(Post)
class PostAdmin(VersionedAdmin):
    list_display = ["pk", "topic", "author", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["author__username", "topic__title"]
    raw_id_fields = ["topic", "author"]
    readonly_fields = ["body", "body_html", "status", "moderation_reason", "published_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(topic__is_private=False)


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    list_display = ["post", "kind", "reason", "reporter", "created_at", "resolution"]
    list_filter = ["kind", "reason", "resolution"]
    raw_id_fields = ["post", "reporter", "resolved_by"]


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin):
    list_display = ["created_at", "moderator", "action", "person", "topic"]
    list_filter = ["action"]
    raw_id_fields = ["moderator", "topic", "post", "person"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # the log is a record: nobody rewrites it

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Suspension)
class SuspensionAdmin(admin.ModelAdmin):
    list_display = ["user", "until", "created_by", "lifted_at"]
    raw_id_fields = ["user", "created_by", "lifted_by"]
