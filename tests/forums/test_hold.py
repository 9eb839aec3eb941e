"""The hold-for-review filter: levels, wildcards, several-word terms, permitted terms overriding
blocked ones, the word list files, and what a held post looks like to each person."""

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.urls import reverse

from portal.forums import services
from portal.forums.hold import (
    HOLD_CATEGORY_KEYS,
    OVERALL_LEVEL_3,
    WORDLISTS_DIR,
    Rules,
    load_wordlists,
    parse_term,
    parse_wordlist,
    rules_for,
)
from portal.forums.models import Category, FilterTerm, Flag, Post, Status
from tests.forums.factories import FilterTermFactory, TopicFactory


def rules(levels=None, blocked=(), permitted=(), lists=None):
    return Rules(
        levels=levels or {},
        wordlists=lists or {},
        blocked=tuple(parse_term(t) for t in blocked),
        permitted=tuple(parse_term(t) for t in permitted),
    )


def test_a_blocked_word_holds_a_post_that_contains_it():
    assert rules(blocked=["zorblax"]).check("well ZORBLAX to you").held
    assert not rules(blocked=["zorblax"]).check("a zorblaxian is fine: whole words only").held


@pytest.mark.parametrize(
    ("term", "text", "held"),
    [
        ("grib*", "gribnox", True),  # a wildcard at the end: any word starting so
        ("grib*", "ungrib", False),
        ("*nox", "gribnox", True),  # at the start: any word ending so
        ("*nox", "noxious", False),
        ("*ibno*", "gribnoxes", True),  # at both ends: any word containing it
        ("*ibno*", "grib nox", False),
    ],
)
def test_wildcards_at_either_end(term, text, held):
    assert rules(blocked=[term]).check(text).held is held


def test_a_several_word_term_needs_all_its_words_in_any_order():
    several = rules(blocked=["plonkwit you"])
    assert several.check("You are such a plonkwit").held
    assert several.check("plonkwit. and you, too").held
    assert not several.check("what a plonkwit").held


def test_a_permitted_term_overrides_a_blocked_one():
    assert rules(blocked=["*crap*"]).check("my scrapbook of raids").held
    assert not rules(blocked=["*crap*"], permitted=["scrap*"]).check("my scrapbook").held


def test_a_permitted_word_does_not_excuse_the_other_words_of_the_post():
    both = rules(blocked=["*crap*"], permitted=["scrap*"])
    assert both.check("my scrapbook is crap").held


def test_permitted_terms_override_the_word_lists_too():
    lists = {"race": tuple(parse_wordlist("1 zorblax", category="race"))}
    assert rules({"race": 4}, lists=lists).check("zorblax").held
    assert not rules({"race": 4}, permitted=["zorblax"], lists=lists).check("zorblax").held


def test_a_word_list_term_holds_from_its_level_up():
    lists = {"race": tuple(parse_wordlist("3 gribnox*", category="race"))}
    assert [rules({"race": level}, lists=lists).check("gribnoxes").held for level in range(5)] == [
        False,
        False,
        False,
        True,
        True,
    ]


def test_level_zero_holds_nothing_and_each_category_has_its_own_level():
    lists = {
        "race": tuple(parse_wordlist("1 zorblax", category="race")),
        "swearing": tuple(parse_wordlist("1 frell*", category="swearing")),
    }
    levels = {"race": 2, "swearing": 0}
    assert rules(levels, lists=lists).check("zorblax").held
    assert not rules(levels, lists=lists).check("frelling bots").held


def test_the_reason_names_the_category_and_level_for_moderators():
    lists = {"aggression": tuple(parse_wordlist("2 vexfire", category="aggression"))}
    verdict = rules({"aggression": 3}, blocked=["zorblax"], lists=lists).check("vexfire zorblax")
    assert verdict.reasons == ["blocked term “zorblax”", "Aggression (level 2): “vexfire”"]


def test_matching_ignores_case_and_look_alike_forms():
    assert rules(blocked=["zorblax"]).check("ＺＯＲＢＬＡＸ").held  # full-width letters


@pytest.mark.parametrize("bad", ["", "zo*rb", "*", "a*", "zorb!"])
def test_a_badly_written_term_is_refused_with_a_reason(bad):
    with pytest.raises(ValidationError):
        parse_term(bad)


def test_a_word_list_line_without_a_level_is_a_configuration_error():
    with pytest.raises(ImproperlyConfigured, match="line 2"):
        parse_wordlist("1 fine\nzorblax", category="race", source="race.txt")


def test_a_word_list_file_named_after_no_category_is_an_error(tmp_path):
    (tmp_path / "slurs.txt").write_text("1 zorblax\n")
    with pytest.raises(ImproperlyConfigured, match="named after a category"):
        load_wordlists(tmp_path)


def test_the_shipped_word_lists_parse_and_cover_every_category():
    lists = load_wordlists(WORDLISTS_DIR)
    assert set(lists) == set(HOLD_CATEGORY_KEYS)
    assert lists["bullying"] and lists["swearing"]
    assert {path.stem for path in WORDLISTS_DIR.glob("*.txt")} == set(HOLD_CATEGORY_KEYS)


def test_seeded_categories_start_at_the_platforms_overall_level_3(db):
    tough_calls = Category.objects.get(slug="tough-calls")
    assert tough_calls.hold_levels == OVERALL_LEVEL_3
    assert OVERALL_LEVEL_3["bullying"] == 2 and OVERALL_LEVEL_3["swearing"] == 0


def test_staff_terms_in_the_database_block_permit_and_extend_the_lists(db):
    FilterTermFactory(text="snarfle*")
    FilterTermFactory(text="snarflebook", action=FilterTerm.Action.PERMIT)
    FilterTermFactory(text="wubbo", category="bullying", level=2)
    levels = Category.objects.get(slug="tough-calls").hold_levels  # bullying at 2
    assert rules_for(levels).check("snarfles everywhere").held
    assert not rules_for(levels).check("my snarflebook").held
    assert rules_for(levels).check("wubbo").held
    assert not rules_for(levels | {"bullying": 1}).check("wubbo").held


def test_a_permitted_term_with_a_category_is_refused(db):
    term = FilterTerm(text="zorblax", action=FilterTerm.Action.PERMIT, category="race")
    with pytest.raises(ValidationError):
        term.full_clean()


# --- Held posts on the site --------------------------------------------------------------------


@pytest.fixture
def blocked(db):
    return FilterTermFactory(text="zorblax")


def test_a_reply_with_a_blocked_term_is_held_and_queued(blocked, member):
    topic = TopicFactory()
    post = services.post_create(author=member, topic=topic, body="You zorblax.")
    assert post.status == Status.HELD and post.published_at is None
    flag = Flag.objects.get(post=post)
    assert flag.kind == Flag.Kind.HOLD and "zorblax" in flag.details
    topic.refresh_from_db()
    assert topic.reply_count == 0  # nobody else sees it, so it is not counted


def test_a_held_post_is_marked_for_its_author_and_invisible_to_everyone_else(
    client, blocked, member, other_member, moderator
):
    topic = TopicFactory()
    post = services.post_create(author=member, topic=topic, body="You zorblax.")
    client.force_login(member)
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "You zorblax." in page and "Awaiting review" in page
    for viewer in (None, other_member):
        client.logout()
        if viewer:
            client.force_login(viewer)
        assert "zorblax" not in client.get(topic.get_absolute_url()).content.decode()
        assert client.get(post.get_absolute_url()).status_code == 404
    client.force_login(moderator)
    assert "You zorblax." in client.get(topic.get_absolute_url()).content.decode()


def test_a_topic_whose_title_matches_is_held_whole(client, blocked, member, other_member):
    topic = services.topic_create(
        author=member,
        category=Category.objects.get(slug="tough-calls"),
        title="What a zorblax night",
        body="Long story.",
    )
    assert topic.status == Status.HELD
    client.force_login(other_member)
    assert client.get(topic.get_absolute_url()).status_code == 404
    assert topic.title not in client.get(reverse("forums:latest")).content.decode()
    assert topic.title not in client.get(topic.category.get_absolute_url()).content.decode()
    client.force_login(member)  # its author finds it on the category's page, marked
    page = client.get(topic.category.get_absolute_url()).content.decode()
    assert "Your topics not shown to others" in page and topic.title in page


def test_a_clean_post_edited_into_a_blocked_term_is_held_again(blocked, member):
    post = services.post_create(author=member, topic=TopicFactory(), body="All calm.")
    services.post_edit(post=post, editor=member, body="All calm, zorblax.")
    post.refresh_from_db()
    assert post.status == Status.HELD
    assert Flag.objects.open().filter(post=post).exists()


def test_forum_moderators_are_never_held(blocked, moderator):
    post = services.post_create(author=moderator, topic=TopicFactory(), body="zorblax is a term")
    assert post.status == Status.PUBLISHED


def test_a_persons_first_three_posts_with_links_are_held(member, moderator):
    topic = TopicFactory()
    for n in range(3):
        post = services.post_create(
            author=member, topic=topic, body=f"See https://example.com/{n} for the bot."
        )
        assert post.status == Status.HELD
        services.post_approve(post=post, moderator=moderator)
    fourth = services.post_create(author=member, topic=topic, body="And https://example.com/4")
    assert fourth.status == Status.PUBLISHED
    mention_only = services.post_create(author=member, topic=topic, body="Plain text, no links.")
    assert mention_only.status == Status.PUBLISHED


def test_a_mention_is_not_a_link(member, other_member):
    post = services.post_create(
        author=member, topic=TopicFactory(), body=f"Thanks @{other_member.username}!"
    )
    assert post.status == Status.PUBLISHED and not post.has_links
    assert f'href="/people/{other_member.username}/"' in post.body_html


def test_held_posts_are_left_out_of_counts_and_other_peoples_search(
    blocked, member, other_member, client
):
    topic = TopicFactory()
    services.post_create(author=member, topic=topic, body="zorblax")
    assert Post.objects.published().filter(topic=topic).count() == 1
    client.force_login(other_member)
    page = client.get(reverse("forums:search") + "?q=zorblax").content.decode()
    assert "Nothing matches" in page
    client.force_login(member)  # the author finds their own post, marked
    page = client.get(reverse("forums:search") + "?q=zorblax").content.decode()
    assert "awaiting review" in page


def test_a_held_reply_tells_its_author_why_and_what_happens_next(blocked, member, client):
    topic = TopicFactory()
    client.force_login(member)
    url = reverse("forums:reply", args=[topic.pk])
    page = client.post(url, {"body": "Well, zorblax."}, follow=True).content.decode()
    assert "Your reply is awaiting review by a forum moderator, because it uses words" in page
    assert "zorblax" not in page.split("awaiting review by a forum moderator")[1][:300]
    assert "tell you why not; you get a notification either way" in page


def test_a_held_first_post_with_a_link_says_new_members_links_are_read_first(member, client):
    client.force_login(member)
    page = client.post(
        reverse("forums:topic_create", kwargs={"slug": Category.objects.first().slug}),
        {"title": "My clip tool", "body": "See https://example.com/tool for it."},
        follow=True,
    ).content.decode()
    assert "Your topic is awaiting review by a forum moderator, because a member" in page
    assert f"first {services.FIRST_LINK_POSTS_HELD} posts with links" in page
