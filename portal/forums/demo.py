"""Demo forums: topics and replies in every category, reactions, read state, a few posts
waiting in the review queue, a report, and discussions for the guide lessons.

Idempotent: it returns early when any topic exists. Rows are made with bulk_create, with the
topics' counts worked out while building them (the same numbers services.topic_stats_refresh
would store), so "large" loads in a few minutes on PostgreSQL with the scale issue's sizes:
20 categories (the 16 every site has and 4 language lounges; small has them too), 20,000
topics (10,000 of them in Tough calls), one topic with 1,000 replies and about 300,000 posts.
demo_staff is a forum moderator; demo_mod has unread topics and notifications.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import Group
from django.utils import timezone

from portal.accounts.models import User
from portal.core.demo import DemoContext
from portal.core.progress import progress
from portal.forums.models import (
    Category,
    FilterTerm,
    Flag,
    Notification,
    Post,
    Reaction,
    ReadState,
    Status,
    Subscription,
    Topic,
)
from portal.forums.permissions import FORUM_MODERATORS
from portal.forums.services import (
    category_stats_refresh,
    lesson_discussion_open,
    reaction_counts_refresh,
    search_index_rebuild,
)
from portal.forums.text import body_hash
from portal.markup import render_markdown

FORUM_SIZES = {
    "small": {"topics": 60, "tough_calls": 20, "max_replies": 8, "long_topic": 45},
    # 0-29 replies, 14.5 on average: with the openings and the long topic, about 300,000 posts.
    "large": {"topics": 20_000, "tough_calls": 10_000, "max_replies": 29, "long_topic": 1_000},
}
# Demo data has 20 categories, as the scale issue asks of the large data: the 16 reference
# categories and these language lounges, which a community of moderators from many countries
# would grow into. The small data has them too, so the forum index lists the same rows at both
# sizes and the benchmark compares like with like.
LANGUAGE_LOUNGES = [
    ("lounge-de", "Moderation auf Deutsch", "Moderators of German-speaking channels."),
    ("lounge-es", "Moderación en español", "Moderators of Spanish-speaking channels."),
    ("lounge-fr", "Modération en français", "Moderators of French-speaking channels."),
    ("lounge-pt", "Moderação em português", "Moderators of Portuguese-speaking channels."),
]
BATCH = 2000

TITLES = [
    "A raid came in during a charity stream: what would you have done?",
    "Timeout or ban for a first-time backseater?",
    "How do you handle a regular who keeps testing the rules?",
    "Our streamer overruled a ban live on stream",
    "Hate raid at 3am with no other mods online",
    "Someone posted a viewer's real name in chat",
    "When do you give a second chance after a ban appeal?",
    "Writing a rulebook that new mods actually read",
    "What is in your Shield Mode preset?",
    "Best way to run a coverage schedule across timezones",
    "Slow mode during giveaways: how long?",
    "I need a break from modding and feel guilty",
    "Helping a new mod who froze during a spam wave",
    "Blocked terms that caught far too much",
    "Handoffs between event slots went badly",
    "How do you brief a streamer after a rough incident?",
    "AutoMod level for a cozy art channel?",
    "Favourite bot commands for answering the same question",
    "Do you mod for friends differently from strangers?",
    "Keeping regulars' in-jokes from excluding newcomers",
]
OPENINGS = [
    "It happened last night. Chat moved fast and I had **seconds** to decide. "
    "Curious how others would judge it, live and afterwards.",
    "Looking for how your teams handle this. We have a rulebook, but it does not cover it, "
    "and I would like us to be consistent.",
    "Short version: I acted, it mostly worked, but I am not sure it was fair. "
    "What would you change?",
]
REPLIES = [
    "Warn first, then a short timeout. A ban for a first offence is rarely worth the appeal.",
    "We write it up in the team channel right after the stream, while it is fresh.",
    "Shield Mode first, questions later. You can always lift it once chat is calm.",
    "Talk to your streamer off-stream. Being overruled live hurts; agree a signal for next time.",
    "Take the break. A rested mod makes better calls than a guilty one.",
    "Follower-only for ten minutes usually slows a raid enough to clean up.",
    "Our lead keeps a shared doc of calls like this. It saves arguments later.",
    "+1 to the above. Also log the usernames before you bulk-ban; you will want them.",
    "Same thing happened to us. What helped was a pinned message explaining the rule.",
    "Ask in the viewer card who they are first: account age tells you a lot.",
]
HELD = [
    "Free followers for your channel, DM me!",
    "cheap viewers here, best price",
]


def seed(ctx: DemoContext) -> None:
    moderators, _ = Group.objects.get_or_create(name=FORUM_MODERATORS)
    staff = User.objects.filter(username="demo_staff").first()
    if staff is not None:
        moderators.user_set.add(staff)
    if Topic.objects.exists():
        ctx.say("Demo forums: already there.")
        return
    sizes = FORUM_SIZES[ctx.size]
    rng = ctx.rng
    now = timezone.now()
    people = list(User.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True))
    if len(people) < 3:
        ctx.say("Demo forums: no people yet, skipped.")
        return
    demo_mod = User.objects.filter(username="demo_mod").values_list("pk", flat=True).first()
    last = Category.objects.order_by("-order").values_list("order", flat=True).first() or 0
    for i, (slug, name, description) in enumerate(LANGUAGE_LOUNGES, start=1):
        Category.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "order": last + i}
        )
    categories = list(Category.objects.public().filter(staff_only_posting=False))
    tough_calls = Category.objects.get(slug="tough-calls")
    others = [c for c in categories if c.pk != tough_calls.pk]
    openings = [(text, render_markdown(text), body_hash(text)) for text in OPENINGS]
    replies = [(text, render_markdown(text), body_hash(text)) for text in REPLIES]

    # Topics: the first ones in Tough calls (one of them the long topic), then the others.
    topics: list[Topic] = []
    for i in range(sizes["topics"]):
        category = tough_calls if i < sizes["tough_calls"] else others[i % len(others)]
        created = now - timedelta(minutes=rng.randrange(60, 90 * 24 * 60))
        round_ = i // len(TITLES)
        title = TITLES[i % len(TITLES)] + (f" (#{round_ + 1})" if round_ else "")
        topics.append(
            Topic(
                category=category,
                author_id=rng.choice(people),
                title=title,
                slug=_slug(title),
                created_at=created,
                last_posted_at=created,
                is_pinned=i == 1,
            )
        )
    topics[0].created_at = topics[0].last_posted_at = now - timedelta(days=120)
    topics = Topic.objects.bulk_create(topics, batch_size=BATCH)

    posts: list[Post] = []
    for i, topic in enumerate(progress(topics, total=len(topics), desc="forum topics")):
        body, html, digest = openings[i % len(openings)]
        posts.append(_post(topic, topic.author_id, body, html, digest, topic.created_at, True))
        count = sizes["long_topic"] if i == 0 else rng.randrange(0, sizes["max_replies"] + 1)
        when = topic.created_at
        for _ in range(count):
            when += timedelta(minutes=rng.randrange(1, 180) if i else 1)
            if when >= now:
                break
            author = rng.choice(people)
            body, html, digest = rng.choice(replies)
            posts.append(_post(topic, author, body, html, digest, when, False))
            topic.reply_count += 1
            topic.last_posted_at, topic.last_post_by_id = when, author
        if topic.last_post_by_id is None:
            topic.last_post_by_id = topic.author_id
    Topic.objects.bulk_update(
        topics, ["reply_count", "last_posted_at", "last_post_by"], batch_size=BATCH
    )
    posts = Post.objects.bulk_create(posts, batch_size=BATCH)

    Reaction.objects.bulk_create(
        (
            Reaction(post_id=post.pk, user_id=rng.choice(people), kind=kind)
            for post in posts
            if rng.random() < 0.3
            for kind in rng.sample(["helpful", "thanks"], rng.randrange(1, 3))
        ),
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    reaction_counts_refresh()
    Subscription.objects.bulk_create(
        (Subscription(user_id=t.author_id, topic=t, level="watching") for t in topics),
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    # Read state: some readers are part-way through some topics, so lists show "new".
    readers = rng.sample(people, min(len(people), 200))
    ReadState.objects.bulk_create(
        (
            ReadState(user_id=reader, topic=topic, last_read_at=topic.created_at)
            for reader in readers
            for topic in rng.sample(topics, min(len(topics), 50))
        ),
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    _queue_and_notifications(ctx, topics, people, demo_mod, staff)
    search_index_rebuild()
    category_stats_refresh(category_ids=Category.objects.values_list("pk", flat=True))
    if staff is not None:
        _lesson_discussions(ctx, staff)
    ctx.say(f"Demo forums: {len(topics)} topics and {len(posts)} posts created.")


def _post(topic, author_id, body, html, digest, when, opening) -> Post:
    return Post(
        topic=topic,
        author_id=author_id,
        is_opening=opening,
        body=body,
        body_html=html,
        body_hash=digest,
        created_at=when,
        published_at=when,
    )


def _slug(title: str) -> str:
    from django.utils.text import slugify

    return slugify(title)[:80].strip("-") or "topic"


def _queue_and_notifications(ctx, topics, people, demo_mod, staff) -> None:
    """A spam filter term, two held posts, a report, and notifications for demo_mod."""
    FilterTerm.objects.get_or_create(
        text="free followers", action="block", defaults={"note": "Follower-selling spam."}
    )
    FilterTerm.objects.get_or_create(
        text="cheap viewers", action="block", defaults={"note": "Viewer-botting spam."}
    )
    now = timezone.now()
    for i, text in enumerate(HELD):
        topic = topics[2 + i]
        post = Post.objects.create(
            topic=topic,
            author_id=ctx.rng.choice(people),
            body=text,
            body_html=render_markdown(text),
            body_hash=body_hash(text),
            status=Status.HELD,
            created_at=now - timedelta(hours=3 - i),
        )
        Flag.objects.create(
            post=post,
            kind=Flag.Kind.HOLD,
            reason=Flag.Reason.FILTER,
            details="blocked term “free followers”" if i == 0 else "blocked term “cheap viewers”",
            created_at=post.created_at,
        )
    reported = Post.objects.filter(topic=topics[4], is_opening=False).first()
    if reported is not None and demo_mod is not None and reported.author_id != demo_mod:
        Flag.objects.create(
            post=reported,
            kind=Flag.Kind.REPORT,
            reason=Flag.Reason.HARMFUL_ADVICE,
            details="Bulk-banning without logging first loses the evidence.",
            reporter_id=demo_mod,
        )
    if demo_mod is None:
        return
    mine = topics[5]
    Topic.objects.filter(pk=mine.pk).update(author_id=demo_mod)
    Post.objects.filter(topic=mine, is_opening=True).update(author_id=demo_mod)
    Subscription.objects.get_or_create(user_id=demo_mod, topic=mine, defaults={"level": "watching"})
    latest = Post.objects.filter(topic=mine, is_opening=False).order_by("-created_at").first()
    if latest is not None:
        Notification.objects.create(
            recipient_id=demo_mod,
            kind=Notification.Kind.REPLY,
            actor_id=latest.author_id,
            topic=mine,
            post=latest,
            created_at=latest.created_at,
        )


def _lesson_discussions(ctx, staff) -> None:
    """Each guide lesson gets its discussion (the guides are seeded before the forums)."""
    from portal.guides.models import Lesson

    lessons = Lesson.objects.active().filter(discussion_url__isnull=True).select_related("track")
    opened = 0
    for lesson in lessons:
        lesson_discussion_open(lesson=lesson, author=staff)
        opened += 1
    if opened:
        ctx.say(f"Demo forums: {opened} lesson discussions opened.")
