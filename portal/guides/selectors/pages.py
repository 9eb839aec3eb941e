"""The library's own pages (models.LibraryPage): the glossary."""

from __future__ import annotations

from django.http import Http404

from portal.guides.models import LibraryPage


def library_page_get(*, slug: str) -> LibraryPage:
    page = LibraryPage.objects.filter(slug=slug).first()
    if page is None:
        raise Http404("This page of the guides has not been loaded yet.")
    return page
