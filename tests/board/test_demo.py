"""The board's demo data: loads, shows every state, and a second run adds nothing."""

import io

import pytest
from django.utils import timezone

from portal.accounts import demo as accounts_demo
from portal.board import demo as board_demo
from portal.board.models import Application, Channel, Opening, OpeningStatus
from portal.core.demo import DemoContext

pytestmark = pytest.mark.django_db


def test_small_demo_data_loads_once_with_something_to_review():
    ctx = DemoContext(size="small", stdout=io.StringIO(), usable_passwords=False)
    accounts_demo.seed(ctx)
    board_demo.seed(ctx)
    assert Channel.objects.count() == 8
    assert Opening.objects.count() == board_demo.BOARD_SIZES["small"]["openings"]
    assert Opening.objects.visible().exists()
    assert Application.objects.count() > 50
    first = Opening.objects.filter(channel__owner__username="demo_streamer").first()
    assert first.status == OpeningStatus.OPEN and first.applications.exists()
    assert Application.objects.filter(applicant__username="demo_mod").exists()
    # Every application's history ends in its status.
    for application in Application.objects.prefetch_related("events")[:20]:
        assert list(application.events.all())[-1].to_status == application.status

    board_demo.seed(ctx)
    assert Opening.objects.count() == board_demo.BOARD_SIZES["small"]["openings"]
    assert "already there" in ctx.stdout.getvalue()


def test_the_demo_tells_one_story_about_dates_and_names():
    """An application's page says when it was sent and lists its history: the two agree,
    the history is in order, after the opening was published and none of it in the future;
    and an opening's title does not repeat the channel's name shown beside it."""
    ctx = DemoContext(size="small", stdout=io.StringIO(), usable_passwords=False)
    accounts_demo.seed(ctx)
    board_demo.seed(ctx)
    now = timezone.now()
    for application in Application.objects.select_related("opening").prefetch_related("events"):
        times = [event.created_at for event in application.events.all()]
        assert times == sorted(times) and times[-1] <= now
        assert application.created_at == times[0] and application.updated_at == times[-1]
        assert times[0] >= application.opening.published_at
        if application.opening.status == OpeningStatus.EXPIRED:
            assert times[0] <= application.opening.expires_at
    for opening in Opening.objects.select_related("channel"):
        assert opening.channel.name not in opening.title
        if opening.published_at:
            assert opening.published_at <= opening.expires_at
