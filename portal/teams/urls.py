from django.urls import path

from portal.teams.views import coverage, debriefs, discussion, hiring, onboarding, twitch_import
from portal.teams.views import rulebook as rulebook_views
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
    # Onboarding: the member's own list, the leads' view and checklist, assigning tracks.
    path("<slug:slug>/onboarding/", onboarding.onboarding, name="onboarding"),
    path("<slug:slug>/onboarding/tick/", onboarding.tick, name="onboarding_tick"),
    path("<slug:slug>/onboarding/steps/", onboarding.checklist_add, name="checklist_add"),
    path(
        "<slug:slug>/onboarding/steps/<int:item_id>/remove/",
        onboarding.checklist_remove,
        name="checklist_remove",
    ),
    path("<slug:slug>/members/<int:member_id>/tracks/", onboarding.assign, name="assign"),
    # Coverage: the grid, its buttons, the leads' schedule, calendars, Discord.
    path("<slug:slug>/coverage/", coverage.grid, name="coverage"),
    path("<slug:slug>/coverage/sign-up/", coverage.sign_up, name="coverage_sign_up"),
    path("<slug:slug>/coverage/withdraw/", coverage.withdraw, name="coverage_withdraw"),
    path("<slug:slug>/coverage/swap/", coverage.swap_ask, name="swap_ask"),
    path("<slug:slug>/coverage/swap/take/", coverage.swap_take, name="swap_take"),
    path("<slug:slug>/coverage/swap/withdraw/", coverage.swap_withdraw, name="swap_withdraw"),
    path("<slug:slug>/coverage/schedule/", coverage.schedule, name="coverage_schedule"),
    path("<slug:slug>/coverage/calendar/", coverage.calendar, name="calendar"),
    path(
        "<slug:slug>/coverage/calendar/<str:token>.ics",
        coverage.calendar_feed,
        name="calendar_feed",
    ),
    path("<slug:slug>/discord/", coverage.discord_settings, name="discord"),
    path("<slug:slug>/discord/disconnect/", coverage.discord_disconnect, name="discord_disconnect"),
    path("<slug:slug>/twitch/", twitch_import.twitch_import, name="twitch_import"),
]

urlpatterns += [
    path("<slug:slug>/rulebook/", rulebook_views.rulebook, name="rulebook"),
    path("<slug:slug>/rulebook/versions/", rulebook_views.history, name="rulebook_history"),
    path(
        "<slug:slug>/rulebook/versions/<int:number>/",
        rulebook_views.version,
        name="rulebook_version",
    ),
    path(
        "<slug:slug>/rulebook/versions/<int:number>/changes/",
        rulebook_views.changes,
        name="rulebook_changes",
    ),
    path("<slug:slug>/rulebook/publish/", rulebook_views.publish, name="rulebook_publish"),
    path("<slug:slug>/rulebook/read/", rulebook_views.acknowledge, name="rulebook_acknowledge"),
]

urlpatterns += [
    path("<slug:slug>/debriefs/", debriefs.debriefs, name="debriefs"),
    path("<slug:slug>/debriefs/new/", debriefs.write, name="debrief_write"),
    path("<slug:slug>/debriefs/<int:debrief_id>/", debriefs.debrief, name="debrief"),
    path("<slug:slug>/debriefs/<int:debrief_id>/notes/", debriefs.note, name="debrief_note"),
]

# The team's discussion: a private forum category of its own (views/discussion.py).
urlpatterns += [
    path("<slug:slug>/discussion/", discussion.discussion, name="discussion"),
    path("<slug:slug>/discussion/new/", discussion.start, name="discussion_start"),
    path("<slug:slug>/discussion/watch/", discussion.watch, name="discussion_watch"),
    path("<slug:slug>/discussion/<int:topic_id>/", discussion.topic, name="discussion_topic"),
    path("<slug:slug>/discussion/<int:topic_id>/reply/", discussion.reply, name="discussion_reply"),
    path(
        "<slug:slug>/discussion/posts/<int:post_id>/report/",
        discussion.report,
        name="discussion_report",
    ),
]
