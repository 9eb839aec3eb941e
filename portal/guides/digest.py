"""The guides' part of a digest: lessons new or updated for the person's roles.

One query for the whole chunk (see portal/digests/content.py): the lessons changed within the
widest window in the chunk; each person then gets those of their roles' tracks (and of the
common "Start here" track) that changed within their own window.
"""

from __future__ import annotations

from portal.digests.content import DigestItem, DigestSection, Target
from portal.digests.mail import absolute_url
from portal.guides.models import Lesson

MAX_ITEMS = 5


def digest_sections(targets: list[Target]) -> dict[int, list[DigestSection]]:
    wanted = [t for t in targets if t.preferences.digest_guides]
    if not wanted:
        return {}
    since = min(t.window_start for t in wanted)
    until = max(t.window_end for t in wanted)
    lessons = list(
        Lesson.objects.active()
        .for_listing()
        .filter(content_changed_at__gt=since, content_changed_at__lte=until)
        .select_related("track")
        .order_by("-content_changed_at")
    )
    result: dict[int, list[DigestSection]] = {}
    for target in wanted:
        items = [
            DigestItem(
                title=f"{lesson.track.title}: {lesson.title}",
                url=absolute_url(lesson.get_absolute_url()),
                note=f"{lesson.minutes} min read",
                excerpt=lesson.summary,
            )
            for lesson in lessons
            if target.window_start < lesson.content_changed_at <= target.window_end
            and (lesson.track.role_id is None or lesson.track.role_id in target.role_ids)
        ][:MAX_ITEMS]
        result[target.user_id] = [
            DigestSection(key="guides", title="Guide lessons new or updated for you", items=items)
        ]
    return result
