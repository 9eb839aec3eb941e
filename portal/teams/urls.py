from django.urls import path

from portal.teams.views import team as views
from portal.teams.views import twitch_import

app_name = "teams"

urlpatterns = [
    path("", views.my_teams, name="mine"),
    path("<slug:slug>/", views.home, name="home"),
    path("<slug:slug>/leave/", views.leave, name="leave"),
    path("<slug:slug>/members/<int:member_id>/remove/", views.remove, name="remove"),
    path("<slug:slug>/twitch/", twitch_import.twitch_import, name="twitch_import"),
]
