"""Fixture content for the search tests: forum topics written as moderators write them
(Markdown, replies, an accepted answer, one pinned topic), with distractors that mention the
same words in passing, and things no stranger may see."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from portal.forums import services
from portal.forums.models import Post, Status, Topic
from tests.forums.factories import PostFactory, SettledUserFactory, TopicFactory

# (title, opening body, [replies], days ago); a reply starting "ACCEPTED " is the accepted
# answer (the marker is cut from its text).
TOPICS = [
    (
        "Timeout or ban for a first-time backseater?",
        "A chatter keeps telling the streamer where to go in the game. **First time** for "
        "them. Timeout or straight ban?",
        [
            "ACCEPTED A short timeout and a friendly note. Backseating is annoying, not malicious.",
            "We ban on the third warning, never the first.",
        ],
        200,
    ),
    (
        "Hate raid at 3am with no other mods online",
        "Dozens of new accounts spammed slurs right after a raid. I was alone. What is the "
        "order of things?",
        [
            "Turn on shield mode first, then followers-only chat, then report the accounts.",
            "ACCEPTED Shield mode, followers-only chat, and report every account afterwards.",
        ],
        90,
    ),
    (
        "AutoMod level for a cozy art channel?",
        "Level 2 catches most of it but also eats harmless jokes. What do you run?",
        ["We run level 1 and a few [blocked terms](https://example.com/terms)."],
        40,
    ),
    (
        "Spoilers in chat during a story game",
        "People keep spoiling the ending for everyone. We added a `!spoilers` command.",
        ["A timeout of 60 seconds for spoilers works well for us."],
        30,
    ),
    (
        "Phishing links posing as free followers",
        'Someone posted a link promising "free followers" that leads to a fake login page.',
        ["Block the domain and never click it yourself."],
        25,
    ),
    (
        "Our streamer overruled a ban live on stream",
        "I banned someone for slurs and the streamer unbanned them on air. Awkward.",
        ["Talk after the stream, not in chat."],
        60,
    ),
    (
        "Writing a rulebook that new mods actually read",
        "Our rulebook is twelve pages. Nobody reads it. How short is yours?",
        ["One page, with examples for each rule."],
        120,
    ),
    (
        "Burnout after a year of nightly streams",
        "I moderate five nights a week and I am exhausted.",
        ["Take a week off; the team will cover. Rotate the late shifts."],
        15,
    ),
    (
        "Nightbot timers versus StreamElements timers",
        "Which bot handles timed messages better for a small channel?",
        ["Nightbot timers are simpler to set up."],
        70,
    ),
    (
        "Slow mode during hype trains: helpful or annoying?",
        "Chat explodes during a hype train. Slow mode calms it but people complain.",
        [],
        10,
    ),
    (
        "Handling a viewer who mentions self-harm in chat",
        "Someone wrote something worrying about hurting themselves. What do we do?",
        ["Follow the crisis steps in the guides and contact the platform."],
        50,
    ),
    (
        "Lurkers and regulars: greeting without spamming",
        "Greeting every lurker by name feels like a lot. How do you greet people?",
        [],
        35,
    ),
    (
        "When do you give a second chance after a ban appeal?",
        "Appeals come in weekly. Some are sincere.",
        ["A second chance after 30 days if the appeal names what they did."],
        45,
    ),
    (
        "Blocked terms list for a Spanish-speaking channel",
        "Our chat is mostly in Spanish and the default lists miss a lot.",
        [],
        55,
    ),
    (
        "Handoffs between mod shifts went badly",
        "Nobody told the evening team about the raid warning.",
        ["Keep shift notes in a shared document."],
        65,
    ),
    (
        "Doxxing threat against the streamer",
        "A viewer posted part of the streamer's address.",
        ["Delete, ban, screenshot, and report to the platform at once."],
        5,
    ),
    (
        "Giveaway scams in whispers",
        "People get whispers saying they won a giveaway and must pay a fee.",
        [],
        20,
    ),
    (
        "Copypasta spam waves every Friday",
        "The same copypasta floods chat each Friday evening.",
        ["Add its first line to the blocked terms."],
        12,
    ),
    # Distractors: the same words in passing, often and recently.
    (
        "Weekly check-in thread",
        "This week: a timeout here, a ban there, a raid on Tuesday, some backseat gaming "
        "talk, spoilers, AutoMod tweaks, slow mode, burnout chat, lurkers, appeals, copypasta, "
        "a hate comment, a giveaway, handoffs, doxxing rumours, phishing, nightbot.",
        [
            "Timeouts, bans, raids, backseat drivers, spoilers: the usual week.",
            "Also a hate raid rumour that came to nothing, and a ban appeal.",
        ],
        1,
    ),
    (
        "Introduce yourself",
        "Say hello: which channels do you moderate, and what do you do about backseat "
        "gamers, raids and timeouts?",
        ["Hi! Mostly timeouts and the odd ban for backseating in speedruns."],
        2,
    ),
]


def forum_fixture() -> dict[str, Topic]:
    """The TOPICS, published, indexed for search; topics by title."""
    now = timezone.now()
    people = [SettledUserFactory() for _ in range(4)]
    topics: dict[str, Topic] = {}
    for index, (title, body, replies, days) in enumerate(TOPICS):
        when = now - timedelta(days=days)
        topic = TopicFactory(
            title=title,
            slug=f"topic-{index}",
            author=people[index % 4],
            created_at=when,
            opening__body=body,
        )
        for number, text in enumerate(replies):
            accepted = text.startswith("ACCEPTED ")
            post = PostFactory(
                topic=topic,
                author=people[(index + number + 1) % 4],
                body=text.removeprefix("ACCEPTED "),
                created_at=when + timedelta(hours=number + 1),
            )
            if accepted:
                Topic.objects.filter(pk=topic.pk).update(accepted_answer=post)
        topics[title] = topic
    Topic.objects.filter(pk=topics[TOPICS[0][0]].pk).update(is_pinned=True)
    services.search_index_rebuild()
    return topics


def opening(topic: Topic) -> Post:
    return topic.posts.get(is_opening=True)


def hidden_things(*, author) -> dict[str, Post]:
    """What strangers may never see, each saying "backseat hate raid" (words the fixture's
    searches ask): a held post, a hidden post, a hidden topic's opening post, a deleted post."""
    topic = Topic.objects.get(title=TOPICS[0][0])
    things = {
        "held": PostFactory(
            topic=topic, author=author, body="Held: backseat hate raid secret", status=Status.HELD
        ),
        "hidden": PostFactory(
            topic=topic,
            author=author,
            body="Hidden: backseat hate raid secret",
            status=Status.HIDDEN,
        ),
        "deleted": PostFactory(
            topic=topic,
            author=author,
            body="Deleted: backseat hate raid secret",
            status=Status.DELETED,
        ),
    }
    hidden_topic = TopicFactory(
        title="Hidden topic about a backseat hate raid secret",
        author=author,
        status=Status.HIDDEN,
        opening__body="Hidden topic: backseat hate raid secret",
    )
    things["hidden topic"] = opening(hidden_topic)
    services.search_index_rebuild()
    return things
