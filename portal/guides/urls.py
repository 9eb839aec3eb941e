from django.urls import path

from portal.guides import views

app_name = "guides"

# The fixed pages come before "<track_slug>/"; library.py keeps track folders from taking
# their names (RESERVED_TRACK_SLUGS).
urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.search, name="search"),
    path("find-your-role/", views.find_your_role, name="find_your_role"),
    path("find-your-role/roles/", views.roles_save, name="roles_save"),
    path("feedback/", views.feedback_review, name="feedback_review"),
    path("certificates/<str:code>/", views.certificate, name="certificate"),
    path("glossary/", views.glossary, name="glossary"),
    path("journal/", views.journal, name="journal"),
    path("journal/<int:entry_id>/delete/", views.journal_entry_delete, name="journal_delete"),
    path("<slug:track_slug>/", views.track_detail, name="track"),
    path("<slug:track_slug>/checklist/", views.track_checklist, name="track_checklist"),
    path("<slug:track_slug>/check/", views.track_check, name="track_check"),
    path("<slug:track_slug>/check/answers/", views.track_check_submit, name="track_check_submit"),
    path("<slug:track_slug>/<slug:lesson_slug>/", views.lesson_detail, name="lesson"),
    path(
        "<slug:track_slug>/<slug:lesson_slug>/complete/",
        views.lesson_complete,
        name="lesson_complete",
    ),
    path(
        "<slug:track_slug>/<slug:lesson_slug>/checklist/",
        views.lesson_checklist,
        name="lesson_checklist",
    ),
    path("<slug:track_slug>/<slug:lesson_slug>/check/", views.lesson_check, name="lesson_check"),
    path(
        "<slug:track_slug>/<slug:lesson_slug>/journal/",
        views.lesson_journal,
        name="lesson_journal",
    ),
    path(
        "<slug:track_slug>/<slug:lesson_slug>/feedback/",
        views.lesson_feedback,
        name="lesson_feedback",
    ),
]
