"""The team's discussion: a private forum category whose readers follow the team's members,
written in through the forums' posting service, and never seen outside the team (lists,
search, profiles, digests), except by staff through a report."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from portal.forums.models import CategoryMember, Notification, Topic
from portal.forums.services import (
    post_create,
    post_hide,
    post_report,
    subscription_set,
    topic_create,
)
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
    # The forums' reply, which leads back to the reply on the team's page.
    sent = client.post(reverse("forums:reply", args=[topic.pk]), {"body": "Five, on raids."})
    post = topic.posts.get(body="Five, on raids.")
    assert sent["Location"] == reverse("forums:post", args=[post.pk])
    assert client.get(sent["Location"])["Location"] == f"{topic_url(crew, topic)}#post-{post.pk}"
    # The team page's old reply address sends a form on to it, method and fields kept.
    old = client.post(f"{topic_url(crew, topic)}reply/", {"body": "Or three."})
    assert old.status_code == 307 and old["Location"] == reverse("forums:reply", args=[topic.pk])
    page = client.get(topic_url(crew, topic)).text
    assert "Five, on raids." in page and "Slow mode on raids" in page
    listing = client.get(reverse("teams:discussion", args=[crew.channel.slug])).text
    assert "Slow mode on raids" in listing and topic_url(crew, topic) in listing


def test_an_empty_reply_gets_a_form_error_not_a_500(client, crew):
    topic, _ = discussion_topic(crew.team)
    client.force_login(crew.member)
    response = client.post(reverse("forums:reply", args=[topic.pk]), {"body": ""})
    # The forums' reply page, with the error beside the field, as in any topic.
    assert response.status_code == 200 and "This field is required" in response.text
    assert not topic.posts.filter(body="").exists()


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


def test_a_moderation_notice_about_a_team_post_says_it_leads_to_the_teams_discussion(
    client, crew, secret_topic
):
    """A post in the team's discussion is no forum post to its author: the notice's link says
    where it leads, and leads there."""
    reply = secret_topic.posts.get(is_opening=False)  # the lead's
    post_report(post=reply, reporter=crew.member, reason="harassment")
    post_hide(post=reply, moderator=UserFactory(is_superuser=True), reason="Too sharp.")
    client.force_login(crew.lead)
    page = client.get(reverse("forums:notifications")).text
    link = re.search(
        r'Too sharp\.\s*<a href="([^"]+)">See the post in your team\'s discussion</a>', page
    )
    assert link, page
    response = client.get(link.group(1), follow=True)
    assert response.status_code == 200
    assert response.request["PATH_INFO"] == topic_url(crew, secret_topic)


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
    """Prevents an N+1: the team's topic page is the forums' topic page (authors, their
    profiles and badges' facts come with the posts; each post's part is cached), whether it
    holds one reply or three pages of them."""
    category = discussion_for(team=crew.team)
    topic = topic_create(author=crew.owner, category=category, title="Long one", body="Go")
    for n in range(replies):
        post_create(author=[crew.lead, crew.member][n % 2], topic=topic, body=f"Reply {n}")
    client.force_login(crew.trial)
    url = topic_url(crew, topic)
    for address in (url, f"{url}?page=2"):
        client.get(address)
        # user, team, the reader's place in the topic (one statement: the area's membership,
        # the queue, read point, watch level…), membership, topic, the page's posts, the
        # reply box's area membership.
        with assert_queries(7):
            response = client.get(address)
        assert response.status_code == 200
    assert ("Reply 30" in response.text) == (replies == 45)


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


# --- One topic page: the forums' own, at the team's address ---------------------------------------


def test_the_team_topic_is_the_forums_topic_page_inside_the_team_section(client, crew):
    """Reactions, quoting, preview, editing, deleting, history, watching and the new-replies
    poll are the forums' own, shown in the team's section with the way back to its
    discussion."""
    topic, reply = discussion_topic(crew.team)
    own = post_create(author=crew.member, topic=topic, body="I'll take the queue.")
    client.force_login(crew.member)
    page = client.get(topic_url(crew, topic))
    html = page.text
    assert page.status_code == 200
    assert f'aria-label="{crew.channel.name} mod team"' in html  # the team's section
    assert reverse("teams:discussion", args=[crew.channel.slug]) in html  # back to it
    assert reverse("forums:post_react", args=[reply.pk]) in html  # reactions
    assert f"{reverse('forums:reply', args=[topic.pk])}?quote={reply.pk}" in html  # quote
    assert 'name="preview"' in html  # preview
    assert reverse("forums:post_edit", args=[own.pk]) in html  # edit, own post
    assert reverse("forums:post_delete", args=[own.pk]) in html  # delete, own post
    assert reverse("forums:post_report", args=[reply.pk]) in html  # report
    assert reverse("forums:topic_watch", args=[topic.pk]) in html  # watch
    assert reverse("forums:topic_new_replies", args=[topic.pk]) in html  # new replies
    assert f'<a href="{reverse("forums:index")}">Forums</a> ›' not in html  # no forum crumbs
    # A private topic's page is for its reader alone: no shared cache keeps it.
    assert "private" in page["Cache-Control"] and "no-store" in page["Cache-Control"]


def _own_page(page: str, topic, own, reply) -> str:
    """The forums' own page of an action on a team's topic, where it leads without JavaScript."""
    return {
        "reply": reverse("forums:reply", args=[topic.pk]),
        "edit": reverse("forums:post_edit", args=[own.pk]),
        "delete": reverse("forums:post_delete", args=[own.pk]),
        "history": reverse("forums:post_history", args=[own.pk]),
        "report": reverse("forums:post_report", args=[reply.pk]),
    }[page]


@pytest.mark.parametrize("page", ["reply", "edit", "delete", "history", "report"])
def test_a_team_topics_reply_edit_delete_history_and_report_pages_are_the_teams(client, crew, page):
    """Without JavaScript, replying, editing, deleting, a post's history and reporting are
    pages of their own (the forums'). For a team's topic they stand in the team's section,
    with the way back to its discussion, as the topic page does: not under the forums' crumbs
    and the discussion's category name. Still a 404 to anyone off the team, and kept by no
    shared cache."""
    topic, reply = discussion_topic(crew.team)
    own = post_create(author=crew.member, topic=topic, body="I'll take the queue.")
    url = _own_page(page, topic, own, reply)
    client.force_login(crew.member)
    response = client.get(url)
    html = response.text
    assert response.status_code == 200
    assert f'aria-label="{crew.channel.name} mod team"' in html  # the team's section
    assert reverse("teams:discussion", args=[crew.channel.slug]) in html  # back to it
    assert topic_url(crew, topic) in html  # and to the topic
    assert 'aria-current="page">Teams</a>' in html
    assert f'<a href="{reverse("forums:index")}">Forums</a> ›' not in html  # no forum crumbs
    assert f"Mod team {crew.team.pk}:" not in html
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    client.force_login(crew.outsider)
    assert client.get(url).status_code == 404


def test_a_reaction_a_quote_and_an_edit_on_a_team_topic(client, crew):
    topic, reply = discussion_topic(crew.team)
    client.force_login(crew.lead)
    # A reaction through htmx answers with the post, from the topic page's own template.
    react = client.post(
        reverse("forums:post_react", args=[reply.pk]), {"give": "thanks"}, HTTP_HX_REQUEST="true"
    )
    assert react.status_code == 200 and react["HX-Retarget"] == f"#post-{reply.pk}"
    assert 'aria-pressed="true"' in react.text and "no-store" in react["Cache-Control"]
    reply.refresh_from_db()
    assert reply.thanks_count == 1
    # A quote of a team post goes into the reply box.
    quote = client.post(
        reverse("forums:reply", args=[topic.pk]), {"quote": reply.pk}, HTTP_HX_REQUEST="true"
    )
    assert quote.status_code == 200 and "I can, from nine." in quote.text
    # A preview shows the rendered reply and saves nothing.
    preview = client.post(
        reverse("forums:reply", args=[topic.pk]), {"body": "*Soon*", "preview": "1"}
    )
    assert "<em>Soon</em>" in preview.text and not topic.posts.filter(body="*Soon*").exists()
    # Editing one's own post leads back to it on the team's page; its history is kept.
    own = post_create(author=crew.lead, topic=topic, body="Shield mode first.")
    edited = client.post(
        reverse("forums:post_edit", args=[own.pk]), {"body": "Shield mode first, then bans."}
    )
    assert client.get(edited["Location"])["Location"].startswith(topic_url(crew, topic))
    history = client.get(reverse("forums:post_history", args=[own.pk]))
    assert history.status_code == 200 and "Shield mode first." in history.text
    # Deleting it goes back to the topic on the team's page.
    gone = client.post(reverse("forums:post_delete", args=[own.pk]), {"reason": ""})
    assert gone["Location"] == topic_url(crew, topic)


def test_new_replies_are_announced_to_members_and_lead_to_the_teams_page(client, crew):
    from portal.forums.selectors import seen_until_mark

    topic, reply = discussion_topic(crew.team)
    client.force_login(crew.member)
    address = reverse("forums:topic_new_replies", args=[topic.pk])
    post_create(author=crew.lead, topic=topic, body="Anyone for Saturday?")
    found = client.get(f"{address}?after={seen_until_mark(reply.published_at)}")
    assert "1 new reply" in found.text and f"{topic_url(crew, topic)}?unread=1" in found.text
    assert "no-store" in found["Cache-Control"]
    # "show" jumps to the first post the member has not read.
    jump = client.get(f"{topic_url(crew, topic)}?unread=1")
    assert jump.status_code == 302 and jump["Location"].startswith(topic_url(crew, topic))


def test_a_blocked_persons_team_post_is_folded(client, crew):
    from portal.accounts.services import block_create

    topic, _ = discussion_topic(crew.team)
    post_create(author=crew.lead, topic=topic, body="Mine, from the lead.")
    block_create(blocker=crew.member, blocked=crew.lead)
    client.force_login(crew.member)
    html = client.get(topic_url(crew, topic)).text
    assert "A post by someone you blocked: show" in html and "Mine, from the lead." in html


def test_a_forum_moderator_on_the_team_is_a_member_there(client, crew):
    """Moderator's powers (others' held posts, deleting others' posts, the moderation pages)
    are the public forums'; a team's discussion is moderated through the review queue."""
    from django.contrib.auth.models import Group

    from portal.forums.permissions import FORUM_MODERATORS

    topic, reply = discussion_topic(crew.team)
    crew.lead.groups.add(Group.objects.get_or_create(name=FORUM_MODERATORS)[0])
    client.force_login(crew.lead)
    html = client.get(topic_url(crew, topic)).text
    assert reverse("forums:post_delete", args=[reply.pk]) not in html
    assert reverse("forums:post_moderate", args=[reply.pk]) not in html
    assert reverse("forums:topic_moderate", args=[topic.pk]) not in html
    assert client.get(reverse("forums:post_delete", args=[reply.pk])).status_code == 403
    # (Without a second factor the moderation pages ask for one first: a 403 either way.)
    assert client.get(reverse("forums:post_moderate", args=[reply.pk])).status_code != 200
    assert client.get(reverse("forums:topic_moderate", args=[topic.pk])).status_code != 200


def test_staff_through_a_report_only_read(client, crew, secret_topic):
    """Staff read a reported team topic on the team's page, and nothing of the forums'
    actions opens to them: no reply, reaction, history, watch or new-replies poll."""
    reply = secret_topic.posts.get(is_opening=False)
    post_report(post=reply, reporter=crew.owner, reason="harassment")
    client.force_login(UserFactory(is_staff=True))
    page = client.get(topic_url(crew, secret_topic))
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert reverse("forums:post_react", args=[reply.pk]) not in page.text
    assert 'id="reply-form"' not in page.text and "new-replies" not in page.text
    assert f'aria-label="{crew.channel.name} mod team"' not in page.text  # not on the team
    for method, address, data in [
        ("post", reverse("forums:reply", args=[secret_topic.pk]), {"body": "Staff here"}),
        ("post", reverse("forums:post_react", args=[reply.pk]), {"give": "thanks"}),
        ("post", reverse("forums:topic_watch", args=[secret_topic.pk]), {"level": "watching"}),
        ("get", reverse("forums:post_history", args=[reply.pk]), {}),
        ("get", reverse("forums:topic_new_replies", args=[secret_topic.pk]), {"after": "0"}),
        ("get", reverse("forums:post_report", args=[reply.pk]), {}),
    ]:
        assert getattr(client, method)(address, data).status_code == 404, address


def test_a_removed_member_loses_every_action_at_once(client, crew):
    topic, reply = discussion_topic(crew.team)
    client.force_login(crew.member)
    react = reverse("forums:post_react", args=[reply.pk])
    assert client.post(react, {"give": "thanks"}).status_code == 302
    membership_remove(
        membership=Membership.objects.get(team=crew.team, user=crew.member), actor=crew.owner
    )
    assert client.post(react, {"take_back": "thanks"}).status_code == 404
    assert client.post(reverse("forums:reply", args=[topic.pk]), {"body": "Hi"}).status_code == 404
    assert client.get(reverse("forums:post_history", args=[reply.pk])).status_code == 404
    polled = client.get(reverse("forums:topic_new_replies", args=[topic.pk]), {"after": "0"})
    assert polled.status_code == 404
    assert client.get(reverse("forums:post", args=[reply.pk])).status_code == 404


def test_no_private_topic_reaches_the_anonymous_page_cache(client, crew, settings):
    from django.core.cache import cache

    from portal.core.anonymous_cache import page_key

    settings.ANONYMOUS_PAGE_CACHE = True
    topic, reply = discussion_topic(crew.team)
    addresses = [
        topic_url(crew, topic),
        reverse("forums:topic", args=[topic.pk, topic.slug]),
        f"{reverse('forums:topic_new_replies', args=[topic.pk])}?after=0",
        reverse("forums:post_history", args=[reply.pk]),
        reverse("forums:post", args=[reply.pk]),
    ]
    for address in addresses:
        assert client.get(address).status_code in (302, 404), address
        assert cache.get(page_key(address)) is None, address


def test_a_held_team_topic_is_read_by_its_author_and_by_staff_while_it_waits(client, crew):
    from portal.forums.models import Status

    category = discussion_for(team=crew.team)
    topic = topic_create(
        author=crew.member, category=category, title="Raid log", body="See https://example.com/log"
    )
    assert topic.status == Status.HELD
    client.force_login(UserFactory(is_staff=True))
    page = client.get(topic_url(crew, topic))
    assert page.status_code == 200 and "https://example.com/log" in page.text
    client.force_login(crew.member)
    assert "awaiting review" in client.get(topic_url(crew, topic)).text
    client.force_login(crew.lead)
    assert client.get(topic_url(crew, topic)).status_code == 404
