"""Reading a topic that is alive: a moderator reacts to an answer, watches the topic, quotes the
answer into the reply box, previews their reply, posts it, and learns of a new reply without
reloading.

With JavaScript, htmx does each of these in place: the page is never reloaded until the reply
is posted (a mark left on the window survives). With JavaScript off, the same steps are links
and forms that lead through the reply page and back, and still work. A forum moderator's
review queue decides its items in place the same way (test_forums_journey.py decides one with
JavaScript off).
"""

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from portal.forums import services
from portal.forums.models import Category, FilterTerm, Post
from portal.forums.permissions import FORUM_MODERATORS
from tests.e2e.test_forums_journey import log_in, person
from tests.factories import give_second_factor

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no JavaScript"])
def test_a_reader_reacts_watches_quotes_previews_and_hears_of_new_replies(
    browser, live_server, javascript
):
    person("ash_mod")
    bea, cal = person("bea_mod"), person("cal_mod")
    topic = services.topic_create(
        author=bea,
        category=Category.objects.get(slug="tough-calls"),
        title="Raid during a charity stream: lock chat or not?",
        body="Chat went wild and the streamer was **mid-donation**.",
    )
    services.post_create(author=cal, topic=topic, body="Follower-only for ten minutes.")

    ash = log_in(browser, live_server.url, "ash_mod", javascript=javascript)
    # Nothing htmx does may break the page's rules (its content security policy forbids
    # inline styles and scripts, and eval): any such refusal is an error in the console.
    errors = []
    ash.on("console", lambda message: message.type == "error" and errors.append(message.text))
    ash.on("pageerror", lambda error: errors.append(str(error)))
    if javascript:
        ash.clock.install()  # the new-replies check runs every 30 s: the test moves time on
    ash.goto(topic.get_absolute_url())
    if javascript:
        ash.evaluate("window.sameVisit = true")  # gone if the page is loaded again
    answer = ash.locator("article.post", has_text="Follower-only for ten minutes")

    # A reaction: the button is pressed, its count goes up, and (with htmx) focus stays on it.
    answer.get_by_role("button", name=re.compile("^Thanks")).click()
    thanks = ash.locator("article.post", has_text="Follower-only").get_by_role(
        "button", name=re.compile("^Thanks")
    )
    expect(thanks).to_have_attribute("aria-pressed", "true")
    expect(thanks.locator(".reaction-count")).to_have_text("1")
    if javascript:
        expect(thanks).to_be_focused()

    # Watching the topic.
    ash.get_by_label("Watch: notify me of every new post").check()
    ash.get_by_role("button", name="Save notification setting").click()
    expect(
        ash.get_by_text(re.compile("Your notification setting (for this topic )?is saved"))
    ).to_be_visible()
    expect(ash.get_by_label("Watch: notify me of every new post")).to_be_checked()

    # Quoting the answer into the reply box: with htmx, under what was already typed.
    reply_box = ash.get_by_label("Your reply")
    if javascript:
        reply_box.fill("Agreed, and then:")
    ash.locator("article.post", has_text="Follower-only").get_by_role("link", name="Quote").click()
    reply_box = ash.get_by_label("Your reply")
    quoted = r"> @cal_mod \[wrote\]\(/forums/p/\d+/\):\n>\n> Follower-only for ten minutes\."
    if javascript:
        expect(reply_box).to_have_value(re.compile(r"^Agreed, and then:\n\n" + quoted))
        expect(reply_box).to_be_focused()
    else:
        ash.wait_for_url(re.compile(r"/forums/t/\d+/-/reply/\?quote=\d+$"))
        expect(reply_box).to_have_value(re.compile("^" + quoted))
    reply_box.fill(reply_box.input_value() + "Tidy up afterwards, **kindly**.")

    # A preview: rendered as it will be posted, and nothing posted yet.
    ash.get_by_role("button", name="Preview").click()
    preview = ash.get_by_role("region", name="Preview")
    expect(preview.locator("blockquote")).to_contain_text("Follower-only for ten minutes")
    expect(preview.locator("strong")).to_have_text("kindly")
    assert Post.objects.filter(topic=topic).count() == 2
    expect(ash.get_by_label("Your reply")).to_have_value(re.compile(r"\*\*kindly\*\*\.$"))
    if javascript:
        assert ash.evaluate("window.sameVisit") is True  # everything so far, in place

    ash.get_by_role("button", name="Post reply").click()
    mine = ash.locator("article.post", has_text="Tidy up afterwards")
    expect(mine).to_be_visible()
    expect(mine.locator("blockquote")).to_contain_text("Follower-only for ten minutes")

    # Bea answers meanwhile.
    services.post_create(author=bea, topic=topic, body="Thank you both, that worked.")
    if javascript:
        ash.clock.run_for(31_000)
        expect(ash.locator("#new-replies")).to_have_text("1 new reply: show")
        ash.locator("#new-replies").get_by_role("link", name="show").click()
    else:
        # Without JavaScript nothing is announced; the next visit shows it as new.
        expect(ash.locator("#new-replies")).to_have_text("")
        ash.reload()
    expect(ash.locator("article.post", has_text="Thank you both, that worked.")).to_be_visible()
    assert errors == []
    ash.context.close()


def test_a_forum_moderator_decides_a_queue_item_in_place(browser, live_server):
    give_second_factor(person("cal_forum_mod")).groups.add(Group.objects.get(name=FORUM_MODERATORS))
    FilterTerm.objects.create(text="zorblax", note="A fictional insult, for this test.")
    bea = person("bea_mod")
    topic = services.topic_create(
        author=bea,
        category=Category.objects.get(slug="tough-calls"),
        title="Raid during a charity stream: lock chat or not?",
        body="Chat went wild and the streamer was **mid-donation**.",
    )
    held = services.post_create(author=bea, topic=topic, body="The raiders were total zorblax.")
    held_too = services.post_create(author=bea, topic=topic, body="Honestly, zorblax, all of them.")
    assert not held.is_published and not held_too.is_published

    cal = log_in(browser, live_server.url, "cal_forum_mod", second_factor=True)
    cal.goto("/forums/moderation/queue/")
    cal.evaluate("window.sameVisit = true")
    item = cal.locator("article.queue-item", has_text="total zorblax")
    item.get_by_role("button", name="Approve").click()
    done = item.get_by_text("Approved: the post is published.")
    expect(done).to_be_visible()
    expect(done).to_be_focused()  # the buttons are gone: focus is on what happened
    expect(item.get_by_role("button")).to_have_count(0)

    # Denying needs a reason; the other item is still there to decide.
    other = cal.locator("article.queue-item", has_text="all of them")
    other.get_by_label("Reason (the author sees it)").fill("Name-calling, even of raiders.")
    other.get_by_role("button", name="Deny").click()
    expect(other.get_by_text("Denied: the post stays hidden")).to_be_visible()
    assert cal.evaluate("window.sameVisit") is True
    cal.reload()
    expect(cal.get_by_text("Nothing waiting")).to_be_visible()
    cal.context.close()
