from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from portal.accounts.models import Language, Profile, Role, User


@admin.register(User)
class ModhallUserAdmin(UserAdmin):
    pass


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "display_name", "open_to_moderating", "is_public", "timezone"]
    list_filter = ["open_to_moderating", "is_public", "roles"]
    search_fields = ["user__username", "display_name", "twitch_login"]
    raw_id_fields = ["user"]
    readonly_fields = ["twitch_login_verified", "bio_html"]


admin.site.register(Role)
admin.site.register(Language)
