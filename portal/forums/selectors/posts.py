"""A page of a topic's posts for one reader: the posts with what their cached blocks' keys need,
their authors' badges (read only when a block is rendered), their kept reaction counts with
the reader's own reactions, and what the reader may do with each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import Group
from django.core.paginator import Page
from django.db.models import BooleanField, IntegerField
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.urls import reverse
from django.utils.functional import SimpleLazyObject, cached_property

from portal.accounts.models import Role, User
from portal.accounts.selectors import blocked_ids
from portal.core.limits import is_new_account
from portal.forums import permissions
from portal.forums.models import POSTS_PER_PAGE, Post, Reaction, Status, Topic
from portal.forums.permissions import FORUM_MODERATORS, is_forum_moderator
from portal.forums.selectors.paging import paginate
from portal.forums.selectors.topics import BY_REPORT, TopicReading, posts_seen
from portal.guides.models import Badge as GuideBadge


@dataclass
class Badge:
    label: str
    kind: str  # css modifier: moderator, staff, new, verified, guide, role


# "New here" is for people who really are new, as Discourse's new-user marks are: joined in
# the last week (the rate limits' new account, portal.core.limits) AND fewer than this many
# published posts. A member who posted a dozen helpful replies on their first day is no
# longer a stranger to the forum, and the badge would only make their answers look doubtful.
NEW_HERE_POSTS = 5


def is_new_here(user: User, *, published_posts: int, now: datetime | None = None) -> bool:
    """Whether a person is shown as "New here": a new account with few published posts."""
    return is_new_account(user, now) and published_posts < NEW_HERE_POSTS


def author_badges(
    authors: list[User], *, moderators: set[int], newcomers: set[int] = frozenset()
) -> dict[int, list[Badge]]:
    """Badges for each author (forum moderator, staff, new here, verified Twitch login, the
    guide tracks they completed, the roles they play), the moderators and the newcomers
    (``is_new_here``) given: two queries."""
    ids = {a.pk for a in authors}
    if not ids:
        return {}
    roles: dict[int, list[str]] = {}
    for user_id, name in (
        Role.objects.filter(profiles__user_id__in=ids)
        .order_by("order")
        .values_list("profiles__user_id", "name")
    ):
        roles.setdefault(user_id, []).append(name)
    guides: dict[int, list[str]] = {}
    for user_id, title in (
        GuideBadge.objects.filter(user_id__in=ids)
        .order_by("track__order")
        .values_list("user_id", "track__title")
    ):
        guides.setdefault(user_id, []).append(title)
    badges: dict[int, list[Badge]] = {}
    for author in authors:
        if author.pk in badges:
            continue
        found = []
        if author.pk in moderators or author.is_superuser:
            found.append(Badge("Forum moderator", "moderator"))
        if author.is_staff:
            found.append(Badge("Staff", "staff"))
        if author.pk in newcomers:
            found.append(Badge("New here", "new"))
        if author.profile.twitch_login_verified:
            found.append(Badge("Verified Twitch", "verified"))
        found += [Badge(f"{title} guide", "guide") for title in guides.get(author.pk, [])]
        found += [Badge(name, "role") for name in roles.get(author.pk, [])]
        badges[author.pk] = found
    return badges


class _PageBadges:
    """The badges of a page's authors, read the first time a post's cached block is rendered
    (templates/forums/topic.html): when every post comes from the cache, never."""

    def __init__(self, posts: list[Post]) -> None:
        self.posts = posts

    @cached_property
    def by_author(self) -> dict[int, list[Badge]]:
        moderators = {post.author_id for post in self.posts if post.author_moderates}
        newcomers = {post.author_id for post in self.posts if post.author_is_new}
        return author_badges(
            [post.author for post in self.posts], moderators=moderators, newcomers=newcomers
        )

    def of(self, author_id: int) -> SimpleLazyObject:
        return SimpleLazyObject(lambda: self.by_author.get(author_id, []))


def _author_stamp(post: Post) -> str:
    """What a post's cached block shows of its author, as a part of its key: their profile's
    ``updated_at`` (their name, roles and verified login are saved with it) and the facts
    behind the badges that live elsewhere (staff, moderator, new here, guide badges), and
    whether their account is active (an inactive one is not linked)."""
    author = post.author
    flags = (
        *(author.is_active, author.is_superuser, author.is_staff),
        *(post.author_moderates, post.author_is_new),
    )
    facts = "".join(str(int(flag)) for flag in flags)
    return f"{author.profile.updated_at.timestamp()}-{facts}-{post.author_guides}"


@dataclass(frozen=True)
class ShownReaction:
    kind: str
    label: str
    count: int
    mine: bool  # the reader's own: their button shows pressed


@dataclass
class TopicView:
    """A page of a topic as one reader sees it: the posts, each with what the reader may do
    with it and their own reactions, and the accepted answer. A post's own part (its author,
    badges and body) is cached in the template under its version; the rest is the reader's."""

    topic: Topic
    page: Page
    posts: list[Post]
    accepted: Post | None = None
    can_unaccept: bool = False
    reply_refusal: str | None = None
    # How far a reader of this page has read: its last published post.
    seen_until: datetime | None = None
    # Where "jump to the first unread" and "new replies: show" lead (TopicReading.unread_url).
    unread_url: str = ""
    # The people the reader blocks: their posts are shown folded ("a post by someone you
    # blocked: show"), outside the posts' cached parts.
    blocked: frozenset[int] = frozenset()

    @cached_property
    def reply_url(self) -> str:
        """The topic's reply page: the reply form's action and every "Quote" link's."""
        return reverse("forums:reply", kwargs={"pk": self.topic.pk})


def reactions_of(*, viewer, post_ids) -> set[tuple[int, str]]:
    """The (post, kind) pairs the viewer reacted with among these posts (one query)."""
    if not viewer.is_authenticated or not post_ids:
        return set()
    return set(
        Reaction.objects.filter(user=viewer, post_id__in=post_ids).values_list("post_id", "kind")
    )


# What a topic page reads of each post (templates/forums/topic.html, the permission checks,
# the badges and the post's cache key).
SHOWN_POST_COLUMNS = (
    *("topic", "author", "is_opening", "body_html", "status", "created_at", "published_at"),
    *("edited_at", "edit_count", "moderation_reason", "version"),
    *(f"{kind}_count" for kind in Reaction.Kind.values),
    *("author__username", "author__is_superuser", "author__is_staff", "author__is_active"),
    *("author__date_joined", "author__profile__display_name"),
    *("author__profile__twitch_login_verified", "author__profile__updated_at"),
    "author__profile__avatar",
)


# What a topic page reads of its topic, its category and its accepted answer.
SHOWN_TOPIC_COLUMNS = (
    *("category", "author", "title", "slug", "status", "reply_count", "created_at"),
    *("is_pinned", "is_locked", "is_closed", "is_private", "accepted_answer", "version"),
    *("category__name", "category__slug", "category__is_qa", "category__staff_only_posting"),
    *("category__is_private", "category__page_path"),
    "category__colour",
    *("accepted_answer__topic", "accepted_answer__author", "accepted_answer__is_opening"),
    *("accepted_answer__status", "accepted_answer__body_html"),
    *("accepted_answer__author__username", "accepted_answer__author__profile__display_name"),
)


# What a post's cache key needs to know of its author beyond their profile (``_author_stamp``):
# whether they are a forum moderator and how many guide badges they hold, as two columns of
# the page's post query. Written out: composed with the ORM (an Exists over the groups' join
# table, a grouped Count subquery) they added 1.0 ms of Python to every topic page, against
# 0.1 ms written out (the page's post query: 2.3 ms bare, 3.3 ms with the ORM's, 2.4 ms with
# these; 20 posts, PostgreSQL, this machine, best of five runs of 200). Table names come
# from the models; the one value is a parameter.
_AUTHOR_MODERATES = RawSQL(  # noqa: S611 (fixed text of ours, above)
    f"""EXISTS (SELECT 1 FROM {User.groups.through._meta.db_table} m
                JOIN {Group._meta.db_table} g ON g.id = m.group_id
                WHERE m.user_id = {Post._meta.db_table}.author_id AND g.name = %s)""",  # noqa: S608
    [FORUM_MODERATORS],
    output_field=BooleanField(),
)


_AUTHOR_GUIDE_BADGES = RawSQL(  # noqa: S611 (fixed text of ours, above)
    f"""(SELECT COUNT(*) FROM {GuideBadge._meta.db_table} b
         WHERE b.user_id = {Post._meta.db_table}.author_id)""",  # noqa: S608
    [],
    output_field=IntegerField(),
)


# How many published posts the author has, counted no further than "New here" needs (a
# bounded count: a prolific author costs NEW_HERE_POSTS index entries, not all their posts).
_AUTHOR_EARLY_POSTS = RawSQL(  # noqa: S611 (fixed text of ours, above)
    f"""(SELECT COUNT(*) FROM (SELECT 1 FROM {Post._meta.db_table} p
         WHERE p.author_id = {Post._meta.db_table}.author_id AND p.status = %s
         LIMIT {NEW_HERE_POSTS}) early)""",  # noqa: S608
    [Status.PUBLISHED],
    output_field=IntegerField(),
)


def _page_topic(pk: int) -> Topic:
    """The topic a page shows, with its category and accepted answer (the reader's right to
    see it already checked by ``topic_reading``)."""
    topic = (
        Topic.objects.select_related("category", "accepted_answer__author__profile")
        .only(*SHOWN_TOPIC_COLUMNS)
        .filter(pk=pk)
        .first()
    )
    if topic is None:
        raise Http404("No such topic.")
    return topic


# The per-post links of a page's footers, reversed once per page with a stand-in id and
# formatted per post: a ``{% url %}`` per link and post cost about 1 ms of a 16 ms page.
_POST_LINKS = (
    "post_react",
    "post_accept",
    "post_edit",
    "post_delete",
    "post_report",
    "post_moderate",
)
_STAND_IN = 2_147_483_647


def _post_link_formats() -> dict[str, str]:
    return {
        name: reverse(f"forums:{name}", kwargs={"pk": _STAND_IN}).replace(str(_STAND_IN), "{}")
        for name in _POST_LINKS
    }


def topic_view(*, reading: TopicReading, viewer, number: int) -> TopicView:
    """Page ``number`` of the topic for the reader: two queries (the topic, the page's posts
    with what their cache keys need), one more for their own reactions when they reacted in
    the topic, and two more (the authors' guide badges and roles) only when a post's cached
    block has to be rendered."""
    topic = _page_topic(reading.pk)
    topic.area_member = reading.area_member  # asked by topic_reading, read by the checks
    # The page's posts are chosen by id first (a walk down the topic's index), and only those
    # twenty are joined to their authors: joining every earlier post too made page 51 of a
    # 1,000-post topic sort 1,000 joined rows (13 ms against under 2).
    ids = posts_seen(reading=reading, viewer=viewer).in_order().values("pk")
    page = paginate(ids, number, POSTS_PER_PAGE, count=reading.posts_shown)
    posts = list(
        Post.objects.filter(pk__in=page.object_list)
        .in_order()
        .select_related("author__profile")
        # What the page shows and the permission checks and badges read: not the author's
        # whole account and profile (bios included) twenty times over.
        .only(*SHOWN_POST_COLUMNS)
        .annotate(
            author_moderates=_AUTHOR_MODERATES,
            author_guides=_AUTHOR_GUIDE_BADGES,
            author_early_posts=_AUTHOR_EARLY_POSTS,
        )
    )
    page.object_list = posts
    view = TopicView(topic=topic, page=page, posts=posts)
    if reading.blocks_someone:
        view.blocked = frozenset(blocked_ids(user=viewer))
    mine = reactions_of(viewer=viewer, post_ids=[p.pk for p in posts]) if reading.reacted else set()
    badges = _PageBadges(posts)
    # In a private area a forum moderator is a member like the others (the review queue is
    # where they moderate it); a reader through a report only reads.
    moderator = is_forum_moderator(viewer) and not topic.is_private
    acts = not reading.by_report
    links = _post_link_formats()
    view.reply_refusal = permissions.reply_refusal(viewer, topic) if acts else BY_REPORT
    may_reply = viewer.is_authenticated and view.reply_refusal is None
    view.unread_url = reading.unread_url
    for post in posts:
        post.topic = topic  # the permission checks below read it; no query per post
        post.is_accepted = post.pk == topic.accepted_answer_id
        post.author_is_new = is_new_here(post.author, published_posts=post.author_early_posts)
        post.author_stamp = _author_stamp(post)
        post.author_badges = badges.of(post.author_id)
        post.reactions_shown = [
            ShownReaction(kind, label, post.reaction_count(kind), (post.pk, kind) in mine)
            for kind, label in Reaction.Kind.choices
        ]
        post.can_edit = acts and permissions.edit_refusal(viewer, post) is None
        post.can_delete = acts and permissions.delete_refusal(viewer, post) is None
        post.can_react = acts and permissions.react_refusal(viewer, post) is None
        post.can_report = acts and permissions.report_refusal(viewer, post) is None
        post.can_accept = (
            acts
            and topic.category.is_qa
            and not post.is_accepted
            and permissions.accept_refusal(viewer, post) is None
        )
        post.can_moderate = moderator
        post.can_suspend = moderator and post.author_id != viewer.pk
        # Only the links the reader may follow, each formatted from its page-wide pattern.
        post.links = {
            name: links[name].format(post.pk)
            for name, allowed in (
                ("post_react", post.can_react),
                ("post_accept", post.can_accept),
                ("post_edit", post.can_edit),
                ("post_delete", post.can_delete),
                ("post_report", post.can_report),
                ("post_moderate", moderator),
            )
            if allowed
        }
        post.can_quote = may_reply and post.is_published
        # What this reader may do with the post and which reactions are theirs: with the
        # post's version, all the cached post (footer included) varies on. Permissions and
        # reaction kinds, never the person: readers who may do the same share the fragment.
        post.reader_actions = "{}|{}|{}{}".format(
            ",".join(post.links),
            ",".join(r.kind for r in post.reactions_shown if r.mine),
            "q" if post.can_quote else "",
            "s" if post.can_suspend else "",
        )
    accepted = topic.accepted_answer
    if accepted is not None and permissions.can_see_post(viewer, _with_topic(accepted, topic)):
        view.accepted = accepted
        view.can_unaccept = permissions.accept_refusal(viewer, accepted) is None
    published = [p.published_at for p in posts if p.published_at and p.is_published]
    view.seen_until = max(published, default=topic.created_at)
    return view


def _with_topic(post: Post, topic: Topic) -> Post:
    post.topic = topic
    return post
