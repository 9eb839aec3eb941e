"""A moderation history and waiting permissions in the person's export (never a secret) and
gone with their account (the token revoked on Twitch too)."""

from __future__ import annotations

import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from portal.core.personal_data import Leaving, registry
from portal.twitch.models import ModeratedChannel, ModerationHistory, TwitchGrant
from tests.twitch.conftest import connected

pytestmark = pytest.mark.django_db(transaction=True)


def kinds():
    return {kind.model: kind for kind in registry() if kind.model.startswith("twitch_api.")}


@pytest.fixture
def moderator(twitch):
    person = connected(twitch, "1001", "night_owl")
    history = ModerationHistory.objects.create(
        user=person, status="checked", checked_at=timezone.now(), channel_count=1
    )
    ModeratedChannel.objects.create(
        history=history, broadcaster_id="9", broadcaster_login="den", hidden=True
    )
    token = twitch._new_token("1001", ["user:read:moderated_channels"])
    TwitchGrant.objects.create(
        user=person,
        purpose="history",
        twitch_user_id="1001",
        redirect_uri="http://testserver/account/twitch/callback/",
        code="the-code",
        access_token=token["access_token"],
        refresh_token=token["refresh_token"],
    )
    return person


def test_the_export_holds_the_history_and_no_secret(moderator):
    exported = {model: kind.export(moderator) for model, kind in kinds().items()}
    history = exported["twitch_api.ModerationHistory"][0]
    assert history["channel_count"] == 1
    assert history["channels"] == [
        {"broadcaster_id": "9", "login": "den", "name": "", "hidden": True}
    ]
    text = json.dumps(exported, cls=DjangoJSONEncoder)
    grant = TwitchGrant.objects.get()
    for secret in (grant.code, grant.access_token, grant.refresh_token):
        assert secret not in text
    assert exported["twitch_api.TwitchGrant"][0]["for"] == "verify where I moderate"


def test_leaving_deletes_it_all_and_revokes_the_token(moderator, twitch):
    leaving = Leaving(user_id=moderator.pk, username=moderator.username)
    for kind in kinds().values():
        kind.erase(leaving)
        kind.erase(leaving)  # again: nothing left to do
    assert not ModerationHistory.objects.exists()
    assert not ModeratedChannel.objects.exists()
    assert not TwitchGrant.objects.exists()
    assert twitch.tokens == {}
