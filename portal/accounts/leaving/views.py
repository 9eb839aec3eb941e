"""The person's own data page (exports, with their progress), the download of an archive and
the account deletion form. Every export is the person's own: anyone else gets a 404."""

from __future__ import annotations

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from portal.accounts.forms import AccountDeletionForm
from portal.accounts.leaving import deletion, exports
from portal.accounts.models import DataExport

# How often the data page reloads itself while an export is being built (a meta refresh: no
# script needed).
REFRESH_SECONDS = 3


@login_required
def data(request: HttpRequest) -> HttpResponse:
    mine = list(DataExport.objects.filter(user=request.user, expires_at__gt=timezone.now())[:5])
    return render(
        request,
        "accounts/leaving/data.html",
        {
            "exports": mine,
            "building": any(export.is_pending for export in mine),
            "refresh_seconds": REFRESH_SECONDS,
            "kept_days": exports.EXPORT_KEPT_FOR.days,
            "kinds": exports.exported_kinds(),
        },
    )


@login_required
@require_POST
def export_request(request: HttpRequest) -> HttpResponse:
    exports.data_export_request(user=request.user)
    messages.success(request, "Your export is on its way; this page shows how far it has got.")
    return redirect("accounts:data")


@login_required
def export_download(request: HttpRequest, pk: int) -> FileResponse:
    export = get_object_or_404(
        DataExport,
        pk=pk,
        user=request.user,
        status=DataExport.Status.READY,
        expires_at__gt=timezone.now(),
    )
    response = FileResponse(
        exports.export_storage().open(export.file_name, "rb"),
        as_attachment=True,
        filename=f"modhall-data-{export.finished_at:%Y-%m-%d}.zip",
        content_type="application/zip",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@reauthentication_required
def account_delete(request: HttpRequest) -> HttpResponse:
    form = AccountDeletionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        asked = deletion.account_deletion_request(
            user=request.user, remove_posts=form.cleaned_data["remove_posts"]
        )
        logout(request)
        messages.info(
            request,
            f"Your account will be deleted on {asked.due_at:%-d %B %Y} (UTC). Changed your "
            "mind? Sign in before then and it will not be.",
        )
        return redirect("home")
    return render(
        request,
        "accounts/leaving/delete.html",
        {"form": form, "grace_days": deletion.GRACE_PERIOD.days},
    )


# Modhall's members moderate on a platform whose own minimum age is 13.
MINIMUM_AGE = 13


def privacy(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/privacy.html",
        {
            "minimum_age": MINIMUM_AGE,
            "export_days": exports.EXPORT_KEPT_FOR.days,
            "grace_days": deletion.GRACE_PERIOD.days,
        },
    )
