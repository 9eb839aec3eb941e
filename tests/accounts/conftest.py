"""A member with data of every kind the registry knows, and someone else beside them, for the
export and deletion tests."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount

from portal.accounts.models import Language, Role
from portal.accounts.services import profile_update
from portal.board.models import ApplicationStatus
from portal.core.schedule import Window
from portal.digests.mail import preferences_for
from portal.forums.models import Notification, ReadState, Subscription
from portal.forums.services.reactions import reaction_give
from portal.guides import services as guides
from portal.guides.models import Lesson, Track
from portal.markup import render_markdown
from tests.board.factories import ApplicationFactory, InvitationFactory, OpeningFactory
from tests.factories import ChannelFactory
from tests.forums.factories import PostFactory, SettledUserFactory, TopicFactory, reply
from tests.guides.conftest import sync, write_small_library


def make_member(tmp_path, *, username: str = "sam_rivers") -> SimpleNamespace:
    """Sam, with a profile, availability, guide progress and journal, a channel with an
    opening, an application (with answers) to someone else's opening, forum topics, posts
    and reactions, and email settings; and Alex, who wrote about Sam."""
    if not Track.objects.exists():
        sync(write_small_library(tmp_path / "guides"))
    sam = SettledUserFactory(username=username, email=f"{username}@example.com")
    alex = SettledUserFactory(username="alex_other", email="alex@example.com")
    profile_update(
        profile=sam.profile,
        display_name="Sam Rivers",
        bio="I keep **cozy** chats kind.",
        twitch_login="sam_on_twitch",
        roles=Role.objects.filter(slug="chat-enforcer"),
        languages=Language.objects.filter(code="en"),
        timezone="Europe/Paris",
        hours_per_week=6,
        windows=[Window.from_json([0, "18:00", "22:00"])],
        channels_moderated=2,
        moderating_since=None,
        open_to_moderating=True,
        is_public=True,
    )
    EmailAddress.objects.create(user=sam, email=sam.email, verified=True, primary=True)
    SocialAccount.objects.create(user=sam, provider="twitch", uid="123456")
    lesson = Lesson.objects.get(uid__endswith="warn-timeout-ban")
    guides.lesson_complete(user=sam, lesson=lesson)
    guides.journal_entry_save(user=sam, lesson=lesson, body="Next time I *warn* first.")
    guides.lesson_feedback_give(user=sam, lesson=lesson, helpful=True, reason="", comment="")
    channel = ChannelFactory(owner=sam, name="Sam Plays", twitch_login="sam_on_twitch")
    own_opening = OpeningFactory(channel=channel, title="Night owl wanted")
    alex_applies = ApplicationFactory(
        opening=own_opening, applicant=alex, message="Alex here, pick me."
    )
    alex_opening = OpeningFactory(title="Alex's channel needs help")
    application = ApplicationFactory(
        opening=alex_opening,
        applicant=sam,
        message="I am *Sam* and I moderate weekends.",
        answers=[{"question": 1, "prompt": "Why us?", "answer": "Sam loves your chat."}],
    )
    declined = ApplicationFactory(
        applicant=sam, status=ApplicationStatus.DECLINED, message="An older try by Sam."
    )
    invitation = InvitationFactory(opening=alex_opening, invitee=sam, message="Join us, Sam!")
    topic = TopicFactory(author=sam, title="How do you greet a raid, everyone?")
    sam_reply = reply(TopicFactory(author=alex), author=sam, body="Sam's answer: **slow mode**.")
    mention = reply(
        topic,
        author=alex,
        body=f"> @{username} [wrote](/forums/posts/1/):\n>\n> greet\n\nThanks @{username}!",
    )
    mention.body_html = render_markdown(
        mention.body.replace(f"@{username}", f"[@{username}](/people/{username}/)")
    )
    mention.save()
    alex_post = PostFactory(topic=topic, author=alex, body="Alex's own words.")
    reaction_give(post=alex_post, user=sam, kind="helpful")
    ReadState.objects.create(user=sam, topic=topic, last_read_at=topic.created_at)
    Subscription.objects.update_or_create(
        user=sam, topic=topic, defaults={"level": Subscription.Level.WATCHING}
    )
    Notification.objects.create(
        recipient=sam, actor=alex, kind=Notification.Kind.REPLY, topic=topic, post=alex_post
    )
    preferences = preferences_for(sam)
    preferences.email_forum_mentions = False
    preferences.save()
    return SimpleNamespace(
        sam=sam,
        alex=alex,
        lesson=lesson,
        channel=channel,
        own_opening=own_opening,
        alex_applies=alex_applies,
        application=application,
        declined=declined,
        invitation=invitation,
        topic=topic,
        sam_reply=sam_reply,
        mention=mention,
        alex_post=alex_post,
    )


@pytest.fixture
def member(db, tmp_path):
    return make_member(tmp_path)


@pytest.fixture
def exports_dir(settings, tmp_path):
    """The "exports" storage in a folder of the test's own."""
    folder = tmp_path / "exports"
    settings.STORAGES = {
        **settings.STORAGES,
        "exports": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(folder)},
        },
    }
    return folder
