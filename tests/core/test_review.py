"""The header's Review entry and the Review page (portal/review/): shown to the people who hold
a review tool, with a count of what waits for them that follows the work, at one query for
them and none for everyone else."""

import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.accounts.models import User
from portal.core.models import FailedEmail
from portal.forums import services
from portal.forums.models import FilterTerm
from portal.forums.permissions import FORUM_MODERATORS
from tests.board.factories import OpeningReportFactory
from tests.factories import UserFactory
from tests.forums.factories import SettledUserFactory, TopicFactory, reply

pytestmark = pytest.mark.django_db

REVIEW = reverse("review:tools")
HOME = reverse("home")


@pytest.fixture
def moderators() -> Group:
    return Group.objects.get(name=FORUM_MODERATORS)


@pytest.fixture
def moderator(moderators) -> User:
    person = SettledUserFactory(second_factor=True)
    person.groups.add(moderators)
    return person


def review_entry(page: str) -> str | None:
    """The header's Review entry, as text ("Review 3"), or None when there is none."""
    match = re.search(r'<a href="/review/" class="nav-review"[^>]*>(.*?)</a>', page, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split()) if match else None


def header_of(client, url: str = HOME) -> str | None:
    return review_entry(client.get(url).content.decode())


def held_and_reported(n_held: int, n_reported: int) -> list:
    """Posts held by the filter and posts reported, as members make them."""
    FilterTerm.objects.get_or_create(text="zorblax")
    topic = TopicFactory()
    held = [
        services.post_create(author=SettledUserFactory(), topic=topic, body=f"You zorblax {i}.")
        for i in range(n_held)
    ]
    for _ in range(n_reported):
        services.post_report(post=reply(topic), reporter=SettledUserFactory(), reason="spam")
    return held


# --- Who sees it --------------------------------------------------------------------------


def test_members_and_visitors_see_no_review_entry(client, user):
    assert header_of(client) is None
    client.force_login(user)
    assert header_of(client) is None
    assert header_of(client, reverse("forums:index")) is None


def test_a_forum_moderator_sees_review_with_held_posts_and_reports(client, moderator):
    held_and_reported(2, 1)
    client.force_login(moderator)
    page = client.get(HOME).content.decode()
    assert review_entry(page) == "Review 3"
    assert 'aria-label="Review, 3 waiting"' in page


def test_staff_see_review_with_open_board_reports(client, staff_user):
    OpeningReportFactory.create_batch(2)
    client.force_login(staff_user)
    assert header_of(client) == "Review 2"


def test_review_with_nothing_waiting_shows_no_number(client, moderator):
    client.force_login(moderator)
    assert header_of(client) == "Review"


def test_the_count_falls_when_a_held_post_is_approved_or_a_report_dismissed(
    client, moderator, staff_user
):
    held = held_and_reported(2, 0)
    client.force_login(moderator)
    assert header_of(client) == "Review 2"
    services.post_approve(post=held[0], moderator=moderator)
    assert header_of(client) == "Review 1"

    reports = OpeningReportFactory.create_batch(2)
    client.force_login(staff_user)
    assert header_of(client) == "Review 2"  # staff are not forum moderators: reports only
    client.post(reverse("board:report_dismiss", kwargs={"pk": reports[0].pk}))
    assert header_of(client) == "Review 1"


def test_the_review_page_lists_only_the_tools_the_person_may_use(client, moderator, staff_user):
    held_and_reported(1, 2)
    OpeningReportFactory()
    FailedEmail.objects.create(kind="digest", error="550 no such mailbox")

    client.force_login(moderator)
    page = client.get(REVIEW).content.decode()
    assert "Forum review queue" in page and "1 held post, 2 reports" in page
    for link in ("forums:queue", "forums:holding_rules", "forums:moderation_log"):
        assert f'href="{reverse(link)}"' in page
    assert "Board reports" not in page and "Failed emails" not in page

    client.force_login(staff_user)
    page = client.get(REVIEW).content.decode()
    assert "Forum review queue" not in page and "Holding rules" not in page
    assert "1 open report" in page and "0 new comments since you last looked" in page
    # A failed email is listed, but not counted: nobody can dismiss a dead address.
    assert "1 email given up on" in page
    assert header_of(client, REVIEW) == "Review 1"
    assert 'aria-current="page"' in page.split('class="nav-review"')[1].split(">")[0]


def test_a_superuser_has_every_tool(client, admin_user):
    held_and_reported(1, 0)
    client.force_login(admin_user)
    page = client.get(REVIEW).content.decode()
    assert "Forum review queue" in page and "Board reports" in page
    assert header_of(client) == "Review 1"


def test_a_member_is_refused_the_review_page(client, user):
    response = client.get(REVIEW)
    assert response.status_code == 302 and "/accounts/login/" in response.url
    client.force_login(user)
    assert client.get(REVIEW).status_code == 403


def test_a_moderator_without_a_second_factor_is_asked_for_one_on_the_review_page(
    client, moderators
):
    person = SettledUserFactory()
    person.groups.add(moderators)
    client.force_login(person)
    response = client.get(REVIEW)
    assert response.status_code == 403
    assert "accounts/second_factor_required.html" in [t.name for t in response.templates]


# --- What it costs --------------------------------------------------------------------------


def test_a_member_pays_no_query_for_the_review_entry(client, user, assert_queries):
    """Prevents the header's Review entry from costing every member a query: a member who
    holds no tool is ruled out from their own row. (Home for a member: the person; the
    profile with its roles; tests/home/test_pages.py.)"""
    held_and_reported(3, 3)
    OpeningReportFactory()
    client.force_login(user)
    client.get(HOME)
    with assert_queries(2):
        page = client.get(HOME).content.decode()
    assert review_entry(page) is None


@pytest.mark.parametrize("size", [0, 40])
def test_a_reviewer_pays_one_query_whatever_waits(
    client, moderator, staff_user, admin_user, assert_queries, size
):
    """Prevents the count from growing with the queue: one statement gives every count and
    whether the person is a forum moderator."""
    held_and_reported(size // 2, size // 2)
    OpeningReportFactory.create_batch(size // 4)
    for person in (moderator, staff_user, admin_user):
        client.force_login(person)
        client.get(HOME)
        with assert_queries(3):  # the member's two, and the Review count
            client.get(HOME)


def test_the_review_page_and_its_header_share_the_one_statement(client, moderator):
    held_and_reported(1, 0)
    client.force_login(moderator)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(REVIEW).content.decode()
    assert len([q for q in queries if "n_held" in q["sql"]]) == 1
    assert "1 held post" in page and review_entry(page) == "Review 1"


# --- The kept sieve: User.in_tool_group -------------------------------------------------------


def flag(person: User) -> bool:
    return User.objects.values_list("in_tool_group", flat=True).get(pk=person.pk)


def test_the_sieve_follows_group_membership_from_either_side(moderators):
    alex, sam = UserFactory(), UserFactory()
    alex.groups.add(moderators)
    assert flag(alex) and not flag(sam)
    moderators.user_set.add(sam)
    assert flag(sam)
    alex.groups.remove(moderators)
    assert not flag(alex) and flag(sam)
    moderators.user_set.clear()
    assert not flag(sam)
    sam.groups.set([moderators])
    assert flag(sam)
    sam.groups.clear()
    assert not flag(sam)


def test_the_sieve_ignores_other_groups_and_follows_a_renamed_or_deleted_group(moderators):
    helpers = Group.objects.create(name="Helpers")
    person = UserFactory()
    person.groups.add(helpers)
    assert not flag(person)
    person.groups.add(moderators)
    assert flag(person)
    moderators.name = "Former moderators"
    moderators.save()
    assert not flag(person)
    moderators.name = FORUM_MODERATORS
    moderators.save()
    assert flag(person)
    moderators.delete()
    assert not flag(person)


def test_a_stale_sieve_shows_nothing_the_groups_do_not_grant(client, user):
    """The sieve only saves members a query; the group still decides."""
    User.objects.filter(pk=user.pk).update(in_tool_group=True)
    client.force_login(user)
    assert header_of(client) is None
    assert client.get(REVIEW).status_code == 403
