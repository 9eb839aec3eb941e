"""A number no integer column can hold, chosen in a form, is a form error, not a 500
(portal/core/lookups.py)."""

from __future__ import annotations

import pytest

from portal.accounts.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TOO_BIG = "99999999999999999999"


def test_in_ignores_numbers_no_row_can_have():
    chat_enforcer = Role.objects.get(slug="chat-enforcer")
    assert list(Role.objects.filter(pk__in=[int(TOO_BIG)])) == []
    assert list(Role.objects.filter(pk__in=[-int(TOO_BIG), chat_enforcer.pk])) == [chat_enforcer]


def test_an_impossible_role_on_the_profile_form_is_an_error_beside_the_field(client):
    person = UserFactory()
    client.force_login(person)
    response = client.post(
        "/account/profile/",
        {"timezone": "UTC", "channels_moderated": "0", "roles": [TOO_BIG], "languages": [TOO_BIG]},
    )
    assert response.status_code == 200
    assert f"Select a valid choice. {TOO_BIG} is not one of the available choices.".encode() in (
        response.content
    )
    assert not person.profile.roles.exists()
