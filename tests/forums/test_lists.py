"""The forums' list pages: the index, a category, latest and unanswered (their rows' own parts
cached under the versions of the rows they show), and search (rendered plainly).

Each reader sees their own read state, mutes and standing around the cached rows; what
another person writes shows on the reader's very next page, one test per kind of write; and a
write elsewhere, or a reader's visit to a topic, leaves the rows cached."""

from datetime import timedelta

import pytest
from django.contrib.admin.sites import site as admin_site
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from portal.accounts.services import profile_update
from portal.forums import services
from portal.forums.admin import CategoryAdmin
from portal.forums.models import Category, Status, Suspension, Topic
from tests.forums.factories import SettledUserFactory, SubscriptionFactory, TopicFactory, reply
from tests.forums.pages import category_row_keys, kept, page_text, row_keys, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def forum(member, other_member):
    """Topics in two categories, some read by the member, one with a reply since, and one
    topic of theirs awaiting review."""
    tough = Category.objects.get(slug="tough-calls")
    wellbeing = Category.objects.get(slug="wellbeing")
    topics = [TopicFactory(category=tough, title=f"Raid night, case {i}") for i in range(4)]
    topics.append(TopicFactory(category=wellbeing, title="Taking a break from modding"))
    later = timezone.now() + timedelta(minutes=5)
    signed_in(member).get(topics[0].get_absolute_url())  # read, then a reply since
    signed_in(member).get(topics[1].get_absolute_url())  # read, nothing since
    reply(topics[0], author=other_member, created_at=later, published_at=later)
    TopicFactory(category=tough, author=member, status=Status.HELD, title="My held question")
    services.search_index_rebuild()  # what the services do for each post (PostgreSQL only)
    return topics


def _suspend(person, moderator):
    return Suspension.objects.create(
        user=person,
        until=timezone.now() + timedelta(days=3),
        reason="Cooling off",
        created_by=moderator,
    )


def _rows(page: str) -> dict[str, str]:
    """Each topic row of a list page by its title."""
    return {_title(row): row for row in page.split("<tr")[1:] if _title(row)}


def _title(row: str) -> str:
    if 'class="topic-title"' not in row:
        return ""
    return row.split('class="topic-title"')[1].split(">")[1].split("<")[0]


LIST_URLS = [
    "/forums/",
    "/forums/latest/",
    "/forums/latest/?page=2",
    "/forums/unanswered/",
    "/forums/c/tough-calls/",
    "/forums/c/tough-calls/?page=banana",
    "/forums/search/",
    "/forums/search/?q=raid",
]


# --- Each reader's own page -------------------------------------------------------------------


def test_each_reader_sees_their_own_read_state_around_the_cached_rows(forum, member, other_member):
    latest = reverse("forums:latest")
    page_text(signed_in(other_member), latest)  # another reader fills the cache
    rows = _rows(page_text(signed_in(member), latest))
    assert "1 new" in rows["Raid night, case 0"]
    assert rows["Raid night, case 0"].startswith(' class="is-unread"')
    assert "badge-new" not in rows["Raid night, case 1"]
    assert '<span class="badge badge-new">new</span>' in rows["Raid night, case 2"]
    assert "1 new" not in page_text(signed_in(other_member), latest)


def test_a_category_shows_each_reader_their_own_standing(forum, member, other_member, moderator):
    """Starting a topic (or why not), the reader's own held topics there and their watch
    level."""
    tough = Category.objects.get(slug="tough-calls")
    url = tough.get_absolute_url()
    SubscriptionFactory(user=member, category=tough, level="muted")
    page = page_text(signed_in(member), url)
    assert "My held question" in page and "Your topics not shown to others" in page
    assert 'value="muted" id="id_level_2" required checked' in page
    assert 'name="csrfmiddlewaretoken" value="…"' in page
    _suspend(other_member, moderator)
    page = page_text(signed_in(other_member), url)
    assert "You are suspended from posting" in page and "Cooling off" in page
    assert "My held question" not in page and "Start a topic" not in page
    assert 'value="normal" id="id_level_1" required checked' in page


def test_a_staff_only_category_offers_moderators_the_start_link_and_members_not(member, moderator):
    Category.objects.create(name="Staff notes", slug="staff-notes", staff_only_posting=True)
    assert "Start a topic" in page_text(signed_in(moderator), "/forums/c/staff-notes/")
    page = page_text(signed_in(member), "/forums/c/staff-notes/")
    assert "Only staff post in Staff notes." in page and "Start a topic" not in page


def test_the_index_shows_moderators_the_queue_and_members_not(forum, member, moderator):
    assert "Review queue" in page_text(signed_in(moderator), "/forums/")
    assert "Review queue" not in page_text(signed_in(member), "/forums/")


@pytest.mark.parametrize("url", ["/forums/latest/", "/forums/unanswered/"])
def test_a_reader_who_muted_a_topic_does_not_see_it_and_others_do(url, forum, member, other_member):
    SubscriptionFactory(user=member, topic=forum[2], level="muted")
    page_text(signed_in(other_member), url)
    page = page_text(signed_in(member), url)
    assert "Raid night, case 2" not in page and "Raid night, case 3" in page
    assert "Raid night, case 2" in page_text(signed_in(other_member), url)


def test_search_shows_a_member_their_own_held_post_and_nobody_else(forum, member, other_member):
    reply(forum[3], author=member, body="My raid checklist, held", status=Status.HELD)
    services.search_index_rebuild()
    found = page_text(signed_in(other_member), "/forums/search/?q=raid")
    assert "<mark>Raid</mark> night, case 1" in found  # the title, its matched word marked
    assert "checklist, held" in page_text(signed_in(member), "/forums/search/?q=raid")
    assert "checklist, held" not in page_text(signed_in(other_member), "/forums/search/?q=raid")


def test_search_pages_link_on_with_the_words_and_bad_pages_are_still_pages(member):
    topic = TopicFactory(title="Banana raid night")
    for i in range(25):
        reply(topic, body=f"Banana story number {i}")
    services.search_index_rebuild()
    client = signed_in(member)
    assert 'href="?q=banana&amp;page=2"' in page_text(client, "/forums/search/?q=banana&utm=x")
    for url in (
        "/forums/search/?q=banana&page=zebra",
        "/forums/search/?page=2",
        "/forums/search/?q=b",
    ):
        page_text(client, url)


def test_a_search_without_words_is_never_an_error_whatever_else_the_address_holds(member):
    """No words is help (issue 16), with or without other parameters."""
    for url in ("/forums/search/?utm=x", "/forums/search/", "/forums/search/?q=&page=2"):
        page = page_text(signed_in(member), url)
        assert 'id="id_q_error"' not in page and "Type a word or two" in page


def test_an_unknown_category_is_not_found(client, member):
    client.force_login(member)
    assert client.get("/forums/c/no-such-place/").status_code == 404


def test_a_category_offers_the_start_link_again_once_a_suspension_is_lifted_or_over(
    client, member, moderator
):
    """The category page reads the reader's suspension with its own query; it must agree
    with ``Suspension.objects.active()``."""
    url = Category.objects.get(slug="tough-calls").get_absolute_url()
    client.force_login(member)
    suspension = _suspend(member, moderator)
    assert "Cooling off" in page_text(client, url)
    suspension.lift(by=moderator)
    suspension.save()
    assert "Start a topic" in page_text(client, url)
    Suspension.objects.filter(pk=suspension.pk).update(
        lifted_at=None, until=timezone.now() - timedelta(minutes=1)
    )
    assert "Start a topic" in page_text(client, url)


@pytest.mark.parametrize("url", LIST_URLS)
def test_visitors_get_the_rows_members_cached_and_no_cookie(url, client, forum, member):
    """No CSRF field is asked for where nobody signed out gets a form, so the anonymous page
    cache can keep these pages."""
    page_text(signed_in(member), url)
    first = client.get(url)
    assert first.status_code == 200 and not first.cookies
    assert client.get(url).content == first.content
    assert member.username not in first.content.decode()


# --- What a reader sees after another person's write ------------------------------------------


@pytest.fixture
def reader(forum, other_member):
    """A member who has the lists in front of them (and so in the cache)."""
    client = signed_in(other_member)
    for url in ("/forums/", "/forums/latest/", "/forums/unanswered/", "/forums/c/tough-calls/"):
        page_text(client, url)
    return client


def test_a_reply_shows_on_the_lists_the_reader_had(forum, reader, member):
    response = signed_in(member).post(
        reverse("forums:reply", kwargs={"pk": forum[3].pk}), {"body": "Pineapple raid advice"}
    )
    assert response.status_code == 302
    for url in ("/forums/latest/", "/forums/c/tough-calls/"):
        row = _rows(page_text(reader, url))["Raid night, case 3"]
        assert '<td data-label="Replies">1</td>' in row and "by " + member.username in row
    assert "Raid night, case 3" not in page_text(reader, "/forums/unanswered/")
    assert "raid advice" in page_text(reader, "/forums/search/?q=pineapple")


def test_a_new_topic_shows_on_the_index_and_its_category(reader, member):
    response = signed_in(member).post(
        reverse("forums:topic_create", kwargs={"slug": "tools-and-bots"}),
        {"title": "Shield mode checklist", "body": "What do you switch on first?"},
    )
    assert response.status_code == 302
    row = page_text(reader, "/forums/").split("Tools &amp; bots")[1].split("</tr>")[0]
    assert "Shield mode checklist" in row and '<td data-label="Topics">1</td>' in row
    assert "Shield mode checklist" in page_text(reader, "/forums/c/tools-and-bots/")
    assert "Shield mode checklist" in page_text(reader, "/forums/unanswered/")


def test_an_edited_title_shows_in_the_rows_and_on_the_index(forum, reader):
    topic = forum[4]  # the latest topic of Wellbeing
    opening = topic.posts.get(is_opening=True)
    services.post_edit(post=opening, editor=topic.author, body=opening.body, title="A long break")
    assert "A long break" in _rows(page_text(reader, "/forums/latest/"))
    index = page_text(reader, "/forums/").split("Wellbeing")[1].split("</tr>")[0]
    assert "A long break" in index and "Taking a break" not in index


def test_a_pin_shows_in_the_category(forum, reader, moderator):
    services.topic_moderate(topic=forum[2], moderator=moderator, action="pin")
    row = _rows(page_text(reader, "/forums/c/tough-calls/"))["Raid night, case 2"]
    assert '<span class="badge">pinned</span>' in row


def test_an_accepted_answer_marks_the_row_answered(forum, reader, member):
    answer = reply(forum[2], author=member)
    services.answer_accept(post=answer, actor=forum[2].author)
    row = _rows(page_text(reader, "/forums/latest/"))["Raid night, case 2"]
    assert "answered" in row


def test_a_hidden_topic_leaves_the_lists_and_the_count(forum, reader, moderator):
    opening = forum[3].posts.get(is_opening=True)
    services.post_hide(post=opening, moderator=moderator, reason="Off topic")
    assert "Raid night, case 3" not in page_text(reader, "/forums/latest/")
    assert "Raid night, case 3" not in page_text(reader, "/forums/c/tough-calls/")
    index = page_text(reader, "/forums/").split("Tough calls")[1].split("</tr>")[0]
    assert '<td data-label="Topics">3</td>' in index


def test_a_moved_topic_shows_in_its_new_category(forum, reader, moderator):
    wellbeing = Category.objects.get(slug="wellbeing")
    services.topic_move(topic=forum[1], moderator=moderator, category=wellbeing)
    assert "Raid night, case 1" in page_text(reader, "/forums/c/wellbeing/")
    assert "Raid night, case 1" not in page_text(reader, "/forums/c/tough-calls/")
    row = _rows(page_text(reader, "/forums/latest/"))["Raid night, case 1"]
    assert ">Wellbeing</a>" in row


def test_a_new_display_name_shows_in_the_rows(forum, reader):
    author = forum[2].author
    profile_update(
        profile=author.profile, display_name="Night Owl Mod", bio="", twitch_login="",
        roles=[], languages=[], timezone="UTC", hours_per_week=None, windows=[],
        channels_moderated=0, moderating_since=None, open_to_moderating=False, is_public=True,
    )  # fmt: skip
    row = _rows(page_text(reader, "/forums/latest/"))["Raid night, case 2"]
    assert "started by Night Owl Mod" in row


def test_a_category_renamed_by_staff_shows_on_the_index(reader, staff_user):
    tough = Category.objects.get(slug="tough-calls")
    tough.name = "Tough calls and hard cases"
    request = RequestFactory().post("/")
    request.user = staff_user
    CategoryAdmin(Category, admin_site).save_model(request, tough, form=None, change=True)
    assert "Tough calls and hard cases" in page_text(reader, "/forums/")
    row = _rows(page_text(reader, "/forums/latest/"))["Raid night, case 2"]
    assert "Tough calls and hard cases" in row


def test_a_report_shows_in_the_moderators_review_count(forum, member, moderator):
    reader = signed_in(moderator)
    assert "Review queue</a>: 0 waiting" in page_text(reader, "/forums/")
    post = reply(forum[4], body="Buy followers here")
    response = signed_in(member).post(
        reverse("forums:post_report", kwargs={"pk": post.pk}), {"reason": "spam"}
    )
    assert response.status_code == 302
    assert "Review queue</a>: 1 waiting" in page_text(reader, "/forums/")


def test_muting_and_watching_show_on_the_readers_own_next_page(forum, member):
    reader = signed_in(member)
    tough = Category.objects.get(slug="tough-calls")
    assert "Raid night, case 2" in page_text(reader, "/forums/latest/")
    reader.post(reverse("forums:topic_watch", kwargs={"pk": forum[2].pk}), {"level": "muted"})
    assert "Raid night, case 2" not in page_text(reader, "/forums/latest/")
    reader.post(
        reverse("forums:category_watch", kwargs={"slug": tough.slug}), {"level": "watching"}
    )
    page = page_text(reader, tough.get_absolute_url())
    assert 'value="watching" id="id_level_0" required checked' in page


# --- What stays cached --------------------------------------------------------------------------


def test_a_reply_re_renders_only_its_topics_row(forum, member, other_member):
    reader = signed_in(other_member)
    before = row_keys(reader.get("/forums/latest/"), show_category=True)
    index_before = category_row_keys(reader.get("/forums/"))
    services.post_create(author=member, topic=forum[0], body="One more thought")
    after = row_keys(reader.get("/forums/latest/"), show_category=True)
    assert [pk for pk in before if before[pk] != after[pk]] == [forum[0].pk]
    assert kept(after.values())
    index_after = category_row_keys(reader.get("/forums/"))
    changed = [slug for slug in index_before if index_before[slug] != index_after[slug]]
    assert changed == ["tough-calls"] and kept(index_after.values())


def test_reading_a_topic_changes_the_readers_mark_and_not_the_cached_row(forum, member):
    reader = signed_in(member)
    response = reader.get("/forums/c/tough-calls/")
    keys = row_keys(response, show_category=False)
    assert response.context["read_marks"][forum[2].pk].is_unread
    reader.get(forum[2].get_absolute_url())
    response = reader.get("/forums/c/tough-calls/")
    assert not response.context["read_marks"][forum[2].pk].is_unread
    assert row_keys(response, show_category=False) == keys and kept(keys.values())


def test_a_refused_reply_moves_no_version(forum, member, moderator):
    services.topic_moderate(topic=forum[2], moderator=moderator, action="lock")
    topic = Topic.objects.select_related("category").get(pk=forum[2].pk)
    versions = (topic.version, topic.category.version)
    response = signed_in(member).post(
        reverse("forums:reply", kwargs={"pk": forum[2].pk}), {"body": "Let me in"}
    )
    assert response.status_code == 403
    topic = Topic.objects.select_related("category").get(pk=forum[2].pk)
    assert (topic.version, topic.category.version) == versions


def test_a_topic_started_by_someone_new_is_listed_for_others_with_their_name(member):
    newcomer = SettledUserFactory(username="fresh_face")
    services.topic_create(
        author=newcomer,
        category=Category.objects.get(slug="wellbeing"),
        title="Hello from a new mod",
        body="Glad to be here.",
    )
    row = _rows(page_text(signed_in(member), "/forums/latest/"))["Hello from a new mod"]
    assert "started by fresh_face" in row
