from django.contrib import admin

from portal.digests.models import EmailPreferences


@admin.register(EmailPreferences)
class EmailPreferencesAdmin(admin.ModelAdmin):
    list_display = ["user", "digest_frequency", "digest_weekday", "digest_hour"]
    list_filter = ["digest_frequency"]
    search_fields = ["user__username"]
    raw_id_fields = ["user"]
