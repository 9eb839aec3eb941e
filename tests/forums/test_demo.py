"""Demo forums: loaded once, with something in every list and in the review queue."""

import random
from io import StringIO

import pytest

from portal.accounts import demo as accounts_demo
from portal.accounts.models import User
from portal.core.demo import DemoContext
from portal.forums import demo
from portal.forums.models import Flag, Post, Topic
from portal.forums.permissions import is_forum_moderator
from portal.forums.services import topic_stats_refresh

pytestmark = pytest.mark.django_db


def test_demo_forums_load_once_with_consistent_counts():
    out = StringIO()
    ctx = DemoContext(size="small", stdout=out, usable_passwords=False)
    accounts_demo.seed(ctx)
    ctx.rng = random.Random("forums-small")
    demo.seed(ctx)
    counts = (Topic.objects.count(), Post.objects.count())
    assert counts[0] == demo.FORUM_SIZES["small"]["topics"]
    assert Flag.objects.open().filter(kind="hold").count() == 2
    assert is_forum_moderator(User.objects.get(username="demo_staff"))
    # The counts stored in bulk are the ones the services would compute.
    for topic in Topic.objects.order_by("?")[:10]:
        stored = (topic.reply_count, topic.last_posted_at, topic.last_post_by_id)
        topic_stats_refresh(topic=topic)
        assert stored == (topic.reply_count, topic.last_posted_at, topic.last_post_by_id)
    demo.seed(ctx)
    assert "Demo forums: already there." in out.getvalue()
    assert counts == (Topic.objects.count(), Post.objects.count())
