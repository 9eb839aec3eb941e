from django.urls import path

from portal.board import views
from portal.board.feeds import OpeningsAtomFeed, OpeningsRssFeed

app_name = "board"

urlpatterns = [
    path("", views.index, name="index"),
    path("feed/rss/", OpeningsRssFeed(), name="feed_rss"),
    path("feed/atom/", OpeningsAtomFeed(), name="feed_atom"),
    path("openings/new/", views.opening_create, name="opening_create"),
    path("openings/mine/", views.my_openings, name="my_openings"),
    path("openings/<int:pk>/", views.opening_detail, name="opening"),
    path("openings/<int:pk>/edit/", views.opening_edit, name="opening_edit"),
    path("openings/<int:pk>/publish/", views.opening_publish, name="opening_publish"),
    path("openings/<int:pk>/status/", views.opening_action, name="opening_action"),
    path("openings/<int:pk>/extend/", views.opening_extend, name="opening_extend"),
    path("openings/<int:pk>/apply/", views.apply, name="apply"),
    path("openings/<int:pk>/applications/", views.review, name="review"),
    path("openings/<int:pk>/report/", views.report, name="report"),
    path("openings/<int:pk>/remove/", views.opening_remove, name="opening_remove"),
    path("applications/", views.my_applications, name="my_applications"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/move/", views.application_move, name="application_move"),
    path(
        "applications/<int:pk>/withdraw/",
        views.application_withdraw,
        name="application_withdraw",
    ),
    path("moderators/", views.moderators, name="moderators"),
    path("moderators/<str:username>/invite/", views.invite, name="invite"),
    path("reports/", views.reports, name="reports"),
    path("reports/<int:pk>/dismiss/", views.report_dismiss, name="report_dismiss"),
    path("channels/new/", views.channel_create, name="channel_create"),
    path("channels/<slug:slug>/", views.channel_detail, name="channel"),
    path("channels/<slug:slug>/edit/", views.channel_edit, name="channel_edit"),
]
