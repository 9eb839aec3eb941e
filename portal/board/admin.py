from django.contrib import admin
from django.db.models import F

from portal.board.models import Application, ApplicationEvent, Channel, Opening, OpeningReport


class VersionedAdmin(admin.ModelAdmin):
    """An edit in the admin is a write like any other: it moves the row's version, so the
    pages' cached fragments of it get new keys (see models.Opening.version)."""

    def save_model(self, request, obj, form, change) -> None:
        if change:
            obj.version = F("version") + 1
        super().save_model(request, obj, form, change)


@admin.register(Channel)
class ChannelAdmin(VersionedAdmin):
    list_display = ["name", "twitch_login", "owner", "typical_viewers", "created_at"]
    search_fields = ["name", "twitch_login", "owner__username"]
    raw_id_fields = ["owner"]
    readonly_fields = ["description_html"]


@admin.register(Opening)
class OpeningAdmin(VersionedAdmin):
    # Status changes go through the site (services send the emails); the admin is for looking.
    list_display = ["title", "channel", "status", "published_at", "closes_on"]
    list_filter = ["status", "compensation"]
    search_fields = ["title", "channel__name", "channel__owner__username"]
    raw_id_fields = ["channel"]
    readonly_fields = ["description_html", "requirements_html", "reminder_sent_at"]


class ApplicationEventInline(admin.TabularInline):
    model = ApplicationEvent
    extra = 0
    can_delete = False
    raw_id_fields = ["actor"]
    readonly_fields = ["actor", "from_status", "to_status", "reason", "created_at"]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["applicant", "opening", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["applicant__username", "opening__title"]
    raw_id_fields = ["opening", "applicant"]
    readonly_fields = ["message_html"]
    inlines = [ApplicationEventInline]


@admin.register(OpeningReport)
class OpeningReportAdmin(admin.ModelAdmin):
    list_display = ["opening", "reason", "reporter", "created_at", "resolution"]
    list_filter = ["reason", "resolution"]
    raw_id_fields = ["opening", "reporter", "resolved_by"]
