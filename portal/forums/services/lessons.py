"""Guide lessons' discussion topics."""

from __future__ import annotations

from django.db import transaction

from portal.accounts.models import User
from portal.forums.models import Category
from portal.forums.services.posting import topic_create

# Lessons of the common foundation (no role) are discussed here.
LESSON_FALLBACK_CATEGORY = "new-moderators-questions"


@transaction.atomic
def lesson_discussion_open(*, lesson, author: User) -> str:
    """The lesson's discussion topic: started now (in the category of the lesson's role track,
    or New moderators' questions for the common foundation) unless it already has one.
    Returns its address; guides.Lesson.discussion_url keeps it."""
    from portal.guides.models import Lesson

    lesson = Lesson.objects.select_for_update(no_key=True).select_related("track").get(pk=lesson.pk)
    if lesson.discussion_url:
        return lesson.discussion_url
    category = (
        Category.objects.filter(role_id=lesson.track.role_id).first()
        if lesson.track.role_id
        else None
    ) or Category.objects.get(slug=LESSON_FALLBACK_CATEGORY)
    topic = topic_create(
        author=author,
        category=category,
        title=f"Discuss: {lesson.title}"[:140],
        body=f"A place to talk about the lesson **[{lesson.title}]({lesson.get_absolute_url()})**"
        f" from the {lesson.track.title} guide: questions, how it went when you tried it, and "
        "what you would add.",
    )
    lesson.discussion_url = topic.get_absolute_url()
    lesson.full_clean(exclude=[f.name for f in Lesson._meta.fields if f.name != "discussion_url"])
    lesson.save(update_fields=["discussion_url"])
    return lesson.discussion_url
