"""The private conversations' addresses, under /messages/ (portal/urls.py)."""

from django.urls import path

from portal.forums.views import conversations

app_name = "conversations"

urlpatterns = [
    path("", conversations.index, name="index"),
    path("new/", conversations.start, name="start"),
    path("<int:pk>/", conversations.detail, name="detail"),
    path("<int:pk>/reply/", conversations.reply, name="reply"),
    path("<int:pk>/leave/", conversations.leave, name="leave"),
    path("m/<int:pk>/", conversations.message, name="message"),
    path("m/<int:pk>/delete/", conversations.message_delete, name="message_delete"),
    path("m/<int:pk>/report/", conversations.message_report, name="message_report"),
]
