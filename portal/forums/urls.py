from django.urls import path

from portal.forums.views import holding, moderation, reading, writing

app_name = "forums"

urlpatterns = [
    path("", reading.index, name="index"),
    path("latest/", reading.latest, name="latest"),
    path("unanswered/", reading.unanswered, name="unanswered"),
    path("search/", reading.search, name="search"),
    path("notifications/", reading.notifications, name="notifications"),
    path("notifications/read/", writing.notifications_read, name="notifications_read"),
    path("c/<slug:slug>/", reading.category_detail, name="category"),
    path("c/<slug:slug>/new/", writing.topic_create, name="topic_create"),
    path("c/<slug:slug>/watch/", writing.category_watch, name="category_watch"),
    path("t/<int:pk>/", reading.topic_detail, name="topic_short"),
    path("t/<int:pk>/<slug:slug>/", reading.topic_detail, name="topic"),
    path("t/<int:pk>/-/unread/", reading.topic_unread, name="topic_unread"),
    path("t/<int:pk>/-/new-replies/", reading.topic_new_replies, name="topic_new_replies"),
    path("t/<int:pk>/-/reply/", writing.reply, name="reply"),
    path("t/<int:pk>/-/watch/", writing.topic_watch, name="topic_watch"),
    path("t/<int:pk>/-/unaccept/", writing.topic_unaccept, name="topic_unaccept"),
    path("t/<int:pk>/-/moderate/", moderation.topic_moderate, name="topic_moderate"),
    path("p/<int:pk>/", reading.post_permalink, name="post"),
    path("p/<int:pk>/edit/", writing.post_edit, name="post_edit"),
    path("p/<int:pk>/history/", reading.post_history, name="post_history"),
    path("p/<int:pk>/delete/", writing.post_delete, name="post_delete"),
    path("p/<int:pk>/react/", writing.post_react, name="post_react"),
    path("p/<int:pk>/accept/", writing.post_accept, name="post_accept"),
    path("p/<int:pk>/report/", writing.post_report, name="post_report"),
    path("p/<int:pk>/moderate/", moderation.post_moderate, name="post_moderate"),
    path("moderation/queue/", moderation.queue, name="queue"),
    path("moderation/flags/<int:pk>/<str:action>/", moderation.flag_act, name="flag_act"),
    path("moderation/log/", moderation.moderation_log, name="moderation_log"),
    path("moderation/people/<str:username>/", moderation.person_moderate, name="person_moderate"),
    path(
        "moderation/suspensions/<int:pk>/lift/", moderation.suspension_lift, name="suspension_lift"
    ),
    path("moderation/holding/", holding.holding_rules, name="holding_rules"),
    path("moderation/holding/c/<slug:slug>/", holding.hold_levels, name="hold_levels"),
    path("moderation/holding/terms/<int:pk>/", holding.filter_term_edit, name="filter_term_edit"),
    path(
        "moderation/holding/terms/<int:pk>/remove/",
        holding.filter_term_remove,
        name="filter_term_remove",
    ),
    path("lessons/<int:pk>/discuss/", writing.lesson_discuss, name="lesson_discuss"),
]
