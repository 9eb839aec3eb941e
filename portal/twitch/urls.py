from django.urls import path

from portal.twitch import views

app_name = "twitch"

urlpatterns = [
    path("", views.account, name="account"),
    path("verify/", views.history_verify, name="history_verify"),
    path("callback/", views.callback, name="callback"),
    path("remove/", views.history_remove, name="history_remove"),
    path("show/", views.history_show, name="history_show"),
    path("channels/<int:pk>/hide/", views.channel_hide, name="channel_hide"),
]
