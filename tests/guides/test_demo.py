"""Demo data for the guides: the real library and some progress, loaded once."""

from __future__ import annotations

import random
from io import StringIO

import pytest

from portal.accounts import demo as accounts_demo
from portal.core.demo import DemoContext
from portal.guides import demo
from portal.guides.models import Badge, LessonFeedback, LessonProgress, Track

pytestmark = pytest.mark.django_db


def test_demo_loads_the_library_and_progress_once():
    out = StringIO()
    ctx = DemoContext(size="small", stdout=out, usable_passwords=False)
    accounts_demo.seed(ctx)
    ctx.rng = random.Random("guides-small")
    demo.seed(ctx)
    assert Track.objects.active().count() >= 8
    demo_mod = LessonProgress.objects.filter(user__username="demo_mod")
    assert demo_mod.exists() and all(p.lesson.track.slug == "start-here" for p in demo_mod)
    counts = (LessonProgress.objects.count(), Badge.objects.count(), LessonFeedback.objects.count())
    assert counts[0] > 40
    # Fresh demo progress never reads as "updated since you read it".
    assert not any(p.is_outdated(p.lesson) for p in LessonProgress.objects.select_related("lesson"))

    demo.seed(ctx)
    assert "Demo guide progress: already there." in out.getvalue()
    assert counts == (
        LessonProgress.objects.count(),
        Badge.objects.count(),
        LessonFeedback.objects.count(),
    )
