from django.urls import path

from portal.forums import views

app_name = "forums"

urlpatterns = [
    path("", views.index, name="index"),
]
