from django.urls import path

from portal.guides import views

app_name = "guides"

urlpatterns = [
    path("", views.index, name="index"),
]
