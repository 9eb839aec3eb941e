"""Logging in with Twitch records the verified login, which verifies channels."""

from types import SimpleNamespace

import pytest
from allauth.account.signals import user_logged_in
from allauth.socialaccount.signals import social_account_added
from django.test import RequestFactory

from portal.accounts.services import twitch_login_record
from portal.core.sessions import SessionStore
from tests.factories import ChannelFactory, UserFactory

pytestmark = pytest.mark.django_db


def fake_sociallogin(user, provider="twitch", login="Cozy_Streamer"):
    # Stands in for allauth's SocialLogin after Twitch's servers answered.
    account = SimpleNamespace(provider=provider, extra_data={"id": "123", "login": login})
    return SimpleNamespace(account=account, user=user)


def login_request(user):
    """The request allauth sends its login signal with: a browser's, with a session, signed in
    (allauth's user sessions note where the person signed in from it)."""
    request = RequestFactory().get("/", HTTP_USER_AGENT="Mozilla/5.0 Firefox/133.0")
    request.session = SessionStore()
    request.user = user
    return request


def test_a_twitch_login_verifies_the_matching_channel():
    owner = UserFactory()
    channel = ChannelFactory(owner=owner, twitch_login="cozy_streamer")
    assert not channel.is_verified
    user_logged_in.send(
        sender=type(owner),
        request=login_request(owner),
        user=owner,
        sociallogin=fake_sociallogin(owner),
    )
    owner.profile.refresh_from_db()
    assert owner.profile.twitch_login_verified == "cozy_streamer"
    channel.refresh_from_db()
    assert channel.is_verified


def test_connecting_twitch_later_records_it_too():
    person = UserFactory()
    social_account_added.send(sender=None, request=None, sociallogin=fake_sociallogin(person))
    person.profile.refresh_from_db()
    assert person.profile.twitch_login_verified == "cozy_streamer"


def test_other_providers_and_plain_logins_change_nothing():
    person = UserFactory()
    user_logged_in.send(sender=type(person), request=login_request(person), user=person)
    user_logged_in.send(
        sender=type(person),
        request=login_request(person),
        user=person,
        sociallogin=fake_sociallogin(person, provider="github"),
    )
    person.profile.refresh_from_db()
    assert person.profile.twitch_login_verified == ""


def test_a_typed_twitch_login_is_not_verification():
    owner = UserFactory()
    owner.profile.twitch_login = "cozy_streamer"
    owner.profile.save()
    assert not ChannelFactory(owner=owner, twitch_login="cozy_streamer").is_verified
    twitch_login_record(user=owner, login="someone_else")
    assert not ChannelFactory(owner=owner, twitch_login="third").is_verified


@pytest.mark.parametrize("address", ["/accounts/twitch/login/", "/accounts/twitch/login/callback/"])
def test_twitch_addresses_are_a_404_where_twitch_login_is_not_set_up(client, settings, address):
    assert not settings.TWITCH_LOGIN_ENABLED
    assert client.get(address).status_code == 404
    assert client.post(address).status_code == 404
