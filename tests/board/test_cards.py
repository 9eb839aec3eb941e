"""Opening cards cached by their content (portal/board/cards.py): whatever changes on a card
shows on the very next page, and one reader's page warms the cache for the next."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from portal.accounts.models import Language
from portal.board import cards, services
from portal.board.models import Opening
from portal.core.schedule import parse_windows
from tests.board.conftest import set_availability
from tests.board.factories import OpeningFactory

pytestmark = pytest.mark.django_db


def board(client) -> str:
    return client.get(reverse("board:index")).content.decode()


def shown_cards(client) -> list:
    return client.get(reverse("board:index")).context["page"].object_list


def test_an_edited_opening_shows_its_new_title_at_once(client, opening):
    assert "Night-shift chat enforcer" in board(client)
    Opening.objects.filter(pk=opening.pk).update(title="Day-shift chat enforcer")
    page = board(client)
    assert "Day-shift chat enforcer" in page
    assert "Night-shift chat enforcer" not in page


def test_a_closed_opening_leaves_the_board_at_once(client, opening):
    assert "Night-shift chat enforcer" in board(client)
    services.opening_close(opening=opening)
    assert "Night-shift chat enforcer" not in board(client)


def test_a_renamed_channel_and_a_new_language_show_at_once(client, opening, channel):
    board(client)
    channel.name = "Dawn Chorus Radio"
    channel.save()
    opening.languages.add(Language.objects.get(code="fr"))
    page = board(client)
    assert "Dawn Chorus Radio" in page and "Night Owl Radio" not in page
    assert "<li>French</li>" in page


def test_the_owner_verifying_the_channel_shows_at_once(client, opening, streamer, channel):
    assert "verified channel" not in board(client)
    streamer.profile.twitch_login_verified = channel.twitch_login
    streamer.profile.save()
    assert "verified channel" in board(client)


def test_the_overlap_badge_is_per_reader_on_a_shared_card(client, moderator, other_moderator):
    OpeningFactory(schedule=[w.as_json() for w in parse_windows("Fri 20:00-23:00")])
    set_availability(moderator, "Fri 21:00-22:00")
    client.force_login(moderator)
    assert "Overlaps your availability" in board(client)
    client.force_login(other_moderator)
    assert "Overlaps your availability" not in board(client)
    client.logout()
    assert "Overlaps your availability" not in board(client)


def test_a_card_rendered_once_is_served_from_the_cache(client, opening):
    (card,) = shown_cards(client)
    key = cards.card_key(card)
    assert "Night-shift chat enforcer" in cache.get(key)
    # The cached HTML is what the next page shows, without rendering the card again.
    cache.set(key, "<article>from the cache</article>")
    assert "<li><article>from the cache</article></li>" in board(client)


def test_card_keys_change_with_anything_the_card_shows(client, opening):
    (card,) = shown_cards(client)
    assert cards.card_key(card) == cards.card_key(shown_cards(client)[0])
    opening.hours_per_week = 6
    opening.save()
    assert cards.card_key(shown_cards(client)[0]) != cards.card_key(card)
