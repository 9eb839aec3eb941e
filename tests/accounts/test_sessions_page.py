"""Where a person is signed in: each browser with its device, browser and when it was last
used, signed out one by one or all at once (allauth's user sessions)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from allauth.usersessions.models import UserSession
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
)
WINDOWS_FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
PAGE = reverse("usersessions_list")


def browser(user, user_agent: str, address: str = "198.51.100.4") -> Client:
    """A browser that signed in through allauth's login form."""
    client = Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=address)
    response = client.post(
        reverse("account_login"), {"login": user.username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    return client


def signed_in(client: Client) -> bool:
    return client.get(reverse("accounts:profile_edit")).status_code == 200


@pytest.fixture
def person(db):
    return UserFactory(username="night_owl_mod")


def test_the_page_names_each_device_and_browser_and_marks_this_one(person):
    phone = browser(person, IPHONE, "203.0.113.7")
    laptop = browser(person, WINDOWS_FIREFOX)
    page = laptop.get(PAGE).text
    assert "iPhone" in page and "Mobile Safari 17" in page and "203.0.113.7" in page
    assert "Windows computer" in page and "Firefox 133" in page
    assert page.count("This browser") == 1
    assert page.index("This browser") > page.index("Windows computer")
    assert "Last used" in page and "Sign out everywhere else" in page
    assert signed_in(phone)


def test_signing_out_one_session_signs_that_browser_out_only(person):
    phone = browser(person, IPHONE)
    tablet = browser(person, IPHONE.replace("iPhone;", "iPad;"))
    laptop = browser(person, WINDOWS_FIREFOX)
    phone_session = UserSession.objects.get(session_key=phone.session.session_key)

    response = laptop.post(
        reverse("accounts:session_sign_out", args=[phone_session.pk]), follow=True
    )
    assert response.redirect_chain == [(PAGE, 302)]
    page = response.text
    assert "That session is signed out." in page
    assert "<strong>iPhone</strong>" not in page and "<strong>iPad</strong>" in page
    assert not signed_in(phone)
    assert signed_in(tablet) and signed_in(laptop)


def test_signing_out_everywhere_else_keeps_this_browser(person):
    phone = browser(person, IPHONE)
    tablet = browser(person, IPHONE.replace("iPhone;", "iPad;"))
    laptop = browser(person, WINDOWS_FIREFOX)
    response = laptop.post(PAGE, follow=True)
    assert "Signed out of 2 other sessions." in response.text
    assert not signed_in(phone) and not signed_in(tablet)
    assert signed_in(laptop)


def test_nobody_can_sign_out_someone_elses_session(person):
    phone = browser(person, IPHONE)
    stranger = browser(UserFactory(), WINDOWS_FIREFOX)
    theirs = UserSession.objects.get(session_key=phone.session.session_key)
    response = stranger.post(reverse("accounts:session_sign_out", args=[theirs.pk]))
    assert response.status_code == 404
    assert signed_in(phone)
    assert "<strong>iPhone</strong>" not in stranger.get(PAGE).text


def test_a_session_signed_out_elsewhere_or_left_by_a_password_change_is_not_listed(person):
    phone = browser(person, IPHONE)
    laptop = browser(person, WINDOWS_FIREFOX)
    phone.post(reverse("account_logout"))
    assert "<strong>iPhone</strong>" not in laptop.get(PAGE).text

    tablet = browser(person, IPHONE.replace("iPhone;", "iPad;"))
    new = "a-new-long-passphrase-2026"
    laptop.post(
        reverse("account_change_password"),
        {"oldpassword": TEST_PASSWORD, "password1": new, "password2": new},
    )
    assert not signed_in(tablet)
    page = laptop.get(PAGE).text
    assert "<strong>iPad</strong>" not in page and "<strong>Windows computer</strong>" in page


def test_last_used_moves_now_and_then_not_on_every_page(person, settings):
    settings.SESSION_LAST_SEEN_EVERY = 600
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        phone = browser(person, IPHONE)
        row = UserSession.objects.get(session_key=phone.session.session_key)
        assert row.last_seen_at == start
        clock.shift(timedelta(minutes=5))
        phone.get(reverse("accounts:profile_edit"))
        row.refresh_from_db()
        assert row.last_seen_at == start  # within ten minutes: nothing written
        clock.shift(timedelta(minutes=6))
        phone.get(reverse("accounts:profile_edit"))
        row.refresh_from_db()
        assert row.last_seen_at == start + timedelta(minutes=11)


def test_the_account_pages_link_to_the_sessions_page(person):
    laptop = browser(person, WINDOWS_FIREFOX)
    for name in ("account_email", "account_change_password", "mfa_index"):
        page = laptop.get(reverse(name)).text
        assert f'href="{PAGE}"' in page, name


def test_the_sessions_page_costs_the_same_queries_for_two_sessions_or_twenty(
    person, assert_queries
):
    """Prevents an N+1 over sessions: the rows and their live sessions are read in one query
    each, however many browsers the person signed in from."""
    laptop = browser(person, WINDOWS_FIREFOX)
    browser(person, IPHONE)
    laptop.get(PAGE)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert laptop.get(PAGE).text.count("Sign out</button>") == 1
    count = len(small.captured_queries)
    for n in range(18):
        browser(person, IPHONE, f"203.0.113.{n + 10}")
    with assert_queries(count):
        assert laptop.get(PAGE).text.count("Sign out</button>") == 19


def test_a_visitor_is_sent_to_sign_in():
    response = Client().get(PAGE)
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
