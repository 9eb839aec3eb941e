from django.urls import path

from portal.board.feeds import OpeningsAtomFeed, OpeningsRssFeed
from portal.board.views import applications, board, channels, moderators, openings, reports

app_name = "board"

urlpatterns = [
    path("", board.index, name="index"),
    path("feed/rss/", OpeningsRssFeed(), name="feed_rss"),
    path("feed/atom/", OpeningsAtomFeed(), name="feed_atom"),
    path("openings/new/", openings.opening_create, name="opening_create"),
    path("openings/mine/", openings.my_openings, name="my_openings"),
    path("openings/<int:pk>/", board.opening_detail, name="opening"),
    path("openings/<int:pk>/edit/", openings.opening_edit, name="opening_edit"),
    path("openings/<int:pk>/publish/", openings.opening_publish, name="opening_publish"),
    path("openings/<int:pk>/status/", openings.opening_action, name="opening_action"),
    path("openings/<int:pk>/extend/", openings.opening_extend, name="opening_extend"),
    path("openings/<int:pk>/apply/", applications.apply, name="apply"),
    path("openings/<int:pk>/applications/", applications.review, name="review"),
    path("openings/<int:pk>/applications/move/", applications.review_move, name="review_move"),
    path("openings/<int:pk>/report/", reports.report, name="report"),
    path("openings/<int:pk>/remove/", reports.opening_remove, name="opening_remove"),
    path("applications/", applications.my_applications, name="my_applications"),
    path("applications/<int:pk>/", applications.application_detail, name="application"),
    path("applications/<int:pk>/move/", applications.application_move, name="application_move"),
    path(
        "applications/<int:pk>/withdraw/",
        applications.application_withdraw,
        name="application_withdraw",
    ),
    path("moderators/", moderators.moderators, name="moderators"),
    path("moderators/<str:username>/invite/", moderators.invite, name="invite"),
    path("reports/", reports.reports, name="reports"),
    path("reports/<int:pk>/dismiss/", reports.report_dismiss, name="report_dismiss"),
    path("channels/new/", channels.channel_create, name="channel_create"),
    path("channels/<slug:slug>/", channels.channel_detail, name="channel"),
    path("channels/<slug:slug>/edit/", channels.channel_edit, name="channel_edit"),
]
