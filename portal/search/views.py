"""The header's search: every kind at once, a few of each, grouped, with a tab per kind."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def results(request: HttpRequest) -> HttpResponse:
    return render(request, "search/results.html", {"query": request.GET.get("q", "")})
