"""Pages of a list: Django's Paginator, told the count where a row keeps it."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property


def paginate(queryset: QuerySet, number, per_page: int, *, count: int | None = None) -> Page:
    """A page of the queryset. ``count``, when the caller knows it from a count kept on a row
    (a category's topics, a topic's replies), saves the COUNT(*) that would otherwise read
    every row of a long list on every view."""
    if count is None:
        return Paginator(queryset, per_page).get_page(number)
    return KnownCountPaginator(queryset, per_page, count=count).get_page(number)


class KnownCountPaginator(Paginator):
    def __init__(self, object_list, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self.known_count = count

    @cached_property
    def count(self) -> int:
        return self.known_count
