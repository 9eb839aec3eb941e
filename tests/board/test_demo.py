"""The board's demo data: loads, shows every state, and a second run adds nothing."""

import io

import pytest

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
