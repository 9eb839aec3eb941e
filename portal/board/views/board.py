"""The board list and an opening's page, the busiest reading pages: a selector reads (a
fixed number of queries), ``render`` draws everything, and the templates keep what every
reader sees alike in ``{% cache %}`` fragments keyed on the versions of the rows they show
(templates/board/index.html, includes/opening_card.html, opening_detail.html)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from portal.board import selectors
from portal.board.filter_forms import BoardFilterForm
from portal.board.forms import PublishForm
from portal.board.reference import reference
from portal.board.rules import opening_concerns


def _feed_query(filters: selectors.BoardFilters) -> str:
    """The feeds filter by role and language only; keep those the reader chose."""
    query = urlencode(
        {k: v for k, v in [("role", filters.role), ("language", filters.language)] if v}
    )
    return f"?{query}" if query else ""


def index(request: HttpRequest) -> HttpResponse:
    ref = reference()
    signed_in = request.user.is_authenticated
    form = BoardFilterForm(
        request.GET, roles=ref.roles, languages=ref.languages, signed_in=signed_in
    )
    filters = form.filters()
    # The filters form is drawn from what was asked and the lists it offers, nothing of the
    # reader but whether they are signed in (and have hours to match): the template caches it
    # under exactly that (drawing the language list's options was a third of the page).
    asked = urlencode([(name, request.GET.getlist(name)) for name in form.fields], doseq=True)
    board = selectors.board_page(
        filters=filters, number=request.GET.get("page"), reader=request.user, ref=ref
    )
    return render(
        request,
        "board/index.html",
        {
            "form": form,
            "form_key": f"{ref.version}|{signed_in}|{asked}",
            "page": board.page,
            "labels_version": board.labels_version,
            "filtered": filters.is_filtered,
            "has_availability": board.has_availability,
            "feed_query": _feed_query(filters),
        },
    )


def opening_page_response(
    request: HttpRequest,
    pk: int,
    *,
    publish_form: PublishForm | None = None,
    status: int = 200,
) -> HttpResponse:
    page = selectors.opening_page(pk=pk, viewer=request.user)
    opening = page.opening
    context = {"opening_page": page, "opening": opening, "channel": opening.channel}
    if page.is_owner:
        context["concerns"] = opening_concerns(opening, opening.questions.all())
        context["publish_form"] = publish_form or PublishForm()
        context["application_total"] = sum(page.application_counts.values())
    return render(request, "board/opening_detail.html", context, status=status)


def opening_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return opening_page_response(request, pk)
