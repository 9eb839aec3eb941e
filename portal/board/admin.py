from django.contrib import admin
from django.db.models import F

from portal.board.models import Channel, Opening, OpeningReport, StaffRead


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


# Applications are not in the admin: staff read them only on the site, through an open
# report on the opening, where each read is logged (StaffRead). The admin would be a way
# around both.


@admin.register(StaffRead)
class StaffReadAdmin(admin.ModelAdmin):
    """The log, for looking only: nobody adds, edits or deletes its rows."""

    list_display = ["created_at", "staff", "applicant", "application", "report", "page"]
    list_filter = ["page"]
    search_fields = ["staff__username", "applicant__username"]
    list_select_related = ["staff", "applicant", "application__opening", "report__opening"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(OpeningReport)
class OpeningReportAdmin(admin.ModelAdmin):
    list_display = ["opening", "reason", "reporter", "created_at", "resolution"]
    list_filter = ["reason", "resolution"]
    raw_id_fields = ["opening", "reporter", "resolved_by"]
