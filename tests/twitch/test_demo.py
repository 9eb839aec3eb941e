"""The demo data has verified moderation histories, shown where `make run` shows people, and
the demo accounts are connected to the stand-in Twitch's accounts by id."""

import io

import pytest
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse

from portal.accounts import demo as accounts_demo
from portal.board import demo as board_demo
from portal.core.demo import DemoContext
from portal.twitch import demo as twitch_demo
from portal.twitch.models import ModerationHistory

pytestmark = pytest.mark.django_db


def test_demo_moderators_have_verified_histories_once(client):
    ctx = DemoContext(size="small", stdout=io.StringIO(), usable_passwords=False)
    accounts_demo.seed(ctx)
    board_demo.seed(ctx)
    twitch_demo.seed(ctx)
    demo_mod = ModerationHistory.objects.get(user__username="demo_mod")
    assert demo_mod.is_verified and demo_mod.channel_count == 4
    assert ModerationHistory.objects.count() == 1 + twitch_demo.VERIFIED_PEOPLE
    assert SocialAccount.objects.get(user__username="demo_streamer").uid == "2001"
    page = client.get(reverse("accounts:profile", kwargs={"username": "demo_mod"}))
    assert "Verified moderator of 4 channels" in page.content.decode()
    assert "Verified moderator of" in client.get(reverse("board:moderators")).content.decode()
    twitch_demo.seed(ctx)
    assert ModerationHistory.objects.count() == 1 + twitch_demo.VERIFIED_PEOPLE
