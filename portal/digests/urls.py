from django.urls import path

from portal.digests import views

app_name = "digests"

urlpatterns = [
    path("settings/", views.preferences, name="preferences"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
