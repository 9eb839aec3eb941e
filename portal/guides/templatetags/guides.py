"""Template tags other apps' pages use to show a person's guide badges (the profile page).

A tag, so the profile view (owned by accounts) needs no knowledge of the guides: the page
asks for the badges itself, in one query.
"""

from django import template

from portal.guides import selectors

register = template.Library()


@register.simple_tag
def guide_badges(person):
    """``{% guide_badges person as badges %}``: the person's badges, oldest first."""
    return selectors.badges_for(person=person)
