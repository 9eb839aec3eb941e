from django.urls import path

from portal.board import views

app_name = "board"

urlpatterns = [
    path("", views.index, name="index"),
    path("channels/new/", views.channel_create, name="channel_create"),
    path("channels/<slug:slug>/", views.channel_detail, name="channel"),
    path("channels/<slug:slug>/edit/", views.channel_edit, name="channel_edit"),
]
