"""The team's discussion: a private forum category whose readers follow the team's members,
written in through the forums' posting service, and never seen outside the team (lists,
search, profiles, digests), except by staff through a report."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from portal.forums.models import CategoryMember, Notification, Topic
from portal.forums.services import post_create, post_report, subscription_set, topic_create
from portal.teams.models import Membership
from portal.teams.services import (
    discussion_for,
    membership_remove,
    offer_accept,
    offer_make,
)
from tests.factories import UserFactory
from tests.forums.factories import SettledUserFactory
from tests.teams.discussion_factories import discussion_topic
from tests.teams.factories import add_member

pytestmark = pytest.mark.django_db


def readers(team) -> set[int]:
    return set(
        CategoryMember.objects.filter(category=discussion_for(team=team)).values_list(
            "user_id", flat=True
        )
    )


def topic_url(crew, topic) -> str:
    return reverse(
        "teams:discussion_topic", kwargs={"slug": crew.channel.slug, "topic_id": topic.pk}
    )


@pytest.fixture
def no_limits(monkeypatch):
    """Large data made in a moment: the posting limits would (rightly) stop it."""
    from portal.forums import limits

    for name in ("check_posting", "check_duplicate"):
        monkeypatch.setattr(limits, name, lambda **kwargs: None)


# --- Who reads it: kept in step with the team -----------------------------------------------------


def test_the_discussion_is_made_once_with_every_current_member_in_it(crew):
    category = discussion_for(team=crew.team)
    assert category.is_private and category.page_path == f"/teams/{crew.channel.slug}/discussion/"
    assert discussion_for(team=crew.team).pk == category.pk
    assert readers(crew.team) == {crew.owner.pk, crew.lead.pk, crew.member.pk, crew.trial.pk}


def test_joining_through_an_offer_lets_the_person_in(crew):
    discussion_for(team=crew.team)
    offer = offer_make(team=crew.team, user=crew.outsider, actor=crew.owner)
    offer_accept(offer=offer, user=crew.outsider)
    assert crew.outsider.pk in readers(crew.team)


def test_leaving_and_being_removed_take_access_away_in_the_same_step(crew):
    discussion_for(team=crew.team)
    membership_remove(
        membership=Membership.objects.get(team=crew.team, user=crew.member), actor=crew.owner
    )
    membership_remove(
        membership=Membership.objects.get(team=crew.team, user=crew.trial), actor=crew.trial
    )
    assert readers(crew.team) == {crew.owner.pk, crew.lead.pk}


def test_a_removed_member_gets_a_404_at_once(client, crew):
    topic, _ = discussion_topic(crew.team)
    client.force_login(crew.member)
    assert client.get(topic_url(crew, topic)).status_code == 200
    membership_remove(
        membership=Membership.objects.get(team=crew.team, user=crew.member), actor=crew.owner
    )
    assert client.get(topic_url(crew, topic)).status_code == 404
    assert client.get(reverse("teams:discussion", args=[crew.channel.slug])).status_code == 404
    reply = client.post(f"{topic_url(crew, topic)}reply/", {"body": "Still here?"})
    assert reply.status_code == 404
    assert not topic.posts.filter(body="Still here?").exists()


def test_a_member_invited_back_reads_it_again(crew):
    discussion_for(team=crew.team)
    add_member(crew.team, crew.removed)
    assert crew.removed.pk in readers(crew.team)


# --- Writing through the forums -------------------------------------------------------------------


def test_a_member_starts_a_topic_and_the_team_replies_from_the_pages(client, crew):
    client.force_login(crew.trial)
    start = reverse("teams:discussion_start", args=[crew.channel.slug])
    response = client.post(start, {"title": "Slow mode on raids", "body": "*Three* seconds?"})
    topic = Topic.objects.get(title="Slow mode on raids")
    assert topic.is_private and response["Location"] == topic_url(crew, topic)
    # The one renderer made it HTML, as in the forums.
    assert "<em>Three</em>" in client.get(topic_url(crew, topic)).text
    client.force_login(crew.lead)
    client.post(f"{topic_url(crew, topic)}reply/", {"body": "Five, on raids."})
    page = client.get(topic_url(crew, topic)).text
    assert "Five, on raids." in page and "Slow mode on raids" in page
    listing = client.get(reverse("teams:discussion", args=[crew.channel.slug])).text
    assert "Slow mode on raids" in listing and topic_url(crew, topic) in listing


def test_an_empty_reply_gets_a_form_error_not_a_500(client, crew):
    topic, _ = discussion_topic(crew.team)
    client.force_login(crew.member)
    response = client.post(f"{topic_url(crew, topic)}reply/", {"body": ""})
    assert response.status_code == 400 and "This field is required" in response.text


def test_the_hold_filter_holds_a_team_post_like_any_other(crew):
    from portal.forums.models import Flag, Status

    category = discussion_for(team=crew.team)
    topic = topic_create(
        author=crew.member, category=category, title="About last night", body="Hello team"
    )
    held = post_create(author=crew.lead, topic=topic, body="See https://example.com/raid-log")
    assert held.status == Status.HELD
    assert Flag.objects.filter(post=held, kind=Flag.Kind.HOLD).exists()


def test_mentions_tell_team_members_only(crew):
    outsider = SettledUserFactory(username="outsider_ola")
    category = discussion_for(team=crew.team)
    topic = topic_create(
        author=crew.owner,
        category=category,
        title="Raid plan",
        body=f"@{crew.member.username} and @outsider_ola and @{crew.removed.username}: thoughts?",
    )
    told = set(Notification.objects.filter(kind="mention").values_list("recipient", flat=True))
    assert told == {crew.member.pk}
    assert not Notification.objects.filter(recipient=outsider).exists()
    note = Notification.objects.get(recipient=crew.member)
    assert note.get_absolute_url().startswith(topic_url(crew, topic))


def test_a_notice_leads_to_the_post_on_the_teams_page_and_reading_clears_it(client, crew):
    category = discussion_for(team=crew.team)
    topic = topic_create(
        author=crew.owner, category=category, title="Raid plan", body=f"@{crew.member.username}?"
    )
    note = Notification.objects.get(recipient=crew.member)
    client.force_login(crew.member)
    response = client.get(note.get_absolute_url())
    assert response.status_code == 302 and response["Location"].startswith(topic_url(crew, topic))
    client.get(topic_url(crew, topic))
    note.refresh_from_db()
    assert note.read_at is not None


def test_watchers_are_emailed_replies_but_not_once_removed(
    crew, django_capture_on_commit_callbacks
):
    category = discussion_for(team=crew.team)
    topic = topic_create(author=crew.owner, category=category, title="Raid plan", body="Ideas?")
    subscription_set(user=crew.member, topic=topic, level="watching")
    subscription_set(user=crew.trial, topic=topic, level="watching")
    membership_remove(
        membership=Membership.objects.get(team=crew.team, user=crew.trial), actor=crew.owner
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        post_create(author=crew.lead, topic=topic, body="Shields mode first.")
    # The watchers still on the team (the topic's author watches it by default), not the one
    # removed since.
    assert sorted(m.to[0] for m in mail.outbox) == sorted([crew.owner.email, crew.member.email])
    assert all("Raid plan" in m.subject for m in mail.outbox)
    assert f"{topic_url(crew, topic)}?post=" in mail.outbox[0].body
    assert not Notification.objects.filter(recipient=crew.trial).exists()


def test_watching_the_discussion_brings_new_topics(client, crew):
    client.force_login(crew.member)
    client.post(reverse("teams:discussion_watch", args=[crew.channel.slug]), {"level": "watching"})
    topic_create(
        author=crew.lead, category=discussion_for(team=crew.team), title="New rules", body="Read"
    )
    assert Notification.objects.filter(recipient=crew.member, kind="new_topic").exists()


# --- Never outside the team ----------------------------------------------------------------------


SECRET = "Zanzibarquokka"


@pytest.fixture
def secret_topic(crew):
    category = discussion_for(team=crew.team)
    topic = topic_create(
        author=crew.member, category=category, title=f"{SECRET} plan", body=f"{SECRET} body"
    )
    post_create(author=crew.lead, topic=topic, body=f"{SECRET} reply")
    return topic


@pytest.mark.parametrize(
    "address",
    [
        "/forums/",
        "/forums/latest/",
        "/forums/unanswered/",
        f"/forums/search/?q={SECRET}",
        f"/search/?q={SECRET}",
    ],
)
@pytest.mark.parametrize("who", ["outsider", "member", "anonymous"])
def test_a_team_topic_is_in_no_forum_list_or_search(client, crew, secret_topic, address, who):
    """Not even for the team's own members: the forum's pages are public pages."""
    if who != "anonymous":
        client.force_login(getattr(crew, who))
    response = client.get(address)
    assert response.status_code == 200
    # (A search page repeats the words searched for, so the topic's own words are looked for.)
    for words in (f"{SECRET} plan", f"{SECRET} body", f"{SECRET} reply"):
        assert words not in response.text


@pytest.mark.parametrize("who", ["outsider", "anonymous"])
def test_a_team_topic_is_not_on_its_authors_profile(client, crew, secret_topic, who):
    if who != "anonymous":
        client.force_login(crew.outsider)
    response = client.get(reverse("accounts:profile", args=[crew.member.username]))
    assert response.status_code == 200 and SECRET not in response.text


@pytest.mark.parametrize("name", ["forums:topic_short", "forums:topic_unread"])
def test_the_forums_own_addresses_for_it_are_404(client, crew, secret_topic, name):
    client.force_login(crew.member)
    assert client.get(reverse(name, args=[secret_topic.pk])).status_code == 404


def test_a_team_topic_is_in_no_digest(crew, secret_topic):
    from portal.forums.digest import digest_sections
    from tests.forums.test_digest import target_for

    subscription_set(user=crew.outsider, topic=secret_topic, level="watching")
    subscription_set(user=crew.owner, category=secret_topic.category, level="watching")
    subscription_set(user=crew.owner, topic=secret_topic, level="watching")
    sections = digest_sections([target_for(crew.outsider), target_for(crew.owner)])
    assert SECRET not in repr(sections)


def test_staff_read_a_topic_only_through_an_open_report(client, crew, secret_topic):
    from portal.forums.services import flag_dismiss

    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    url = topic_url(crew, secret_topic)
    assert client.get(url).status_code == 404
    reply = secret_topic.posts.get(is_opening=False)
    flag = post_report(post=reply, reporter=crew.owner, reason="harassment")
    page = client.get(url)
    assert page.status_code == 200
    assert f"{SECRET} reply" in page.text and "you can't write in it" in page.text
    assert client.post(f"{url}reply/", {"body": "Staff here"}).status_code == 403
    # Reading through a report moves no read point of theirs and lists nothing else.
    assert client.get(reverse("teams:discussion", args=[crew.channel.slug])).status_code == 404
    flag_dismiss(flag=flag, moderator=UserFactory(is_superuser=True), note="")
    assert client.get(url).status_code == 404


def test_a_reported_team_posts_forum_link_leads_to_it_on_the_teams_page(client, crew, secret_topic):
    """The links every post has (the review queue, a moderation notice, the log) go through
    the forums' post address: for a team's post it must lead to the post on the team's page,
    which a member and staff with an open report read, and a stranger still cannot."""
    reply = secret_topic.posts.get(is_opening=False)
    post_report(post=reply, reporter=crew.owner, reason="harassment")
    address = reverse("forums:post", args=[reply.pk])

    client.force_login(UserFactory(is_staff=True))
    page = client.get(address, follow=True)
    assert page.status_code == 200 and f"{SECRET} reply" in page.text
    client.force_login(crew.member)
    page = client.get(address, follow=True)
    assert page.status_code == 200 and f"{SECRET} reply" in page.text
    client.force_login(crew.outsider)
    assert client.get(address, follow=True).status_code == 404


# --- A fixed number of queries ------------------------------------------------------------------


def _topics(crew, count):
    category = discussion_for(team=crew.team)
    people = [crew.owner, crew.lead, crew.member, crew.trial]
    for n in range(count):
        topic = topic_create(
            author=people[n % 4], category=category, title=f"Topic number {n}", body=f"Body {n}"
        )
        post_create(author=people[(n + 1) % 4], topic=topic, body=f"Reply {n}")


@pytest.mark.parametrize("size", [1, 45])
def test_the_topic_list_costs_the_same_whatever_its_length(
    client, crew, size, assert_queries, no_limits
):
    """Prevents an N+1: the rows' people come as columns, the read marks in one query."""
    _topics(crew, size)
    client.force_login(crew.member)
    url = reverse("teams:discussion", args=[crew.channel.slug])
    client.get(url)
    # session+user, team, membership, discussion, count, page, read marks, awaiting review,
    # watch level.
    with assert_queries(9):
        response = client.get(url)
    assert response.status_code == 200
    assert ("Topic number 0" in response.text) == (size < 30)


@pytest.mark.parametrize("replies", [1, 45])
def test_a_topic_costs_the_same_whatever_its_length(
    client, crew, replies, assert_queries, no_limits
):
    """Prevents an N+1: authors and their profiles come with the posts."""
    category = discussion_for(team=crew.team)
    topic = topic_create(author=crew.owner, category=category, title="Long one", body="Go")
    for n in range(replies):
        post_create(author=[crew.lead, crew.member][n % 2], topic=topic, body=f"Reply {n}")
    client.force_login(crew.trial)
    url = topic_url(crew, topic)
    client.get(url)
    # session+user, team, membership, discussion, topic, count, page, read point; for the
    # reply box: suspension, area membership, forum moderator; watch level; notices cleared.
    with assert_queries(13):
        assert client.get(url).status_code == 200


def test_the_team_home_links_to_the_discussion(client, crew):
    client.force_login(crew.trial)
    page = client.get(reverse("teams:home", args=[crew.channel.slug])).text
    assert reverse("teams:discussion", args=[crew.channel.slug]) in page


def test_a_unicode_digit_in_the_address_is_no_post_or_topic_not_a_500(client, crew, secret_topic):
    """ "²" passes ``str.isdigit()`` but is no number ``int()`` takes: the page ignores it, the
    watch form refuses it with a reason."""
    client.force_login(crew.member)
    response = client.get(f"{topic_url(crew, secret_topic)}?post=%C2%B2")
    assert response.status_code == 302 and response["Location"] == topic_url(crew, secret_topic)
    watch = client.post(
        reverse("teams:discussion_watch", args=[crew.channel.slug]),
        {"level": "watching", "topic": "²"},
    )
    assert watch.status_code == 400 and "No such topic." in watch.text
