"""Trust and safety: reporting an opening, the staff's report queue (and the log of
applications read through a report), dismissing a report and removing an opening."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from portal.board import selectors, services
from portal.board.forms import RemoveForm, ReportForm
from portal.board.models import OpeningReport, OpeningStatus
from portal.board.views.common import page_of, staff_required
from portal.core.forms import add_refusal, refusal_response
from portal.core.once import AlreadyDone


@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    opening = selectors.opening_for_viewer(pk=pk, viewer=request.user)
    if opening.is_owned_by(request.user):
        raise PermissionDenied("You can't report your own opening.")
    form = ReportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.report_create(opening=opening, reporter=request.user, **form.cleaned_data)
            except AlreadyDone as exc:  # a repeat, or the same report sent twice at once
                messages.info(request, exc.message)
                return redirect(opening)
            except ValidationError as exc:
                add_refusal(form, exc)
            else:
                messages.success(request, "Thank you: staff will look at this opening.")
                return redirect(opening)
    page = render(
        request, "board/report_form.html", {"opening": opening, "form": form}, status=status
    )
    return refusal_response(page, form)


@staff_required
def reports(request: HttpRequest) -> HttpResponse:
    """The queue of waiting reports, the resolved ones, and the log of staff reading
    applications through them."""
    show = request.GET.get("show")
    if show == "log":
        page = page_of(request, selectors.staff_reads())
    else:
        show = "resolved" if show == "resolved" else "open"
        page = page_of(request, selectors.report_queue(show=show))
    open_count = OpeningReport.objects.unresolved().aggregate(n=Count("pk"))["n"]
    return render(
        request,
        "board/reports.html",
        {"page": page, "show": show, "open_count": open_count, "remove_form": RemoveForm()},
    )


@require_POST
@staff_required
def report_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(OpeningReport, pk=pk)
    try:
        services.report_dismiss(report=report, staff=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Report dismissed.")
    return redirect("board:reports")


@staff_required
def opening_remove(request: HttpRequest, pk: int) -> HttpResponse:
    opening = selectors.opening_for_viewer(pk=pk, viewer=request.user)
    form = RemoveForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.opening_remove(
                    opening=opening, staff=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as exc:
                add_refusal(form, exc)
            else:
                messages.success(request, "The opening is removed and its owner told why.")
                return redirect("board:reports")
    page = render(
        request,
        "board/opening_remove.html",
        {"opening": opening, "form": form, "removed": opening.status == OpeningStatus.REMOVED},
        status=status,
    )
    return refusal_response(page, form)
