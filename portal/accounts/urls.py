from django.urls import path

from portal.accounts import views
from portal.accounts.leaving import views as leaving

app_name = "accounts"

urlpatterns = [
    path("account/profile/", views.profile_edit, name="profile_edit"),
    path("account/appearance/", views.appearance, name="appearance"),
    path("account/picture/", views.avatar, name="avatar"),
    path("account/sessions/<int:pk>/sign-out/", views.session_sign_out, name="session_sign_out"),
    path("account/data/", leaving.data, name="data"),
    path("account/data/export/", leaving.export_request, name="export_request"),
    path("account/data/exports/<int:pk>/", leaving.export_download, name="export_download"),
    path("account/delete/", leaving.account_delete, name="delete"),
    path("account/blocked/", views.blocks, name="blocks"),
    path("people/<str:username>/block/", views.block, name="block"),
    path("people/<str:username>/unblock/", views.unblock, name="unblock"),
    path("privacy/", leaving.privacy, name="privacy"),
    path("people/<str:username>/", views.profile_detail, name="profile"),
]
