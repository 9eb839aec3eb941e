"""The forum moderators' holding rules page: each category's hold levels, and the blocked and
permitted terms. Before it, these lived only in the Django admin, which forum moderators
cannot open. Every change goes through services/holding.py, which writes the log."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from portal.core.forms import add_refusal
from portal.forums import services
from portal.forums.forms import FilterTermForm, HoldLevelsForm
from portal.forums.hold import HOLD_CATEGORIES
from portal.forums.models import Category, FilterTerm
from portal.forums.permissions import moderate_refusal, require


def _moderator_only(request: HttpRequest) -> None:
    # As the other moderation pages: a member is told (403) that only moderators do this.
    require(moderate_refusal(request.user))


def _term_fields(form: FilterTermForm) -> dict:
    return {name: form.cleaned_data[name] for name in FilterTermForm.Meta.fields}


@login_required
def holding_rules(request: HttpRequest) -> HttpResponse:
    """The rules at a glance, and a form to add a term."""
    _moderator_only(request)
    form = FilterTermForm(request.POST or None, auto_id="new-term-%s")
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                term = services.filter_term_add(moderator=request.user, **_term_fields(form))
            except ValidationError as exc:
                add_refusal(form, exc)
            else:
                messages.success(request, f"Added “{term.text}”. The next post is checked with it.")
                return redirect("forums:holding_rules")
    terms = list(FilterTerm.objects.all())
    return render(
        request,
        "forums/moderation/holding.html",
        {
            "form": form,
            "hold_categories": HOLD_CATEGORIES,
            "categories": list(Category.objects.public()),
            "blocked": [t for t in terms if t.action == FilterTerm.Action.BLOCK],
            "permitted": [t for t in terms if t.action == FilterTerm.Action.PERMIT],
        },
        status=status,
    )


@login_required
def hold_levels(request: HttpRequest, slug: str) -> HttpResponse:
    _moderator_only(request)
    category = get_object_or_404(Category.objects.public(), slug=slug)
    form = HoldLevelsForm(request.POST or None, category=category)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.hold_levels_set(
                    category=category, moderator=request.user, levels=form.cleaned_data
                )
            except ValidationError as exc:
                add_refusal(form, exc)
            else:
                messages.success(request, f"Hold levels of {category.name} saved.")
                return redirect("forums:holding_rules")
    return render(
        request,
        "forums/moderation/hold_levels.html",
        {"category": category, "form": form},
        status=status,
    )


@login_required
def filter_term_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _moderator_only(request)
    term = get_object_or_404(FilterTerm, pk=pk)
    # The form works on a copy, so the page's heading keeps the term as saved.
    form = FilterTermForm(request.POST or None, instance=copy.copy(term))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.filter_term_change(term=term, moderator=request.user, **_term_fields(form))
            except ValidationError as exc:
                add_refusal(form, exc)
            else:
                messages.success(request, "The term is saved.")
                return redirect("forums:holding_rules")
    return render(
        request,
        "forums/moderation/filter_term.html",
        {"term": term, "form": form},
        status=status,
    )


@login_required
@require_POST
def filter_term_remove(request: HttpRequest, pk: int) -> HttpResponse:
    _moderator_only(request)
    term = get_object_or_404(FilterTerm, pk=pk)
    services.filter_term_remove(term=term, moderator=request.user)
    messages.success(request, f"Removed “{term.text}”.")
    return redirect("forums:holding_rules")
