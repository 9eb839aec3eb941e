"""The teams' demo data: demo_streamer's team with demo_mod on it, a weekly schedule and
sign-ups for each demo team, and a second run adds nothing."""

import io

import pytest

from portal.accounts import demo as accounts_demo
from portal.board import demo as board_demo
from portal.core.demo import DemoContext
from portal.teams import demo as teams_demo
from portal.teams.models import CoverSignup, Membership, StreamSlot

pytestmark = pytest.mark.django_db


def test_each_demo_team_gets_a_schedule_and_sign_ups_once():
    ctx = DemoContext(size="small", stdout=io.StringIO(), usable_passwords=False)
    accounts_demo.seed(ctx)
    board_demo.seed(ctx)
    teams_demo.seed(ctx)
    assert Membership.objects.filter(
        team__channel__owner__username="demo_streamer", user__username="demo_mod"
    ).exists()
    assert StreamSlot.objects.values("team").distinct().count() == teams_demo.TEAMS
    assert CoverSignup.objects.standing().exists()
    slots, signups = StreamSlot.objects.count(), CoverSignup.objects.count()
    teams_demo.seed(ctx)
    assert (StreamSlot.objects.count(), CoverSignup.objects.count()) == (slots, signups)
    assert "already there" in ctx.stdout.getvalue()


def test_each_demo_team_gets_an_open_offer_trial_end_dates_and_onboarding(tmp_path):
    from portal.teams.models import ChecklistItem, Level, Offer, Team, TrackAssignment
    from tests.guides.conftest import sync, write_small_library

    sync(write_small_library(tmp_path / "guides"))
    ctx = DemoContext(size="small", stdout=io.StringIO(), usable_passwords=False)
    accounts_demo.seed(ctx)
    board_demo.seed(ctx)
    teams_demo.seed(ctx)
    teams = Team.objects.count()
    assert Offer.objects.open().values("team").distinct().count() == teams
    assert Offer.objects.open().filter(user__username="demo_mod").exists()
    trials = Membership.objects.filter(level=Level.TRIAL)
    assert trials.exists() and not trials.filter(trial_ends_on__isnull=True).exists()
    assert ChecklistItem.objects.values("team").distinct().count() == teams
    assert TrackAssignment.objects.filter(membership__user__username="demo_mod").exists()
    counts = (Offer.objects.count(), ChecklistItem.objects.count())
    teams_demo.seed(ctx)
    assert (Offer.objects.count(), ChecklistItem.objects.count()) == counts
