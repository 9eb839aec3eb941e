"""The digest's "Mentoring" section: asks waiting for the person's answer, check-ins due,
and check-ins the other side wrote since their last digest. Read for a whole chunk of
people in two queries."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q
from django.utils import timezone

from portal.digests.content import DigestItem, DigestSection, Target
from portal.digests.mail import absolute_url
from portal.mentors.models import CheckIn, Mentorship, Status

MAX_ITEMS = 10


def digest_sections(targets: list[Target]) -> dict[int, list[DigestSection]]:
    wanted = {t.user_id: t for t in targets if t.preferences.digest_mentoring}
    if not wanted:
        return {}
    ids = list(wanted)
    mentorships = list(
        Mentorship.objects.open()
        .filter(Q(mentor_id__in=ids) | Q(mentee_id__in=ids))
        .select_related("mentor__profile", "mentee__profile")
    )
    if not mentorships:
        return {}
    since = min(t.window_start for t in wanted.values())
    checkins = CheckIn.objects.filter(
        mentorship__in=[m.pk for m in mentorships if m.status == Status.ACTIVE],
        created_at__gt=since,
    ).order_by("-created_at")
    by_mentorship: dict[int, list[CheckIn]] = defaultdict(list)
    for checkin in checkins:
        by_mentorship[checkin.mentorship_id].append(checkin)
    found: dict[int, list[DigestItem]] = defaultdict(list)
    for m in mentorships:
        url = absolute_url(m.get_absolute_url())
        for user_id, other in ((m.mentor_id, m.mentee), (m.mentee_id, m.mentor)):
            target = wanted.get(user_id)
            if target is None:
                continue
            if m.status == Status.REQUESTED:
                if user_id == m.mentor_id:
                    found[user_id].append(
                        DigestItem(title=f"{other.display_name} asks you to mentor them", url=url)
                    )
                continue
            due = m.next_checkin_on
            if due and due <= timezone.localtime(target.window_end).date():
                found[user_id].append(
                    DigestItem(
                        title=f"A check-in with {other.display_name} is due",
                        url=url,
                        note=f"due {due:%d %b}",
                    )
                )
            new = [
                c
                for c in by_mentorship.get(m.pk, [])
                if c.author_id != user_id
                and target.window_start < c.created_at <= target.window_end
            ]
            if new:
                found[user_id].append(
                    DigestItem(
                        title=f"{other.display_name} wrote a check-in",
                        url=url,
                        note=f"{len(new)} new" if len(new) > 1 else "",
                    )
                )
    return {
        user_id: [DigestSection(key="mentoring", title="Mentoring", items=items[:MAX_ITEMS])]
        for user_id, items in found.items()
    }
