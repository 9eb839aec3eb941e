"""The signed-in person is read from the cache on each request (portal/accounts/backends.py),
and every change to them reaches their sessions with the next request."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

PREFERENCES = "/email/settings/"


def _person_queries(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in queries if 'FROM "accounts_user"' in q["sql"]]


@pytest.mark.django_db
def test_a_signed_in_page_reads_the_person_from_the_cache(client, user):
    client.force_login(user)
    assert _person_queries(client, PREFERENCES), "the first request loads the person"
    assert not _person_queries(client, PREFERENCES)


@pytest.mark.django_db
def test_a_password_change_signs_other_sessions_out_at_once(client, user):
    client.force_login(user)
    assert client.get(PREFERENCES).status_code == 200  # the person is cached now

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
