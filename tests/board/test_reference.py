"""The cached role and language lists the board reads (portal/board/reference.py): a change
to a role or a language shows on the next page, in every process."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from portal.accounts.models import Language, Role
from portal.board.reference import LANGUAGES_KEY, ROLES_KEY, reference
from tests.board.factories import OpeningFactory

pytestmark = pytest.mark.django_db


def board(client) -> str:
    return client.get(reverse("board:index")).content.decode()


def test_the_lists_are_read_once_then_come_from_the_cache(django_assert_num_queries):
    with django_assert_num_queries(2):
        first = reference()
    with django_assert_num_queries(0):
        again = reference()
    assert again.roles == first.roles and again.languages == first.languages
    assert [r.slug for r in first.roles][:1] == ["chat-enforcer"]  # the taxonomy's order


def test_renaming_a_language_shows_on_the_next_board_page(client, channel):
    spanish = Language.objects.get(code="es")
    OpeningFactory(channel=channel, languages=[spanish])
    assert "Spanish" in board(client)  # the lists are now cached
    spanish.name = "Español"
    spanish.save()
    page = board(client)
    assert '<option value="es">Español</option>' in page
    assert "<li>Español</li>" in page
    assert "Spanish" not in page


def test_a_new_or_removed_role_shows_on_the_next_board_page(client):
    board(client)
    role = Role.objects.create(slug="clip-curator", name="Clip Curator", description="d")
    assert '<option value="clip-curator">Clip Curator</option>' in board(client)
    role.delete()
    assert "Clip Curator" not in board(client)


def test_a_role_missing_from_the_cached_list_is_read_fresh(client, channel):
    board(client)
    # Written without signals, so the cached list does not know it yet.
    (role,) = Role.objects.bulk_create([Role(slug="raid-greeter", name="Raid Greeter", order=99)])
    OpeningFactory(channel=channel, roles=[role])
    assert '<span class="tag">Raid Greeter</span>' in board(client)
    roles, _version = cache.get(ROLES_KEY)
    assert any(r.slug == "raid-greeter" for r in roles)


def test_saving_reference_rows_drops_only_their_list():
    reference()
    Role.objects.get(slug="chat-enforcer").save()
    assert cache.get(ROLES_KEY) is None
    assert cache.get(LANGUAGES_KEY) is not None
