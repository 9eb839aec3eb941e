from django.contrib import admin

from portal.board.models import Channel


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ["name", "twitch_login", "owner", "typical_viewers", "created_at"]
    search_fields = ["name", "twitch_login", "owner__username"]
    raw_id_fields = ["owner"]
    readonly_fields = ["description_html"]
