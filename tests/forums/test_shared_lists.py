"""The forum's list pages (index, a category, latest, unanswered, search) are shared by readers
of one class and filled in per reader (portal/forums/lists.py): each reader's page is the same,
byte for byte, whether another reader built the shared part or it was built for them, and a
write shows to the next reader at once."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from portal.forums import services
from portal.forums.models import Category, Status, Suspension
from tests.forums.factories import SettledUserFactory, SubscriptionFactory, TopicFactory, reply
from tests.reader_pages import page_text, signed_in

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


LIST_URLS = [
    "/forums/",
    "/forums/latest/",
    "/forums/latest/?page=2",
    "/forums/unanswered/",
    "/forums/c/tough-calls/",
    "/forums/c/tough-calls/?page=banana",
    "/forums/search/",
]


@pytest.mark.parametrize("url", LIST_URLS)
def test_a_member_gets_the_part_another_member_built(url, forum, member, same_when_shared):
    warmer = SettledUserFactory()
    page = same_when_shared(url=url, reader=member, warmed_by=warmer)
    assert member.username in page and warmer.username not in page


def test_members_share_search_results_for_the_same_words(forum, other_member, same_when_shared):
    page = same_when_shared(
        url="/forums/search/?q=raid", reader=other_member, warmed_by=SettledUserFactory()
    )
    assert "Raid night, case 1" in page and "My held question" not in page


def test_each_reader_sees_their_own_read_state_in_a_shared_list(
    forum, member, other_member, same_when_shared
):
    latest = reverse("forums:latest")
    page = same_when_shared(url=latest, reader=member, warmed_by=other_member)
    rows = _rows(page)
    assert (
        "1 new" in rows["Raid night, case 0"] and 'class="is-unread"' in rows["Raid night, case 0"]
    )
    assert "badge-new" not in rows["Raid night, case 1"]
    assert '<span class="badge badge-new">new</span>' in rows["Raid night, case 2"]
    # The reader who built the part sees none of that as theirs.
    page = page_text(signed_in(other_member), latest)
    assert "1 new" not in page


def _rows(page: str) -> dict[str, str]:
    """Each topic row of a list page by its title."""
    return {_title(row): row for row in page.split("<tr")[1:] if _title(row)}


def _title(row: str) -> str:
    if 'class="topic-title"' not in row:
        return ""
    return row.split('class="topic-title"')[1].split(">")[1].split("<")[0]


def test_a_category_fills_in_each_readers_own_pieces(
    forum, member, other_member, moderator, same_when_shared
):
    """Starting a topic (or why not), the reader's own held topics there and their watch
    level are holes: a suspended member, a member with a held topic and a watcher all get the
    part another member built."""
    tough = Category.objects.get(slug="tough-calls")
    url = tough.get_absolute_url()
    SubscriptionFactory(user=member, category=tough, level="muted")
    page = same_when_shared(url=url, reader=member, warmed_by=other_member)
    assert "My held question" in page and "Your topics not shown to others" in page
    assert 'value="muted" id="id_level_2" required checked' in page
    assert 'name="csrfmiddlewaretoken" value="…"' in page
    _suspend(other_member, moderator)
    page = same_when_shared(url=url, reader=other_member, warmed_by=member)
    assert "You are suspended from posting" in page and "Cooling off" in page
    assert "My held question" not in page and "Start a topic" not in page
    assert 'value="normal" id="id_level_1" required checked' in page


def test_a_staff_only_category_offers_moderators_the_start_link_from_the_same_part(
    member, moderator, same_when_shared
):
    announcements = Category.objects.create(
        name="Staff notes", slug="staff-notes", staff_only_posting=True
    )
    url = announcements.get_absolute_url()
    page = same_when_shared(url=url, reader=moderator, warmed_by=member)
    assert "Start a topic" in page
    page = same_when_shared(url=url, reader=member, warmed_by=moderator)
    assert "Only staff post in Staff notes." in page and "Start a topic" not in page


@pytest.mark.parametrize("url", ["/forums/", "/forums/search/?q=raid"])
def test_a_forum_moderator_gets_a_part_of_their_own_class(
    url, forum, member, moderator, same_when_shared
):
    same_when_shared(url=url, reader=moderator, warmed_by=member, shared=False)
    another_moderator = SettledUserFactory()
    another_moderator.groups.add(*moderator.groups.all())
    same_when_shared(url=url, reader=moderator, warmed_by=another_moderator)


def test_the_index_shows_moderators_the_queue_and_members_not(forum, member, moderator):
    assert "Review queue" in page_text(signed_in(moderator), "/forums/")
    assert "Review queue" not in page_text(signed_in(member), "/forums/")


def test_moderators_share_the_latest_list_with_members(forum, member, moderator, same_when_shared):
    """Lists hold published topics only, for everyone."""
    same_when_shared(url="/forums/latest/", reader=moderator, warmed_by=member)


@pytest.mark.parametrize("url", ["/forums/latest/", "/forums/unanswered/"])
def test_a_reader_who_muted_something_gets_a_list_of_their_own(
    url, forum, member, other_member, same_when_shared
):
    SubscriptionFactory(user=member, topic=forum[2], level="muted")
    page = same_when_shared(url=url, reader=member, warmed_by=other_member, shared=False)
    assert "Raid night, case 2" not in page and "Raid night, case 3" in page
    assert "Raid night, case 2" in page_text(signed_in(other_member), url)


def test_a_member_with_a_held_post_of_their_own_gets_search_results_of_their_own(
    forum, member, other_member, same_when_shared
):
    reply(forum[3], author=member, body="My raid checklist, held", status=Status.HELD)
    services.search_index_rebuild()
    page = same_when_shared(
        url="/forums/search/?q=raid", reader=member, warmed_by=other_member, shared=False
    )
    assert "checklist, held" in page
    assert "checklist, held" not in page_text(signed_in(other_member), "/forums/search/?q=raid")


def test_search_pages_link_on_with_the_words_and_bad_pages_are_still_pages(
    member, other_member, same_when_shared
):
    topic = TopicFactory(title="Banana raid night")
    for i in range(25):
        reply(topic, body=f"Banana story number {i}")
    services.search_index_rebuild()
    page = same_when_shared(
        url="/forums/search/?q=banana&utm=x", reader=member, warmed_by=other_member
    )
    assert 'href="?q=banana&amp;page=2"' in page
    for url in (
        "/forums/search/?q=banana&page=zebra",
        "/forums/search/?page=2",
        "/forums/search/?q=b",
    ):
        same_when_shared(url=url, reader=member, warmed_by=other_member)


def test_an_unknown_category_is_not_found_with_the_cache_on(client, member, settings):
    settings.READER_PAGE_CACHE = True
    client.force_login(member)
    assert client.get("/forums/c/no-such-place/").status_code == 404
    assert client.get("/forums/c/no-such-place/").status_code == 404


# --- Writes show at once ---------------------------------------------------------------------


@pytest.fixture
def cache_on(settings):
    settings.READER_PAGE_CACHE = True
    cache.clear()


def test_a_reply_shows_at_once_on_the_lists_another_reader_had_cached(
    cache_on, forum, member, other_member
):
    topic = forum[3]
    reader = signed_in(other_member)
    for url in ("/forums/latest/", "/forums/c/tough-calls/", "/forums/search/?q=pineapple"):
        before = page_text(reader, url)
        assert "Pineapple" not in before
    writer = signed_in(member)
    response = writer.post(
        reverse("forums:reply", kwargs={"pk": topic.pk}), {"body": "Pineapple raid advice"}
    )
    assert response.status_code == 302
    for url in ("/forums/latest/", "/forums/c/tough-calls/"):
        row = _rows(page_text(reader, url))["Raid night, case 3"]
        assert "<td>1</td>" in row and "by " + member.username in row
    assert "raid advice" in page_text(reader, "/forums/search/?q=pineapple")


def test_a_new_topic_shows_at_once_on_the_index_and_its_category(cache_on, member, other_member):
    reader = signed_in(other_member)
    assert "Shield mode checklist" not in page_text(reader, "/forums/")
    assert "Shield mode checklist" not in page_text(reader, "/forums/c/tools-and-bots/")
    response = signed_in(member).post(
        reverse("forums:topic_create", kwargs={"slug": "tools-and-bots"}),
        {"title": "Shield mode checklist", "body": "What do you switch on first?"},
    )
    assert response.status_code == 302
    assert "Shield mode checklist" in page_text(reader, "/forums/")
    assert "Shield mode checklist" in page_text(reader, "/forums/c/tools-and-bots/")


def test_muting_and_watching_show_at_once(cache_on, forum, member):
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


def test_a_report_shows_at_once_in_the_moderators_review_count(cache_on, forum, member, moderator):
    reader = signed_in(moderator)
    assert "Review queue</a>: 0 waiting" in page_text(reader, "/forums/")
    post = reply(forum[4], body="Buy followers here")
    response = signed_in(member).post(
        reverse("forums:post_report", kwargs={"pk": post.pk}), {"reason": "spam"}
    )
    assert response.status_code == 302
    assert "Review queue</a>: 1 waiting" in page_text(reader, "/forums/")


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
def test_visitors_share_list_pages_too_and_get_no_cookie(url, client, forum, settings):
    """No CSRF field is asked for where nobody signed out gets a form, so the anonymous page
    cache can keep these pages."""
    settings.READER_PAGE_CACHE = True
    first = client.get(url)
    assert first.status_code == 200 and not first.cookies
    assert client.get(url).content == first.content


def test_an_empty_search_form_is_not_mistaken_for_a_search_without_words(
    member, other_member, settings
):
    """Any parameter makes the form a search (and no words an error beside the field): the
    two pages are kept apart."""
    settings.READER_PAGE_CACHE = True
    assert 'id="id_q_error"' in page_text(signed_in(other_member), "/forums/search/?utm=x")
    assert 'id="id_q_error"' not in page_text(signed_in(member), "/forums/search/")


@pytest.mark.parametrize("url", ["/forums/latest/", "/forums/c/tough-calls/"])
def test_spellings_of_a_page_number_share_one_part(url, forum, member, cache_on, shared_parts):
    """``page=01`` or ``page=x`` must not each store a copy of page 1 (nor ``-1`` and ``0``
    each a copy of the last page)."""
    client = signed_in(member)
    page_text(client, f"{url}?page=1")
    page_text(client, f"{url}?page=0")
    spy = shared_parts()
    for spelling in ("01", "x", "", "1.5"):
        page_text(client, f"{url}?page={spelling}")
    page_text(client, f"{url}?page=-3")
    assert spy.hits == [True] * 5
