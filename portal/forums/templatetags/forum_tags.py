"""Forum pieces other apps' templates show: a person's recent topics on their profile."""

from __future__ import annotations

from django import template
from django.http import QueryDict

from portal.forums.selectors import recent_topics

register = template.Library()


@register.inclusion_tag("forums/includes/recent_topics.html", takes_context=True)
def recent_forum_topics(context, person, limit: int = 5) -> dict:
    """The person's latest topics that the page's viewer may see (one query)."""
    viewer = context["request"].user
    return {"topics": recent_topics(person=person, viewer=viewer, limit=limit), "person": person}


@register.simple_tag(takes_context=True)
def page_url(context, number) -> str:
    """This page's query string with another page number (keeps ?q= and friends). A page
    that links on with only some of its address's parameters (search: the words) passes them
    as ``page_query``."""
    query = context.get("page_query")
    if query is None:
        request = context.get("request")
        query = request.GET if request is not None else QueryDict()
    query = query.copy()
    query["page"] = number
    return f"?{query.urlencode()}"
