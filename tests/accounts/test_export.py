"""Data exports: one zip of everything that is the person's (JSON plus their own Markdown),
built by a task with its progress on the page, downloadable by that person only, for a week."""

from __future__ import annotations

import io
import json
import time
import zipfile
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.accounts.leaving.exports import data_export_request, data_exports_purge
from portal.accounts.models import DataExport
from portal.accounts.tasks import purge_expired_exports

DATA_PAGE = reverse("accounts:data")
ASK = reverse("accounts:export_request")
# The person (their row holds the header's unread count) and their recent exports; the session
# comes from the cache.
QUERIES_ON_THE_DATA_PAGE = 2


def download(client, export: DataExport) -> zipfile.ZipFile:
    response = client.get(export.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="modhall-data-')
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def data_of(archive: zipfile.ZipFile, name: str) -> list[dict]:
    return json.loads(archive.read(f"data/{name}.json"))


def everything_in(archive: zipfile.ZipFile) -> str:
    return "\n".join(archive.read(name).decode() for name in archive.namelist())


@pytest.fixture
def archive(client, member, exports_dir, django_capture_on_commit_callbacks) -> zipfile.ZipFile:
    client.force_login(member.sam)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ASK, follow=True)
    assert "Your export is on its way" in response.text
    export = DataExport.objects.get(user=member.sam)
    assert export.status == DataExport.Status.READY  # tasks run inline here
    return download(client, export)


def test_an_export_holds_each_kind_of_the_persons_data(archive, member):
    profile = data_of(archive, "accounts-profile")[0]
    assert profile["display_name"] == "Sam Rivers"
    assert profile["email"] == "sam_rivers@example.com"
    assert data_of(archive, "accounts-availabilityslot") == [
        {"weekday": 0, "from": "18:00", "until": "22:00", "timezone": "Europe/Paris"}
    ]
    assert data_of(archive, "accounts-profile_roles")[0]["slug"] == "chat-enforcer"
    assert data_of(archive, "account-emailaddress")[0]["email"] == "sam_rivers@example.com"
    assert data_of(archive, "socialaccount-socialaccount")[0]["provider"] == "twitch"
    [progress] = data_of(archive, "guides-lessonprogress")
    assert progress["lesson__uid"] == member.lesson.uid and progress["completed_at"]
    [journal] = data_of(archive, "guides-journalentry")
    assert journal["body"] == "Next time I *warn* first."
    applications = data_of(archive, "board-application")
    assert {a["message"] for a in applications} == {
        "I am *Sam* and I moderate weekends.",
        "An older try by Sam.",
    }
    assert any(a["answers"][0]["answer"] == "Sam loves your chat." for a in applications)
    assert [o["title"] for o in data_of(archive, "board-opening")] == ["Night owl wanted"]
    assert [c["name"] for c in data_of(archive, "board-channel")] == ["Sam Plays"]
    bodies = {p["body"] for p in data_of(archive, "forums-post")}
    assert "Sam's answer: **slow mode**." in bodies
    assert [t["title"] for t in data_of(archive, "forums-topic")] == [member.topic.title]
    assert data_of(archive, "forums-reaction")[0]["kind"] == "helpful"
    [settings] = data_of(archive, "digests-emailpreferences")
    assert settings["email_forum_mentions"] is False


def test_the_persons_own_texts_come_as_markdown_files(archive, member):
    names = archive.namelist()
    journal = member.sam.journal_entries.get()
    assert archive.read(f"texts/guides-journalentry/{journal.pk}.md").decode() == (
        "Next time I *warn* first."
    )
    assert (
        archive.read(f"texts/forums-post/{member.sam_reply.pk}.md").decode()
        == "Sam's answer: **slow mode**."
    )
    assert archive.read("texts/accounts-profile/1.md").decode() == "I keep **cozy** chats kind."
    assert "README.txt" in names
    assert "Your journal: 1 in data/guides-journalentry.json" in archive.read("README.txt").decode()


def test_an_export_holds_nothing_of_anyone_elses(archive, member):
    text = everything_in(archive)
    for theirs in (
        "alex_other",
        "alex@example.com",
        "Alex here, pick me.",  # Alex's application to Sam's opening
        "Alex's own words.",  # the post Sam reacted to
        "Join us, Sam!",  # Alex's invitation message
        "Thanks @sam_rivers",  # Alex's post mentioning Sam
    ):
        assert theirs not in text


def test_the_page_shows_progress_and_reloads_itself_until_the_export_is_ready(
    client, member, exports_dir
):
    client.force_login(member.sam)
    export = DataExport.objects.create(
        user=member.sam,
        status=DataExport.Status.BUILDING,
        progress=40,
        step="Gathering your posts",
        expires_at=timezone.now() + timedelta(days=7),
    )
    page = client.get(DATA_PAGE).text
    assert '<meta http-equiv="refresh" content="3">' in page
    assert "Being built, 40% done · Gathering your posts" in page
    assert "disabled" in page  # no second export while one is built

    DataExport.objects.filter(pk=export.pk).update(status=DataExport.Status.READY, progress=100)
    page = client.get(DATA_PAGE).text
    assert 'http-equiv="refresh"' not in page
    assert f'href="{export.get_absolute_url()}">Download the zip' in page


def test_asking_twice_while_one_is_built_makes_one_export(member, exports_dir):
    # Outside a commit hook the task is not run: the first export stays queued.
    first = data_export_request(user=member.sam)
    second = data_export_request(user=member.sam)
    assert first.pk == second.pk
    assert DataExport.objects.filter(user=member.sam).count() == 1


def test_the_link_works_only_for_its_person(
    client, member, exports_dir, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        export = data_export_request(user=member.sam)
    client.force_login(member.alex)
    assert client.get(export.get_absolute_url()).status_code == 404
    client.logout()
    response = client.get(export.get_absolute_url())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(member.sam)
    assert client.get(export.get_absolute_url()).status_code == 200


def test_an_expired_export_is_deleted_by_the_hourly_job(
    client, member, exports_dir, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        export = data_export_request(user=member.sam)
    export.refresh_from_db()
    stored = exports_dir / export.file_name
    assert stored.exists()
    client.force_login(member.sam)

    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert client.get(export.get_absolute_url()).status_code == 404
    assert purge_expired_exports.delay().get() == 1
    assert not stored.exists()
    assert not DataExport.objects.exists()
    assert data_exports_purge() == 0


def test_the_hourly_job_is_on_the_beat_schedule():
    from portal.celery import app

    tasks = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert "portal.accounts.tasks.purge_expired_exports" in tasks
    assert "portal.accounts.tasks.queue_due_deletions" in tasks


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_builds_the_export(celery_worker, client, tmp_path, exports_dir):
    from tests.accounts.conftest import make_member

    member = make_member(tmp_path)
    client.force_login(member.sam)
    client.post(ASK)
    export = DataExport.objects.get(user=member.sam)
    deadline = time.monotonic() + 30
    while export.status != DataExport.Status.READY and time.monotonic() < deadline:
        time.sleep(0.2)
        export.refresh_from_db()
    assert export.status == DataExport.Status.READY
    archive = download(client, export)
    assert data_of(archive, "accounts-profile")[0]["display_name"] == "Sam Rivers"


@pytest.mark.parametrize("count", [1, 5, 40])
def test_the_data_page_costs_the_same_however_many_exports(client, member, assert_queries, count):
    """Prevents an N+1: the page reads the person's recent exports in one query."""
    DataExport.objects.bulk_create(
        DataExport(
            user=member.sam,
            status=DataExport.Status.READY,
            progress=100,
            file_name=f"x{n}.zip",
            finished_at=timezone.now(),
            expires_at=timezone.now() + timedelta(days=7),
        )
        for n in range(count)
    )
    client.force_login(member.sam)
    client.get(DATA_PAGE)  # the session and the person are cached by the first visit
    with assert_queries(QUERIES_ON_THE_DATA_PAGE):
        page = client.get(DATA_PAGE)
    assert page.text.count("Download the zip") == min(count, 5)
