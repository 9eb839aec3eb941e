from django.urls import path

from portal.accounts import views

app_name = "accounts"

urlpatterns = [
    path("account/profile/", views.profile_edit, name="profile_edit"),
    path("account/sessions/<int:pk>/sign-out/", views.session_sign_out, name="session_sign_out"),
    path("people/<str:username>/", views.profile_detail, name="profile"),
]
