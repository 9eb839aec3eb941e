"""A member gives themself a face, and the forum index tells them what is new.

Dana uploads a photo (with a GPS position in it) as her picture and sees it beside her reply;
Eli's new topic shows on the forum index as "1 unread" in its category for her, and the count
is gone once she has read it. Category colours, compact times and the initials of people
without a picture are on the same pages; axe-core checks every page the journey visits.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from portal.accounts.models import Profile
from tests.e2e.test_forums_journey import log_in, person
from tests.forums.factories import TopicFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def phone_photo(path) -> None:
    image = Image.new("RGB", (640, 480), (40, 120, 200))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}
    image.save(path, format="JPEG", exif=exif.tobytes())


def test_a_member_uploads_a_picture_and_reads_the_unread(browser, live_server, tmp_path):
    dana = person("dana_mod")
    eli = person("eli_mod")
    topic = TopicFactory(author=eli, title="Handing over between two stream slots")

    page = log_in(browser, live_server.url, "dana_mod")
    # The index: one unread topic in Tough calls, shown beside the category's name.
    page.goto("/forums/")
    row = page.locator("tr.category-row", has_text="Tough calls")
    assert row.locator(".category-unread").inner_text().startswith("1 unread")
    assert "category-colour-" in row.get_attribute("class")

    # Her picture: chosen, uploaded, shown on the page as it now is.
    page.goto("/account/picture/")
    photo = tmp_path / "me.jpg"
    phone_photo(photo)
    page.get_by_label("Picture").set_input_files(str(photo))
    page.get_by_role("button", name="Upload").click()
    assert page.get_by_text("Your picture is saved.").is_visible()
    kept = Profile.objects.get(user=dana).avatar.name
    with default_storage.open(kept, "rb") as stored, Image.open(io.BytesIO(stored.read())) as image:
        assert image.size == (128, 128) and not image.getexif()

    # Reading the topic: her reply carries her picture; Eli, without one, his initials.
    page.goto(topic.get_absolute_url())
    assert page.locator("article.post", has_text="eli_mod").locator(".avatar-initials").count()
    page.get_by_label("Your reply").fill("Write the handover in the mod channel, every time.")
    page.get_by_role("button", name="Post reply").click()
    mine = page.locator("article.post", has_text="Write the handover")
    mine.wait_for()
    assert mine.locator("img.avatar").get_attribute("src").endswith(kept)
    # Its time reads relative, with the full date on hover in the browser's own time (the
    # server wrote it in UTC, "(UTC)", for every reader alike).
    when = mine.locator("time").first
    assert re.fullmatch(r"just now|\d+ min", when.inner_text())
    title = when.get_attribute("title")
    assert str(datetime.now(UTC).year) in title and "(UTC)" not in title

    # Back on the index: read, so no count.
    page.goto("/forums/")
    row = page.locator("tr.category-row", has_text="Tough calls")
    assert row.locator(".category-unread").count() == 0
    assert row.locator("time").inner_text() in ("just now", "1 min")
