"""Search: full-text with ranking on PostgreSQL, a substring match on SQLite; either way only
what the reader may see, and never a way to inject markup through a snippet."""

import pytest
from django.conf import settings
from django.urls import reverse

from portal.forums import services
from portal.forums.models import Category, Status
from tests.forums.factories import TopicFactory, reply

pytestmark = pytest.mark.django_db
# A member's search on PostgreSQL: the person (1), forum moderator? (1, for what they may
# see), planning for the words (1, portal/core/plans.py), the candidates ranked (1), the
# page's posts with their topics, people and snippets (1). Search renders plainly: no cached
# part.
SEARCH_MEMBER = 5


def search(client, words):
    response = client.get(reverse("forums:search"), {"q": words})
    assert response.status_code == 200
    page = response.context["page"]
    return [post.pk for post in page.object_list] if page is not None else None


def test_search_finds_posts_and_topic_titles(client, member):
    topic = services.topic_create(
        author=member,
        category=Category.objects.get(slug="tools-and-bots"),
        title="Shield mode checklist",
        body="What do you switch on first?",
    )
    answer = services.post_create(
        author=member, topic=topic, body="Shield mode first, then follower-only chat."
    )
    opening = topic.posts.get(is_opening=True)
    found = search(client, "shield mode")
    assert set(found) == {opening.pk, answer.pk}
    assert search(client, "checklist") == [opening.pk]  # the title counts for the opening post


def test_search_leaves_out_what_the_reader_may_not_see(client, member, other_member, moderator):
    topic = TopicFactory()
    visible = reply(topic, body="Banana raid stories")
    held = reply(topic, author=member, body="Banana held story", status=Status.HELD)
    hidden = reply(topic, body="Banana hidden story", status=Status.HIDDEN)
    deleted = reply(topic, body="Banana deleted story", status=Status.DELETED)
    for post in (visible, held, hidden, deleted):
        services.post_search_index(post_ids=[post.pk])
    assert search(client, "banana") == [visible.pk]
    client.force_login(other_member)
    assert search(client, "banana") == [visible.pk]
    client.force_login(member)
    assert set(search(client, "banana")) == {visible.pk, held.pk}
    client.force_login(moderator)
    assert set(search(client, "banana")) == {visible.pk, held.pk, hidden.pk}


def test_a_snippet_shows_what_people_typed_as_text(client, member):
    services.post_create(
        author=member, topic=TopicFactory(), body="Filter `<img src=x onerror=alert(1)>` tags"
    )
    page = client.get(reverse("forums:search"), {"q": "filter tags"}).content.decode()
    assert "<img src=x" not in page and "&lt;img src=x" in page


@pytest.mark.parametrize("words", ["", "a", "  ", "?!", '""'])
def test_an_empty_or_too_short_search_gets_suggestions_not_an_error(client, words):
    popular = TopicFactory(title="Timeout or ban for a first-time backseater?")
    popular.reply_count = 12
    popular.save()
    hidden = TopicFactory(title="A hidden quarrel about bans", status=Status.HIDDEN)
    hidden.reply_count = 40
    hidden.save()
    response = client.get(reverse("forums:search"), {"q": words})
    page = response.content.decode()
    assert response.context["page"] is None
    assert "id_q_error" not in page and "errorlist" not in page
    assert "type a word or two" in page.lower()
    assert "Popular in the forums" in page and "first-time backseater" in page
    assert "hidden quarrel" not in page  # suggestions are published topics only


def test_a_search_that_finds_nothing_suggests_where_to_look(client):
    TopicFactory(title="Timeout or ban for a first-time backseater?")
    page = client.get(reverse("forums:search"), {"q": "zzyzx"}).content.decode()
    assert "Nothing matches “zzyzx”" in page
    assert "Popular in the forums" in page and "first-time backseater" in page


@pytest.mark.skipif(not settings.IS_POSTGRES, reason="ranking is PostgreSQL's full-text search")
def test_on_postgresql_a_title_match_ranks_above_a_passing_mention(client, member):
    tough = Category.objects.get(slug="tough-calls")
    passing = services.topic_create(
        author=member, category=tough, title="Busy night", body="Also, a word on lurkers."
    )
    about = services.topic_create(
        author=member, category=tough, title="Lurkers and regulars", body="How do you greet?"
    )
    found = search(client, "lurkers")
    assert found[0] == about.posts.get().pk
    assert passing.posts.get().pk in found
    # Stemming: "greeting" finds "greet".
    assert search(client, "greeting") == [about.posts.get().pk]


@pytest.mark.skipif(not settings.IS_POSTGRES, reason="the caps bound PostgreSQL's ranking")
def test_on_postgresql_a_common_word_ranks_a_bounded_set_newest_first(client, monkeypatch):
    """Bounds the work a common word costs: the newest matches among the newest posts, and a
    capped number of any age, are ranked; still visible ones only, and the page says so."""
    from portal.forums.selectors import search as search_selectors

    topic = TopicFactory()
    posts = [reply(topic, body=f"Banana story number {i}") for i in range(6)]
    hidden = reply(topic, body="Banana hidden story", status=Status.HIDDEN)
    services.post_search_index(post_ids=[p.pk for p in [*posts, hidden]])
    monkeypatch.setattr(search_selectors, "SEARCH_CANDIDATES", 2)
    monkeypatch.setattr(search_selectors, "ANY_AGE_CANDIDATES", 2)
    monkeypatch.setattr(search_selectors, "RECENT_WINDOW", 4)
    response = client.get(reverse("forums:search"), {"q": "banana"})
    found = {post.pk for post in response.context["page"].object_list}
    assert {p.pk for p in posts[-2:]} <= found  # the newest are always ranked
    assert len(found) <= 4 < len(posts)
    assert hidden.pk not in found
    assert "Many posts match" in response.content.decode()


@pytest.mark.skipif(not settings.IS_POSTGRES, reason="the caps bound PostgreSQL's ranking")
def test_on_postgresql_a_rare_word_is_found_however_old(client, monkeypatch):
    """The newest posts are only a window: a word none of them holds is still found in older
    posts, every match of it, and no cap is announced."""
    from portal.forums.selectors import search as search_selectors

    topic = TopicFactory()
    old = [reply(topic, body=f"Kumquat advice number {i}") for i in range(3)]
    newer = [reply(topic, body=f"Something else entirely {i}") for i in range(5)]
    services.post_search_index(post_ids=[p.pk for p in [*old, *newer]])
    monkeypatch.setattr(search_selectors, "RECENT_WINDOW", 4)
    response = client.get(reverse("forums:search"), {"q": "kumquat"})
    assert {post.pk for post in response.context["page"].object_list} == {p.pk for p in old}
    assert "Many posts match" not in response.content.decode()


@pytest.mark.skipif(not settings.IS_POSTGRES, reason="ranking is PostgreSQL's full-text search")
def test_on_postgresql_search_costs_the_same_whatever_the_matches(client, member, assert_queries):
    """Prevents an N+1 over results and a second pass over the matches for the count; the
    session and the header's count come from the cache."""
    client.force_login(member)
    topic = TopicFactory()
    for size in (3, 45):
        posts = [reply(topic, body=f"Banana story number {i}") for i in range(size)]
        services.post_search_index(post_ids=[p.pk for p in posts])
        client.get(reverse("forums:search"), {"q": "banana"})
        with assert_queries(SEARCH_MEMBER):
            client.get(reverse("forums:search"), {"q": "banana", "page": 2})


@pytest.mark.skipif(not settings.IS_POSTGRES, reason="generic plans are PostgreSQL's")
def test_on_postgresql_every_search_is_planned_for_its_own_words(client, member):
    """A prepared search statement must never settle on PostgreSQL's generic plan, which
    guesses the same number of matches for every word (15 times slower on large data for a
    common word). psycopg prepares a statement after its fifth run, and PostgreSQL considers a
    generic plan after five more, so twelve searches reach the point where it would."""
    from django.db import connection

    if not connection.settings_dict.get("OPTIONS", {}).get("server_side_binding"):
        pytest.skip("DATABASE_PREPARED_STATEMENTS=false: nothing is prepared")
    topic = TopicFactory()
    posts = [reply(topic, body=f"Banana timeout story {i}") for i in range(5)]
    services.post_search_index(post_ids=[p.pk for p in posts])
    for words in ["banana", "timeout", "story", "bananas", "timeouts", "stories"] * 2:
        assert search(client, words)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
            " WHERE statement LIKE %s",
            ["%search_vector%"],
        )
        plans = cursor.fetchall()
    assert plans, "the search statements were prepared"
    assert all(generic == 0 for generic, _ in plans), plans


@pytest.mark.skipif(not settings.IS_POSTGRES, reason="ranking is PostgreSQL's full-text search")
def test_on_postgresql_the_accepted_answer_ranks_above_an_equal_newer_reply(client):
    from datetime import timedelta

    from django.utils import timezone

    from portal.forums.models import Topic

    topic = TopicFactory(title="Raid etiquette")
    earlier = timezone.now() - timedelta(days=3)
    accepted = reply(topic, body="Shield mode first, then followers-only.", created_at=earlier)
    newer = reply(topic, body="Shield mode first, then followers-only.")
    Topic.objects.filter(pk=topic.pk).update(accepted_answer=accepted)
    services.post_search_index(post_ids=[accepted.pk, newer.pk])
    assert search(client, "shield mode") == [accepted.pk, newer.pk]


@pytest.mark.skipif(not settings.IS_POSTGRES, reason="ranking is PostgreSQL's full-text search")
def test_on_postgresql_a_recent_post_ranks_above_an_equal_old_one_even_if_written_first(client):
    """Recency is a share of the score, not only the tie-break: an old post whose words
    weigh a little more still yields to a recent one that matches as well."""
    from datetime import timedelta

    from django.utils import timezone

    topic = TopicFactory(title="Raid etiquette")
    old = reply(
        topic,
        body="Lurkers, lurkers: greet lurkers.",
        created_at=timezone.now() - timedelta(days=900),
    )
    recent = reply(topic, body="Lurkers: greet lurkers kindly.")
    services.post_search_index(post_ids=[old.pk, recent.pk])
    assert search(client, "lurkers") == [recent.pk, old.pk]


def test_the_written_out_search_refuses_a_visibility_rule_over_other_tables():
    """The ranked search splices visible_to's own condition into its statement, which names
    only posts and topics: a rule that came to need another table must stop the search
    rather than be applied to the wrong rows."""
    from portal.core.search import compiled_condition
    from portal.forums.models import Post, Topic

    tables = {Post._meta.db_table, Topic._meta.db_table}
    sql, params = compiled_condition(
        Post.objects.filter(topic__status=Status.PUBLISHED), tables=tables
    )
    assert Topic._meta.db_table in sql and params == [Status.PUBLISHED]
    with pytest.raises(ValueError, match="Expected a query over"):
        compiled_condition(Post.objects.filter(topic__category__slug="x"), tables=tables)
