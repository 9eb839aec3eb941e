from django.urls import path

from portal.teams.views import hiring
from portal.teams.views import team as views

app_name = "teams"

urlpatterns = [
    path("", views.my_teams, name="mine"),
    path("offers/<int:pk>/", hiring.offer, name="offer"),
    path("<slug:slug>/", views.home, name="home"),
    path("<slug:slug>/leave/", views.leave, name="leave"),
    path("<slug:slug>/members/<int:member_id>/remove/", views.remove, name="remove"),
    path("<slug:slug>/invite/", hiring.invite, name="invite"),
    path(
        "<slug:slug>/offers/<int:offer_id>/withdraw/", hiring.offer_withdraw, name="offer_withdraw"
    ),
    path("<slug:slug>/members/<int:member_id>/edit/", hiring.member_edit, name="member_edit"),
    path("<slug:slug>/members/<int:member_id>/trial/", hiring.trial, name="trial"),
]
