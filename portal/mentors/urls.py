from django.urls import path

from portal.mentors import views

app_name = "mentors"

urlpatterns = [
    path("", views.index, name="index"),
    path("volunteer/", views.volunteer, name="volunteer"),
    path("mine/", views.mine, name="mine"),
    path("<int:mentor_id>/ask/", views.ask, name="ask"),
    path("mentorships/<int:pk>/", views.mentorship, name="mentorship"),
    path("mentorships/<int:pk>/answer/", views.answer, name="answer"),
    path("mentorships/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("mentorships/<int:pk>/observer/", views.observer, name="observer"),
    path("mentorships/<int:pk>/goals/", views.goal_add, name="goal_add"),
    path("mentorships/<int:pk>/goals/<int:goal_id>/done/", views.goal_done, name="goal_done"),
    path("mentorships/<int:pk>/schedule/", views.schedule, name="schedule"),
    path("mentorships/<int:pk>/checkins/", views.checkin, name="checkin"),
    path("mentorships/<int:pk>/end/", views.end, name="end"),
    path("mentorships/<int:pk>/ask-staff/", views.ask_staff, name="ask_staff"),
    path("staff/", views.staff_requests, name="staff_requests"),
]
