"""The world the hostile walk runs in: one of each kind of person, and one of each thing an
address can name, built with the test factories the way the services would build them.

Every URL pattern is found from the resolver. A pattern without parameters needs nothing from
here; one with parameters is filled from ``ADDRESS_VALUES`` by its name, and a new pattern
whose name is not there makes the walk fail with the name to add, so no page is left out
silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from portal.accounts.models import User
from portal.digests.mail import preferences_for, unsubscribe_token
from portal.forums.models import FilterTerm, Flag, Suspension
from portal.forums.permissions import FORUM_MODERATORS
from portal.forums.services import conversation_start
from portal.guides.models import Badge, JournalEntry, Lesson, Track
from portal.markup import render_markdown
from portal.mentors.models import Goal
from portal.teams.models import LadderAction
from portal.teams.services import (
    StepSpec,
    checklist_item_add,
    debrief_write,
    membership_add,
    offer_make,
    rulebook_publish,
    team_for,
)
from portal.twitch.models import ModeratedChannel, ModerationHistory
from tests.board.factories import (
    ApplicationFactory,
    InvitationFactory,
    OpeningFactory,
    OpeningReportFactory,
    QuestionFactory,
)
from tests.factories import ChannelFactory
from tests.forums.factories import CategoryFactory, SettledUserFactory, TopicFactory, reply
from tests.guides.conftest import sync, write_small_library

PEOPLE = ("anonymous", "member", "owner", "moderator", "staff", "suspended")


@dataclass
class World:
    people: dict[str, User | None]
    things: dict[str, object] = field(default_factory=dict)
    pages: dict[str, list] = field(default_factory=dict)  # the addresses each person got


def build_world(tmp_path: Path) -> World:
    """One person of each kind, and what they own: the owner's channel and opening (with a
    question of each kind), the member's application, journal entry, badge, topic and report,
    the suspended person's suspension, a held post in the moderators' queue, a filter term."""
    sync(write_small_library(tmp_path / "guides"))
    member = SettledUserFactory(username="member")
    owner = SettledUserFactory(username="owner")
    moderator = SettledUserFactory(username="moderator")
    moderator.groups.add(Group.objects.get(name=FORUM_MODERATORS))
    staff = SettledUserFactory(username="staff", is_staff=True, is_superuser=True)
    suspended = SettledUserFactory(username="suspended")
    Suspension.objects.create(
        user=suspended,
        until=timezone.now() + timedelta(days=7),
        reason="Cooling off.",
        created_by=moderator,
    )
    channel = ChannelFactory(owner=owner, name="Night Owl Radio", slug="night-owl")
    opening = OpeningFactory(channel=channel, title="Night-shift chat enforcer")
    QuestionFactory(opening=opening, prompt="Which hours suit you?")
    QuestionFactory(opening=opening, prompt="Tell us about a tough call.", kind="paragraph")
    QuestionFactory(
        opening=opening, prompt="Used mod tools before?", kind="choice", choices=["Yes", "No"]
    )
    OpeningFactory(channel=channel, title="Draft opening", status="draft", published_at=None)
    application = ApplicationFactory(opening=opening, applicant=member)
    InvitationFactory(opening=opening, invitee=moderator)
    # Reported by a bystander, so the member may still report them (and meets that form).
    bystander = SettledUserFactory(username="bystander")
    report = OpeningReportFactory(opening=opening, reporter=bystander)
    lesson = Lesson.objects.get(uid="chat-enforcer-warn-timeout-ban")
    entry = JournalEntry.objects.create(
        user=member,
        lesson=lesson,
        prompt=lesson.reflection,
        body="I would time out for less.",
        body_html=render_markdown("I would time out for less."),
    )
    badge = Badge.objects.create(user=member, track=Track.objects.get(slug="start-here"))
    category = CategoryFactory(name="Open floor", slug="open-floor")
    topic = TopicFactory(author=member, category=category)
    post = reply(topic, author=owner)
    flag = Flag.objects.create(post=post, kind="report", reason="spam", reporter=bystander)
    suspension = Suspension.objects.get(user=suspended)
    term = FilterTerm.objects.create(text="zorblax", note="A fictional insult.")
    # The channel's mod team: its owner, and the member as a moderator on it.
    team = team_for(channel=channel)
    team_member = membership_add(team=team, user=member)
    # Its rulebook (one version) and a debrief the member wrote.
    rulebook_version = rulebook_publish(
        team=team,
        author=owner,
        public_rules="1. Be kind.",
        team_rules="Raids: the streamer decides.",
        ladder=[StepSpec(LadderAction.TIMEOUT, "Continuing after a warning", 600)],
        ladder_is_public=False,
        change_note="First rules.",
    )
    debrief = debrief_write(
        team=team,
        author=member,
        title="A heated argument",
        happened_on=timezone.localdate(),
        what_happened="Two regulars argued about spoilers.",
        what_we_did="A reminder, then a warning.",
        what_worked="The warning.",
        what_we_would_change="Say the spoiler rule sooner.",
        rulebook_change="A spoiler example.",
    )
    # The member's verified moderation history, one channel of it hidden.
    history = ModerationHistory.objects.create(
        user=member, status="checked", checked_at=timezone.now(), channel_count=2
    )
    moderated_channel = ModeratedChannel.objects.create(
        history=history, broadcaster_id="5001", broadcaster_login="hidden_one", hidden=True
    )
    ModeratedChannel.objects.create(
        history=history, broadcaster_id="5002", broadcaster_login="shown"
    )
    # A private conversation between the member and the channel's owner.
    conversation = conversation_start(
        starter=member, others=[owner], title="About the night shift", body="Are you free?"
    )
    message = conversation.posts.get()
    # A trial member whose outcome a lead records, and a place offered to the moderator.
    trial_member = membership_add(
        team=team, user=bystander, level="trial", trial_ends_on=timezone.localdate()
    )
    offer = offer_make(team=team, user=moderator, actor=owner)
    # The team's discussion: the owner's topic, with a reply by the trial member (which the
    # member may report).
    from portal.forums.services import post_create, topic_create
    from portal.teams.services import discussion_for

    team_topic = topic_create(
        author=owner, category=discussion_for(team=team), title="Friday's raid", body="Who?"
    )
    team_reply = post_create(author=bystander, topic=team_topic, body="I can, from nine.")
    step = checklist_item_add(team=team, actor=owner, text="Read our rulebook")
    # Mentoring: the owner mentors the member (who has not said their age, so staff observe),
    # and the moderator's ask waits for the owner's answer.
    from tests.mentors.factories import asked, make_mentor, under_way

    for adult in (owner, moderator):
        adult.profile.age_group = "adult"
        adult.profile.save()
    mentor_offer = make_mentor(owner, capacity=5)
    mentorship = under_way(mentor_offer, member, observer=staff)
    goal = Goal.objects.create(mentorship=mentorship, title="Read the raid guide")
    asked(mentor_offer, moderator)
    for person in (member, owner, moderator, staff, suspended, bystander):
        # What signing up leaves behind (allauth's address row, the email preferences), so
        # a page that makes them on first sight does not count as a refused request's write.
        EmailAddress.objects.create(user=person, email=person.email, primary=True, verified=True)
        preferences_for(person)
    return World(
        people={
            "anonymous": None,
            "member": member,
            "owner": owner,
            "moderator": moderator,
            "staff": staff,
            "suspended": suspended,
        },
        things={
            "channel": channel,
            "opening": opening,
            "application": application,
            "report": report,
            "lesson": lesson,
            "track": lesson.track,
            "entry": entry,
            "badge": badge,
            "category": category,
            "topic": topic,
            "post": post,
            "flag": flag,
            "suspension": suspension,
            "term": term,
            "member": member,
            "team": team,
            "team_member": team_member,
            "rulebook_version": rulebook_version,
            "debrief": debrief,
            "moderated_channel": moderated_channel,
            "conversation": conversation,
            "message": message,
            "bystander": bystander,
            "trial_member": trial_member,
            "offer": offer,
            "step": step,
            "team_topic": team_topic,
            "team_reply": team_reply,
            "mentor_offer": mentor_offer,
            "mentorship": mentorship,
            "goal": goal,
        },
    )


# What each parameterised URL pattern is given, by its name: the world's own things, so the
# pages answer as they would for real rows (a made-up number would only test the 404).
ADDRESS_VALUES = {
    "accounts:profile": lambda w: {"username": w.things["member"].username},
    "guides:certificate": lambda w: {"code": w.things["badge"].code},
    "guides:journal_delete": lambda w: {"entry_id": w.things["entry"].pk},
    "guides:track": lambda w: {"track_slug": w.things["track"].slug},
    "guides:track_checklist": lambda w: {"track_slug": w.things["track"].slug},
    "guides:track_check": lambda w: {"track_slug": w.things["track"].slug},
    "guides:track_check_submit": lambda w: {"track_slug": w.things["track"].slug},
    **{
        f"guides:{name}": lambda w: {
            "track_slug": w.things["track"].slug,
            "lesson_slug": w.things["lesson"].slug,
        }
        for name in (
            "lesson",
            "lesson_complete",
            "lesson_checklist",
            "lesson_check",
            "lesson_journal",
            "lesson_feedback",
        )
    },
    **{
        f"board:{name}": lambda w: {"pk": w.things["opening"].pk}
        for name in (
            "opening",
            "opening_edit",
            "opening_publish",
            "opening_action",
            "opening_extend",
            "apply",
            "review",
            "review_move",
            "report",
            "opening_remove",
        )
    },
    **{
        f"board:{name}": lambda w: {"pk": w.things["application"].pk}
        for name in ("application", "application_move", "application_withdraw")
    },
    "board:invite": lambda w: {"username": w.things["member"].username},
    "board:report_dismiss": lambda w: {"pk": w.things["report"].pk},
    "board:channel": lambda w: {"slug": w.things["channel"].slug},
    "board:channel_edit": lambda w: {"slug": w.things["channel"].slug},
    **{
        f"forums:{name}": lambda w: {"slug": w.things["category"].slug}
        for name in ("category", "topic_create", "category_watch")
    },
    "forums:topic": lambda w: {"pk": w.things["topic"].pk, "slug": w.things["topic"].slug},
    **{
        f"forums:{name}": lambda w: {"pk": w.things["topic"].pk}
        for name in (
            "topic_short",
            "topic_unread",
            "topic_new_replies",
            "reply",
            "topic_watch",
            "topic_unaccept",
            "topic_moderate",
        )
    },
    **{
        f"forums:{name}": lambda w: {"pk": w.things["post"].pk}
        for name in (
            "post",
            "post_edit",
            "post_history",
            "post_delete",
            "post_react",
            "post_accept",
            "post_report",
            "post_moderate",
        )
    },
    "forums:flag_act": lambda w: {"pk": w.things["flag"].pk, "action": "hide"},
    "forums:person_moderate": lambda w: {"username": w.things["member"].username},
    "forums:suspension_lift": lambda w: {"pk": w.things["suspension"].pk},
    "forums:lesson_discuss": lambda w: {"pk": w.things["lesson"].pk},
    "forums:hold_levels": lambda w: {"slug": w.things["category"].slug},
    "forums:filter_term_edit": lambda w: {"pk": w.things["term"].pk},
    "forums:filter_term_remove": lambda w: {"pk": w.things["term"].pk},
    **{f"teams:{name}": lambda w: {"slug": w.things["channel"].slug} for name in ("home", "leave")},
    "twitch:channel_hide": lambda w: {"pk": w.things["moderated_channel"].pk},
    "teams:twitch_import": lambda w: {"slug": w.things["channel"].slug},
    **{
        f"teams:{name}": lambda w: {"slug": w.things["channel"].slug}
        for name in (
            "coverage",
            "coverage_sign_up",
            "coverage_withdraw",
            "swap_ask",
            "swap_take",
            "swap_withdraw",
            "coverage_schedule",
            "calendar",
            "discord",
            "discord_disconnect",
        )
    },
    # A made-up token: the feed answers 404, to everyone (no sign-in; the token is the key).
    "teams:calendar_feed": lambda w: {"slug": w.things["channel"].slug, "token": "made-up"},
    "teams:remove": lambda w: {
        "slug": w.things["channel"].slug,
        "member_id": w.things["team_member"].pk,
    },
    **{
        f"teams:{name}": lambda w: {"slug": w.things["channel"].slug}
        for name in (
            "rulebook",
            "rulebook_history",
            "rulebook_publish",
            "rulebook_acknowledge",
            "debriefs",
            "debrief_write",
        )
    },
    **{
        f"teams:{name}": lambda w: {
            "slug": w.things["channel"].slug,
            "number": w.things["rulebook_version"].number,
        }
        for name in ("rulebook_version", "rulebook_changes")
    },
    **{
        f"teams:{name}": lambda w: {
            "slug": w.things["channel"].slug,
            "debrief_id": w.things["debrief"].pk,
        }
        for name in ("debrief", "debrief_note")
    },
    **{
        f"conversations:{name}": lambda w: {"pk": w.things["conversation"].pk}
        for name in ("detail", "reply", "leave")
    },
    **{
        f"conversations:{name}": lambda w: {"pk": w.things["message"].pk}
        for name in ("message", "message_delete", "message_report")
    },
    **{
        f"accounts:{name}": lambda w: {"username": w.things["bystander"].username}
        for name in ("block", "unblock")
    },
    "teams:invite": lambda w: {"slug": w.things["channel"].slug},
    "teams:offer": lambda w: {"pk": w.things["offer"].pk},
    "teams:offer_withdraw": lambda w: {
        "slug": w.things["channel"].slug,
        "offer_id": w.things["offer"].pk,
    },
    "teams:member_edit": lambda w: {
        "slug": w.things["channel"].slug,
        "member_id": w.things["team_member"].pk,
    },
    **{
        f"teams:{name}": lambda w: {"slug": w.things["channel"].slug}
        for name in ("onboarding", "onboarding_tick", "checklist_add")
    },
    **{
        f"teams:{name}": lambda w: {"slug": w.things["channel"].slug}
        for name in ("discussion", "discussion_start", "discussion_watch")
    },
    **{
        f"teams:{name}": lambda w: {
            "slug": w.things["channel"].slug,
            "topic_id": w.things["team_topic"].pk,
        }
        for name in ("discussion_topic", "discussion_reply")
    },
    "teams:discussion_report": lambda w: {
        "slug": w.things["channel"].slug,
        "post_id": w.things["team_reply"].pk,
    },
    "teams:checklist_remove": lambda w: {
        "slug": w.things["channel"].slug,
        "item_id": w.things["step"].pk,
    },
    "teams:assign": lambda w: {
        "slug": w.things["channel"].slug,
        "member_id": w.things["team_member"].pk,
    },
    "teams:trial": lambda w: {
        "slug": w.things["channel"].slug,
        "member_id": w.things["trial_member"].pk,
    },
    "mentors:ask": lambda w: {"mentor_id": w.things["mentor_offer"].pk},
    **{
        f"mentors:{name}": lambda w: {"pk": w.things["mentorship"].pk}
        for name in (
            "mentorship",
            "answer",
            "withdraw",
            "goal_add",
            "schedule",
            "checkin",
            "end",
            "ask_staff",
            "observer",
        )
    },
    "mentors:goal_done": lambda w: {
        "pk": w.things["mentorship"].pk,
        "goal_id": w.things["goal"].pk,
    },
    "digests:unsubscribe": lambda w: {
        "token": unsubscribe_token(user=w.things["member"], kind="digest")
    },
    # allauth's keys: made-up ones, which allauth answers with its "bad link" page.
    "account_confirm_email": lambda w: {"key": "made-up-key"},
    "account_reset_password_from_key": lambda w: {"uidb36": "1", "key": "set-password"},
    "admin:auth_user_password_change": lambda w: {"id": w.things["member"].pk},
    # Rows the world does not make yet (a security key, a signed-in session's record, a data
    # export, a failed email): their pages are walked on their "no such row" path.
    "mfa_remove_webauthn": lambda w: {"pk": 1},
    "mfa_edit_webauthn": lambda w: {"pk": 1},
    "accounts:session_sign_out": lambda w: {"pk": 1},
    "accounts:export_download": lambda w: {"pk": 1},
    "failed_email_send": lambda w: {"pk": 1},
}


def _admin_kwargs(world: World, name: str, params: set[str]) -> dict | None:
    """The admin's object pages, for the world's own rows where the model has one."""
    if not name.startswith("admin:"):
        return None
    if params == {"app_label"}:
        return {"app_label": "forums"}
    if params == {"content_type_id", "object_id"}:
        return {"content_type_id": 1, "object_id": 1}
    if "object_id" in params:
        model_name = name.split(":", 1)[1].rsplit("_", 1)[0]
        for app_label in (
            "accounts",
            "board",
            "forums",
            "teams",
            "mentors",
            "guides",
            "digests",
            "core",
            "auth",
        ):
            prefix = app_label + "_"
            if model_name.startswith(prefix):
                from django.apps import apps

                model = apps.get_model(app_label, model_name[len(prefix) :])
                row = model._default_manager.order_by("pk").first()
                return {"object_id": str(row.pk if row else 1)}
        return {"object_id": "1"}
    return None


@dataclass(frozen=True)
class Address:
    name: str  # the URL pattern's full name, or its route where it has none
    path: str


class TeachTheWalk(AssertionError):
    pass


def every_address(world: World) -> list[Address]:
    """A filled-in address for every URL pattern the resolver knows."""
    found: dict[str, Address] = {}

    def walk(patterns, namespaces, route, outer: frozenset = frozenset()):
        for entry in patterns:
            here = route + str(entry.pattern)
            params = set(outer | set(entry.pattern.regex.groupindex))
            if isinstance(entry, URLResolver):
                spaces = namespaces + [entry.namespace] * bool(entry.namespace)
                walk(entry.url_patterns, spaces, here, frozenset(params))
                continue
            assert isinstance(entry, URLPattern)
            if not entry.name:
                # Redirects kept for old addresses (allauth's /social/, the admin's bare
                # object address): their one parameter is a number.
                found[here] = Address(here, "/" + re.sub(r"<[^>]+>", "1", here))
                continue
            name = ":".join([*namespaces, entry.name])
            if not params:
                found[name] = Address(name, reverse(name))
                continue
            make = ADDRESS_VALUES.get(name)
            kwargs = make(world) if make else _admin_kwargs(world, name, params)
            if kwargs is None:
                raise TeachTheWalk(
                    f"The URL pattern {name!r} takes {sorted(params)}: give it values from "
                    "the world in tests/hostile/world.py ADDRESS_VALUES."
                )
            found[name] = Address(name, reverse(name, kwargs=kwargs))

    walk(get_resolver().url_patterns, [], "")
    return sorted(found.values(), key=lambda a: a.path)
