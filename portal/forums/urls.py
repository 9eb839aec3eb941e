from django.urls import path

from portal.forums import views

app_name = "forums"

urlpatterns = [
    path("", views.index, name="index"),
    path("latest/", views.latest, name="latest"),
    path("unanswered/", views.unanswered, name="unanswered"),
    path("search/", views.search, name="search"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("c/<slug:slug>/", views.category_detail, name="category"),
    path("c/<slug:slug>/new/", views.topic_create, name="topic_create"),
    path("c/<slug:slug>/watch/", views.category_watch, name="category_watch"),
    path("t/<int:pk>/", views.topic_detail, name="topic_short"),
    path("t/<int:pk>/<slug:slug>/", views.topic_detail, name="topic"),
    path("t/<int:pk>/-/unread/", views.topic_unread, name="topic_unread"),
    path("t/<int:pk>/-/reply/", views.reply, name="reply"),
    path("t/<int:pk>/-/watch/", views.topic_watch, name="topic_watch"),
    path("t/<int:pk>/-/unaccept/", views.topic_unaccept, name="topic_unaccept"),
    path("t/<int:pk>/-/moderate/", views.topic_moderate, name="topic_moderate"),
    path("p/<int:pk>/", views.post_permalink, name="post"),
    path("p/<int:pk>/edit/", views.post_edit, name="post_edit"),
    path("p/<int:pk>/history/", views.post_history, name="post_history"),
    path("p/<int:pk>/delete/", views.post_delete, name="post_delete"),
    path("p/<int:pk>/react/", views.post_react, name="post_react"),
    path("p/<int:pk>/accept/", views.post_accept, name="post_accept"),
    path("p/<int:pk>/report/", views.post_report, name="post_report"),
    path("p/<int:pk>/moderate/", views.post_moderate, name="post_moderate"),
    path("moderation/queue/", views.queue, name="queue"),
    path("moderation/flags/<int:pk>/<str:action>/", views.flag_act, name="flag_act"),
    path("moderation/log/", views.moderation_log, name="moderation_log"),
    path("moderation/people/<str:username>/", views.person_moderate, name="person_moderate"),
    path("moderation/suspensions/<int:pk>/lift/", views.suspension_lift, name="suspension_lift"),
    path("lessons/<int:pk>/discuss/", views.lesson_discuss, name="lesson_discuss"),
]
