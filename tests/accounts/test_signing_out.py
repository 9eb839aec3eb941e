"""Every change to a person (password, deactivation, deletion) reaches their sessions with the
next request: the person is read from the database on each signed-in request."""

from __future__ import annotations

import pytest
from django.urls import reverse

PREFERENCES = "/email/settings/"


@pytest.mark.django_db
def test_a_password_change_signs_other_sessions_out_at_once(client, user):
    client.force_login(user)
    assert client.get(PREFERENCES).status_code == 200

    user.set_password("a new long passphrase")
    user.save()

    response = client.get(PREFERENCES)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_a_deactivated_person_is_signed_out_at_once(client, user):
    client.force_login(user)
    assert client.get(PREFERENCES).status_code == 200

    user.is_active = False
    user.save()

    assert client.get(PREFERENCES).status_code == 302


@pytest.mark.django_db
def test_a_deleted_person_is_signed_out_at_once(client, user):
    client.force_login(user)
    assert client.get(PREFERENCES).status_code == 200

    user.delete()

    assert client.get(PREFERENCES).status_code == 302


@pytest.mark.django_db
def test_a_new_username_shows_in_the_header_at_once(client, user):
    client.force_login(user)
    client.get(PREFERENCES)

    user.username = "renamed_mod"
    user.save()

    assert ">renamed_mod</a>" in client.get(PREFERENCES).content.decode()


@pytest.mark.django_db
def test_a_person_deleted_in_bulk_is_signed_out_at_once(client, user):
    """The admin's "delete selected" deletes through a queryset, not User.delete()."""
    from portal.accounts.models import User

    client.force_login(user)
    assert client.get(PREFERENCES).status_code == 200

    User.objects.filter(pk=user.pk).delete()

    assert client.get(PREFERENCES).status_code == 302
