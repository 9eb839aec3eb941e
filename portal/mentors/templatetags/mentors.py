"""A mentor's recognition on their profile page: a tag, so the accounts page (a floor
below) shows it without importing mentoring."""

from __future__ import annotations

from django import template

from portal.mentors.models import Mentor

register = template.Library()


@register.inclusion_tag("mentors/includes/recognition.html")
def mentor_recognition(person) -> dict:
    """The person's completed mentorships and badge (one query); nothing before the first."""
    offer = Mentor.objects.filter(user=person, completed_count__gt=0).first()
    return {"offer": offer, "person": person}
