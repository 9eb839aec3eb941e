"""Log in with Twitch, end to end against the stand-in: allauth's own flow, pointed at the
stand-in by TWITCH_AUTH_URL and TWITCH_API_URL, signs the person in and verifies their
channel."""

from __future__ import annotations

import pytest
from allauth.socialaccount.models import SocialAccount
from allauth.socialaccount.providers.twitch.views import TwitchOAuth2Adapter
from django.test import RequestFactory

from portal.accounts.models import User
from tests.factories import ChannelFactory, UserFactory
from tests.twitch.conftest import approve_on_twitch

pytestmark = pytest.mark.django_db


def log_in_with_twitch(client, twitch, account: str):
    answer = client.post("/accounts/twitch/login/")
    assert answer.status_code == 302
    assert answer["Location"].startswith(f"{twitch.url}/oauth2/authorize?")
    assert "scope=user%3Aread%3Aemail&" in answer["Location"]  # the login asks for no more
    return client.get(approve_on_twitch(client, answer["Location"], account=account))


def test_a_new_person_logs_in_with_twitch_and_their_channel_is_verified(client, twitch):
    twitch.add_user("2001", "Cozy_Streamer", "Cozy Streamer", email="cozy@example.com")
    answer = log_in_with_twitch(client, twitch, "2001")
    assert answer.status_code == 302
    person = User.objects.get(socialaccount__uid="2001")
    assert client.session["_auth_user_id"] == str(person.pk)
    assert person.profile.twitch_login_verified == "cozy_streamer"
    channel = ChannelFactory(owner=person, twitch_login="cozy_streamer")
    assert channel.is_verified
    # The login keeps no token (SOCIALACCOUNT_STORE_TOKENS is off).
    assert not SocialAccount.objects.get(uid="2001").socialtoken_set.exists()


def test_someone_with_a_connected_account_signs_in_to_it(client, twitch):
    person = UserFactory()
    SocialAccount.objects.create(user=person, provider="twitch", uid="2002", extra_data={})
    twitch.add_user("2002", "night_owl")
    log_in_with_twitch(client, twitch, "2002")
    assert client.session["_auth_user_id"] == str(person.pk)
    person.profile.refresh_from_db()
    assert person.profile.twitch_login_verified == "night_owl"


def test_saying_no_on_twitch_signs_nobody_in(client, twitch):
    twitch.add_user("2003", "shy")
    answer = client.post("/accounts/twitch/login/")
    page = client.get(approve_on_twitch(client, answer["Location"], decision="cancel"), follow=True)
    assert page.status_code == 200
    assert page.redirect_chain[-1][0] == "/accounts/3rdparty/login/cancelled/"
    assert "_auth_user_id" not in client.session
    assert not User.objects.exists()


def test_twitch_down_at_login_is_a_page_not_a_500(client, twitch):
    twitch.add_user("2004", "unlucky")
    twitch.fail("/oauth2/token", status=503)
    answer = client.post("/accounts/twitch/login/")
    page = client.get(approve_on_twitch(client, answer["Location"], account="2004"), follow=True)
    assert page.status_code == 401  # allauth's answer: the login did not happen
    assert "Logging in with Twitch did not work" in page.content.decode()
    assert "_auth_user_id" not in client.session


def test_allauth_talks_to_twitch_itself_by_default():
    adapter = TwitchOAuth2Adapter(RequestFactory().get("/"))
    assert adapter.authorize_url == "https://id.twitch.tv/oauth2/authorize"
    assert adapter.access_token_url == "https://id.twitch.tv/oauth2/token"
    assert adapter.profile_url == "https://api.twitch.tv/helix/users"


def test_the_sign_in_and_sign_up_pages_say_log_in_with_twitch(client, twitch):
    """The words README and the channel pages use; allauth's list said only "Twitch"."""
    for page in ("/accounts/login/", "/accounts/signup/"):
        html = client.get(page).content.decode()
        assert ">Log in with Twitch</a>" in html
        assert 'href="/accounts/twitch/login/?process=login"' in html
