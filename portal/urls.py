from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from portal.accounts import views as account_views
from portal.core import views as core_views
from portal.digests import views as digest_views
from portal.home import views as home_views

# The admin signs in through allauth's login, which asks for the second factor; its own login
# form would accept a password alone. (Before admin.site.urls is read below.)
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", home_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    # Modhall's own sessions page (device and browser names, sign out one session) at allauth's
    # address and name, before allauth's, so every link to allauth's reaches it.
    path("accounts/sessions/", account_views.sessions, name="usersessions_list"),
    path("accounts/", include("allauth.urls")),
    path("account/twitch/", include("portal.twitch.urls")),
    path("", include("portal.accounts.urls")),
    path("guides/", include("portal.guides.urls")),
    path("board/", include("portal.board.urls")),
    path("forums/", include("portal.forums.urls")),
    path("messages/", include("portal.forums.conversation_urls")),
    path("search/", include("portal.search.urls")),
    path("review/", include("portal.review.urls")),
    path("teams/", include("portal.teams.urls")),
    path("mentors/", include("portal.mentors.urls")),
    path("email/failed/", core_views.failed_emails, name="failed_emails"),
    path("email/failed/<int:pk>/send/", core_views.failed_email_send, name="failed_email_send"),
    path("email/", include("portal.digests.urls")),
    path("digests/preview/", digest_views.preview, name="digest_preview"),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    # Uploaded avatars on a laptop; production serves MEDIA_URL from the web server (README).
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler403 = "portal.core.views.error_403"
handler404 = "portal.core.views.error_404"
handler500 = "portal.core.views.error_500"
