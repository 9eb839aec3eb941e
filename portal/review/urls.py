from django.urls import path

from portal.review import views

app_name = "review"

urlpatterns = [path("", views.tools, name="tools")]
