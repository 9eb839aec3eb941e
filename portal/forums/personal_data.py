"""What the forums hold about a person: how each kind is exported and what deletion does
with it (portal/core/personal_data.py).

A discussion keeps its voices: the person's topics and posts stay readable under "a former
member" (their account is anonymised, not deleted), unless they asked for their posts to go
too; then each reads "removed by its author" and their topics' titles go with them. What other
people wrote stays as its authors wrote it, quotes and mentions included; a mention of the
person is rendered again so it no longer links anywhere.
"""

from __future__ import annotations

from collections import Counter

from django.db import transaction
from django.db.models import F

from portal.core.personal_data import Leaving, PersonalData, delete_in_chunks, in_chunks, rows
from portal.forums.models import (
    CategoryMember,
    Flag,
    Notification,
    Participant,
    Post,
    PostRevision,
    Reaction,
    ReadState,
    Subscription,
    Suspension,
    Topic,
)
from portal.forums.services.search import post_search_index
from portal.forums.text import body_hash, render_post
from portal.markup import render_markdown

REMOVED_BODY = "_Removed by its author._"
REMOVED_TITLE = "A topic removed by its author"


def _posts_erase(leaving: Leaving) -> None:
    _mentions_unlink(leaving)
    if not leaving.remove_posts:
        return
    removed_html = render_markdown(REMOVED_BODY)
    theirs = Post.objects.filter(author_id=leaving.user_id).exclude(body=REMOVED_BODY)
    for pks in in_chunks(theirs):
        with transaction.atomic():
            PostRevision.objects.filter(post_id__in=pks).delete()
            Post.objects.filter(pk__in=pks).update(
                body=REMOVED_BODY,
                body_html=removed_html,
                body_hash=body_hash(REMOVED_BODY),
                has_links=False,
                version=F("version") + 1,
            )
            post_search_index(post_ids=pks)


def _mentions_unlink(leaving: Leaving) -> None:
    """Render again, with the account already inactive (so the mention links nowhere), every
    post of someone else whose text mentions the person; its version moves with it."""
    if not leaving.username:
        return
    mentioning = Post.objects.filter(body__icontains=f"@{leaving.username}").exclude(
        author_id=leaving.user_id
    )
    for pks in in_chunks(mentioning):
        with transaction.atomic():
            for post in Post.objects.select_for_update().filter(pk__in=pks).only("pk", "body"):
                html, _ = render_post(post.body)
                Post.objects.filter(pk=post.pk).update(body_html=html, version=F("version") + 1)


def _topics_erase(leaving: Leaving) -> None:
    if not leaving.remove_posts:
        return
    theirs = Topic.objects.filter(author_id=leaving.user_id).exclude(title=REMOVED_TITLE)
    for pks in in_chunks(theirs):
        with transaction.atomic():
            Topic.objects.filter(pk__in=pks).update(
                title=REMOVED_TITLE, slug="removed", version=F("version") + 1
            )
            post_search_index(
                post_ids=Post.objects.filter(topic_id__in=pks, is_opening=True).values_list(
                    "pk", flat=True
                )
            )


def _reactions_erase(leaving: Leaving) -> None:
    """Their reactions go, and the counts kept on the posts with them."""
    for pks in in_chunks(Reaction.objects.filter(user_id=leaving.user_id)):
        with transaction.atomic():
            gone = Counter(Reaction.objects.filter(pk__in=pks).values_list("post_id", "kind"))
            Reaction.objects.filter(pk__in=pks).delete()
            for (post_id, kind), count in gone.items():
                Post.objects.filter(pk=post_id).update(
                    **{f"{kind}_count": F(f"{kind}_count") - count}, version=F("version") + 1
                )


def _eraser(model, field: str = "user_id"):
    def erase(leaving: Leaving) -> None:
        delete_in_chunks(model.objects.filter(**{field: leaving.user_id}))

    return erase


PERSONAL_DATA = [
    PersonalData(
        model="forums.Topic",
        title="your topics",
        export=lambda user: rows(
            Topic.objects.filter(author=user),
            "id",
            "category__name",
            "title",
            "created_at",
            "status",
        ),
        erase=_topics_erase,
    ),
    PersonalData(
        model="forums.Post",
        title="your posts",
        export=lambda user: rows(
            Post.objects.filter(author=user),
            "id",
            "topic_id",
            "topic__title",
            "body",
            "status",
            "created_at",
            "edited_at",
        ),
        markdown="body",
        erase=_posts_erase,
    ),
    PersonalData(
        model="forums.Reaction",
        title="your reactions",
        export=lambda user: rows(
            Reaction.objects.filter(user=user),
            "post_id",
            "post__topic__title",
            "kind",
            "created_at",
        ),
        erase=_reactions_erase,
    ),
    PersonalData(
        model="forums.ReadState",
        title="what you have read",
        export=lambda user: rows(
            ReadState.objects.filter(user=user), "topic_id", "topic__title", "last_read_at"
        ),
        erase=_eraser(ReadState),
    ),
    PersonalData(
        model="forums.Subscription",
        title="what you watch",
        export=lambda user: rows(
            Subscription.objects.filter(user=user),
            "topic__title",
            "category__name",
            "level",
            "created_at",
        ),
        erase=_eraser(Subscription),
    ),
    PersonalData(
        model="forums.Notification",
        title="your notifications",
        # Only what happened and where: who did it is another person's data.
        export=lambda user: rows(
            Notification.objects.filter(recipient=user),
            "kind",
            "topic__title",
            "count",
            "created_at",
            "read_at",
        ),
        erase=_eraser(Notification, "recipient_id"),
        kept_because="notifications the person caused for others stay theirs, naming only the "
        "anonymised account",
    ),
    PersonalData(
        model="forums.Flag",
        title="your reports of posts",
        export=lambda user: rows(
            Flag.objects.filter(reporter=user, kind=Flag.Kind.REPORT),
            "post_id",
            "reason",
            "details",
            "created_at",
            "resolution",
        ),
        kept_because="reports and their resolutions keep the forums safe; they point at the "
        "anonymised account",
    ),
    PersonalData(
        model="forums.Suspension",
        title="your suspensions",
        export=lambda user: rows(
            Suspension.objects.filter(user=user), "until", "reason", "created_at", "lifted_at"
        ),
        kept_because="the moderators' record of suspensions; it points at the anonymised account",
    ),
    PersonalData(
        model="forums.Participant",
        title="your private conversations",
        # Which conversations and when; the messages exported are the person's own (with
        # their posts above), never what the others wrote to them.
        export=lambda user: rows(
            Participant.objects.filter(user=user),
            "topic_id",
            "topic__title",
            "kind",
            "joined_at",
            "left_at",
        ),
        erase=_eraser(Participant),
    ),
    PersonalData(
        model="forums.CategoryMember",
        title="private discussion areas you read",
        export=lambda user: rows(
            CategoryMember.objects.filter(user=user), "category__name", "added_at"
        ),
        erase=_eraser(CategoryMember),
    ),
    PersonalData(
        model="forums.ModerationAction",
        title="the moderation log",
        kept_because="the forum moderation log is an audit record; it points at the anonymised "
        "account",
        not_exported_because="moderators' records; the person's suspensions are exported",
    ),
    PersonalData(
        model="forums.ConversationRead",
        title="conversations read through reports",
        kept_because="the log of moderators and staff reading private conversations through "
        "reports is an audit record; it points at the anonymised account",
        not_exported_because="moderators' records of the site, not the person's data",
    ),
]
