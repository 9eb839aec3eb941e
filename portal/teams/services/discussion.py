"""The team's discussion: a private forum category per team, not a second forum.

Topics, replies, mentions, notifications, read state, the one renderer, rate limits and
holds are the forums' own (``portal.forums.services.topic_create`` and ``post_create``).
What the team adds is who reads it: one ``CategoryMember`` row per current member, written
here and only here, in the same transaction as the membership change that calls for it
(``membership_add``, ``membership_remove``), so a person taken off the team cannot open,
post in or be emailed about the discussion from that moment on.

The forums never import the teams (they stand on a lower floor): the category carries the
address of its pages (``Category.page_path``), which is all they need to point a notice
about a team post at the team's page.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from portal.accounts.models import User
from portal.forums.models import Category, CategoryMember, Notification
from portal.forums.services.unread import recount_unread
from portal.teams.models import Membership, Team


def _discussion_id(team: Team) -> int | None:
    """Read afresh: another request may have made the discussion since ``team`` was read."""
    return Team.objects.filter(pk=team.pk).values_list("discussion_id", flat=True).first()


def discussion_for(*, team: Team) -> Category:
    """The team's discussion, made on first need with every current member in it. The
    team's row is locked first, so two first visits make one category, and a member added
    meanwhile (whose service moves the same row) is either seen here or adds themselves.
    Once made (every visit after the first), one query."""
    if team.discussion_id is not None:
        return Category.objects.get(pk=team.discussion_id)
    return _discussion_make(team)


@transaction.atomic
def _discussion_make(team: Team) -> Category:
    locked = Team.objects.select_for_update(no_key=True).select_related("channel").get(pk=team.pk)
    if locked.discussion_id is not None:
        team.discussion_id = locked.discussion_id
        return Category.objects.get(pk=locked.discussion_id)
    channel = locked.channel
    category = Category.objects.create(
        # Unique names and slugs: a channel's name need not be unique, its team's id is.
        name=f"Mod team {locked.pk}: {channel.name}"[:80],
        slug=f"team-{locked.pk}",
        description=f"The private discussion of {channel.name}'s mod team."[:300],
        is_private=True,
        order=32767,
        page_path=reverse("teams:discussion", kwargs={"slug": channel.slug}),
    )
    now = timezone.now()
    CategoryMember.objects.bulk_create(
        [
            CategoryMember(category=category, user_id=user_id, added_at=now)
            for user_id in Membership.objects.current()
            .filter(team=locked)
            .values_list("user_id", flat=True)
        ]
    )
    Team.objects.filter(pk=locked.pk).update(discussion=category)
    team.discussion_id = category.pk
    return category


def discussion_member_add(*, team: Team, user: User) -> None:
    """Let a member into the team's discussion (called by the membership services, after
    they moved the team's row: see ``discussion_for``). Nothing to do before it exists."""
    discussion_id = _discussion_id(team)
    if discussion_id is not None:
        CategoryMember.objects.get_or_create(category_id=discussion_id, user=user)


def discussion_member_remove(*, team: Team, user: User) -> None:
    """Take a person out of the team's discussion at once: their row goes (every read and
    every email of it asks for the row), and their unread notices about it are marked read,
    so their header does not count things they can no longer open."""
    discussion_id = _discussion_id(team)
    if discussion_id is None:
        return
    CategoryMember.objects.filter(category_id=discussion_id, user=user).delete()
    if Notification.objects.filter(
        recipient=user, topic__category_id=discussion_id, read_at__isnull=True
    ).update(read_at=timezone.now()):
        recount_unread([user.pk])
