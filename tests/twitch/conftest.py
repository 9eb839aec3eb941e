"""The stand-in Twitch (tests/twitch_stand_in.py), started for a test and pointed at by the
settings, and people connected to it."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from allauth.socialaccount.models import SocialAccount

from tests.factories import UserFactory
from tests.twitch_stand_in import StandInTwitch


def point_settings_at(settings, stand_in: StandInTwitch) -> None:
    for name, value in stand_in.settings().items():
        setattr(settings, name, value)
    settings.TWITCH_LOGIN_ENABLED = True
    settings.SOCIALACCOUNT_PROVIDERS = {
        "twitch": {
            "SCOPE": ["user:read:email"],
            "APPS": [{"client_id": stand_in.client_id, "secret": stand_in.client_secret}],
        }
    }


def running_stand_in(settings):
    """A started stand-in with the settings pointing at it, stopped afterwards (a fixture's
    body: ``yield from running_stand_in(settings)``)."""
    stand_in = StandInTwitch().start()
    point_settings_at(settings, stand_in)
    settings.TWITCH_TIMEOUT = 0.5
    yield stand_in
    stand_in.stop()


@pytest.fixture
def twitch(settings):
    yield from running_stand_in(settings)


def connected(twitch: StandInTwitch, twitch_id: str, login: str, **user_fields):
    """A Modhall member whose account is connected to a stand-in Twitch account."""
    user = UserFactory(**user_fields)
    twitch.add_user(twitch_id, login)
    SocialAccount.objects.create(
        user=user, provider="twitch", uid=twitch_id, extra_data={"id": twitch_id, "login": login}
    )
    return user


def channels_for(twitch: StandInTwitch, moderator_id: str, count: int, start: int = 5000):
    """``count`` channels on the stand-in, all moderated by ``moderator_id``."""
    ids = []
    for n in range(start, start + count):
        twitch.add_user(str(n), f"channel_{n}", f"Channel {n}")
        ids.append(str(n))
    twitch.make_moderator(moderator_id, *ids)
    return ids


def approve_on_twitch(client, twitch_address: str, *, decision: str = "authorize", account=""):
    """What the person does on Twitch's consent page: the stand-in's form, sent as a browser
    would; returns where Twitch sends them back (a path on Modhall, with its query)."""
    query = {k: v[0] for k, v in parse_qs(urlsplit(twitch_address).query).items()}
    answer = requests.post(
        twitch_address.split("?")[0],
        data={**query, "decision": decision, "account": account},
        allow_redirects=False,
        timeout=5,
    )
    assert answer.status_code == 302, answer.text
    back = urlsplit(answer.headers["Location"])
    return f"{back.path}?{back.query}"
