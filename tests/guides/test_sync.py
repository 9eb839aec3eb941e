"""sync_guides: loading the library, idempotence, retiring, and refusing a broken library."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from portal.guides.library import LibraryError, load_library
from portal.guides.models import Lesson, LessonProgress, Track
from tests.guides.conftest import BODY, question, sync, write_lesson, write_track

pytestmark = pytest.mark.django_db


def run_sync(path, *args) -> str:
    out = StringIO()
    call_command("sync_guides", "--path", str(path), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def database_state():
    return (
        list(Track.objects.order_by("slug").values()),
        list(Lesson.objects.order_by("uid").values()),
    )


def test_sync_loads_the_library_rendered_once(library_dir):
    output = run_sync(library_dir)
    assert "2 tracks, 4 lessons" in output and "4 lessons created" in output
    enforcer = Track.objects.select_related("role").get(slug="chat-enforcer")
    assert enforcer.role.slug == "chat-enforcer"
    assert Track.objects.get(slug="start-here").role is None
    assert enforcer.checklist[0]["text"] == "Read the rules."
    assert enforcer.questions[1]["correct"] == 1
    ladder = Lesson.objects.get(uid="chat-enforcer-warn-timeout-ban")
    assert (ladder.track, ladder.slug, ladder.position) == (enforcer, "warn-timeout-ban", 1)
    assert '<h2 id="why-it-matters">Why it matters</h2>' in ladder.body_html
    assert ladder.toc == [
        {"level": 2, "anchor": "why-it-matters", "title": "Why it matters"},
        {"level": 3, "anchor": "a-worked-scenario", "title": "A worked scenario"},
        {"level": 2, "anchor": "after-your-next-stream", "title": "After your next stream"},
    ]
    assert "<" not in ladder.body_text and "Moderation is warn-timeout-ban work" in ladder.body_text
    assert ladder.review_due == ladder.last_reviewed + timedelta(days=180)
    assert [item["text"] for item in ladder.checklist] == [
        "Find the timeout button.",
        "Write a moderator note.",
    ]


def test_a_second_run_changes_nothing_and_says_so(library_dir):
    run_sync(library_dir)
    before = database_state()
    output = run_sync(library_dir)
    assert "up to date: no changes (2 tracks, 4 lessons)" in output
    assert database_state() == before


def test_an_edited_lesson_is_updated_in_place(library_dir):
    run_sync(library_dir)
    ladder = Lesson.objects.get(uid="chat-enforcer-warn-timeout-ban")
    write_lesson(
        library_dir, "chat-enforcer", "01-warn-timeout-ban.md", title="The escalation ladder"
    )
    output = run_sync(library_dir)
    assert "1 lesson updated" in output and "chat-enforcer-warn-timeout-ban" in output
    ladder_after = Lesson.objects.get(uid="chat-enforcer-warn-timeout-ban")
    assert ladder_after.pk == ladder.pk and ladder_after.title == "The escalation ladder"


def test_a_removed_lesson_is_retired_and_its_progress_kept(library_dir, user):
    sync(library_dir)
    queue = Lesson.objects.get(uid="chat-enforcer-held-message-queue")
    LessonProgress.objects.create(user=user, lesson=queue, completed_at=timezone.now())
    (library_dir / "chat-enforcer" / "02-held-message-queue.md").unlink()
    report = sync(library_dir)
    assert report.lessons_retired == ["chat-enforcer-held-message-queue"]
    queue.refresh_from_db()
    assert queue.is_retired
    assert LessonProgress.objects.filter(user=user, lesson=queue).exists()
    assert not Lesson.objects.active().filter(pk=queue.pk).exists()

    # Put back, it returns with the same row and the same reader's progress.
    write_lesson(library_dir, "chat-enforcer", "02-held-message-queue.md", title="The held queue")
    sync(library_dir)
    queue.refresh_from_db()
    assert not queue.is_retired


def test_a_removed_track_is_retired(library_dir):
    sync(library_dir)
    for path in (library_dir / "start-here").iterdir():
        path.unlink()
    (library_dir / "start-here").rmdir()
    report = sync(library_dir)
    assert report.tracks_retired == ["start-here"]
    assert len(report.lessons_retired) == 2
    assert list(Track.objects.active().values_list("slug", flat=True)) == ["chat-enforcer"]


def test_a_lesson_moved_and_renamed_keeps_its_row_and_progress(library_dir, user):
    sync(library_dir)
    basics = Lesson.objects.get(uid="start-here-what-moderators-do")
    LessonProgress.objects.create(user=user, lesson=basics, completed_at=timezone.now())
    (library_dir / "start-here" / "01-what-moderators-do.md").rename(
        library_dir / "chat-enforcer" / "03-the-job.md"
    )
    sync(library_dir)
    basics.refresh_from_db()
    assert (basics.track.slug, basics.slug, basics.position) == ("chat-enforcer", "the-job", 3)
    assert LessonProgress.objects.get(user=user).lesson == basics


def test_two_lessons_can_trade_file_names(library_dir):
    sync(library_dir)
    folder = library_dir / "chat-enforcer"
    (folder / "01-warn-timeout-ban.md").rename(folder / "tmp.txt")
    (folder / "02-held-message-queue.md").rename(folder / "01-warn-timeout-ban.md")
    (folder / "tmp.txt").rename(folder / "02-held-message-queue.md")
    sync(library_dir)
    slugs = dict(Lesson.objects.filter(track__slug="chat-enforcer").values_list("uid", "slug"))
    assert slugs == {
        "chat-enforcer-warn-timeout-ban": "held-message-queue",
        "chat-enforcer-held-message-queue": "warn-timeout-ban",
    }


def test_a_substantial_rewrite_marks_the_lesson_changed_and_a_typo_fix_does_not(library_dir):
    first = timezone.now() - timedelta(days=30)
    sync(library_dir, now=first)
    long_body = BODY.format(word="steady") + "\n" + "Words about moderation. " * 100

    write_lesson(library_dir, "start-here", "01-what-moderators-do.md", body=long_body)
    report = sync(library_dir, now=first + timedelta(days=1))
    assert report.lessons_rewritten == ["start-here-what-moderators-do"]
    lesson = Lesson.objects.get(uid="start-here-what-moderators-do")
    assert lesson.content_changed_at == first + timedelta(days=1)

    typo_fixed = long_body.replace("Note what you did", "Note down what you did")
    write_lesson(library_dir, "start-here", "01-what-moderators-do.md", body=typo_fixed)
    report = sync(library_dir, now=first + timedelta(days=2))
    assert report.lessons_updated == ["start-here-what-moderators-do"]
    assert report.lessons_rewritten == []
    lesson.refresh_from_db()
    assert "Note down what you did" in lesson.body_text
    assert lesson.content_changed_at == first + timedelta(days=1)


def test_sync_never_touches_the_discussion_link(library_dir):
    sync(library_dir)
    Lesson.objects.filter(uid="start-here-channel-rules").update(discussion_url="/forums/t/1/")
    write_lesson(library_dir, "start-here", "02-channel-rules.md", title="Channel rules, again")
    sync(library_dir)
    assert Lesson.objects.get(uid="start-here-channel-rules").discussion_url == "/forums/t/1/"


BROKEN = {
    "bad front matter": (
        "chat-enforcer/03-broken.md",
        "---\nuid: [unclosed\n---\n\nText",
        "chat-enforcer/03-broken.md: the YAML cannot be read",
    ),
    "no front matter": (
        "chat-enforcer/03-broken.md",
        "## Just text\n",
        "chat-enforcer/03-broken.md: the file must start with front matter",
    ),
    "unknown role": (
        "chat-enforcer/track.yaml",
        "title: X\nrole: chat-wizard\norder: 1\nsummary: S\naudience: A\n",
        "chat-enforcer/track.yaml, line 2: “role: chat-wizard” is not a role we know",
    ),
    "duplicate uid": (
        "chat-enforcer/03-copy.md",
        "---\nuid: chat-enforcer-warn-timeout-ban\ntitle: T\nsummary: S\nminutes: 3\n"
        "last_reviewed: 2026-01-01\nreview_every_days: 90\n---\n\n## Hi\n\nText\n",
        "chat-enforcer/03-copy.md: uid “chat-enforcer-warn-timeout-ban” is already used by "
        "chat-enforcer/01-warn-timeout-ban.md",
    ),
    "impossible date": (
        "chat-enforcer/03-leap.md",
        "---\nuid: leap\ntitle: T\nsummary: S\nminutes: 3\nlast_reviewed: 2026-02-30\n"
        "review_every_days: 90\n---\n\n## Hi\n\nText\n",
        "chat-enforcer/03-leap.md, line 6: “last_reviewed” must be a real date written YYYY-MM-DD",
    ),
    "number that is not a number": (
        "chat-enforcer/03-slow.md",
        "---\nuid: slow\ntitle: T\nsummary: S\nminutes: ten\nlast_reviewed: 2026-01-01\n"
        "review_every_days: 90\n---\n\n## Hi\n\nText\n",
        "chat-enforcer/03-slow.md, line 5: “minutes” must be a whole number of at least 1",
    ),
    "question without a correct answer": (
        "chat-enforcer/03-quiz.md",
        "---\nuid: quiz\ntitle: T\nsummary: S\nminutes: 3\nlast_reviewed: 2026-01-01\n"
        "review_every_days: 90\nquestions:\n  - question: Q?\n    choices:\n      - text: A\n"
        "      - text: B\n    explanation: E\n---\n\n## Hi\n\nText\n",
        "chat-enforcer/03-quiz.md, line 9: question 1 needs exactly one choice with "
        "“correct: true” (none is)",
    ),
}


@pytest.mark.parametrize("case", BROKEN.values(), ids=BROKEN.keys())
def test_a_broken_file_stops_the_run_names_the_file_and_changes_nothing(library_dir, case):
    relative, text, expected = case
    run_sync(library_dir)
    # An edit that would be applied if the run went ahead: it must not be.
    write_lesson(library_dir, "start-here", "01-what-moderators-do.md", title="Changed title")
    before = database_state()
    (library_dir / relative).write_text(text, encoding="utf-8")
    with pytest.raises(CommandError) as error:
        run_sync(library_dir)
    assert expected in str(error.value)
    assert "Nothing was changed" in str(error.value)
    assert database_state() == before


def test_check_mode_validates_without_writing(library_dir):
    output = run_sync(library_dir, "--check")
    assert "valid: 2 tracks, 4 lessons" in output
    assert not Track.objects.exists()


def test_a_database_error_half_way_leaves_nothing_behind(library_dir, monkeypatch):
    """The write is one transaction: a failure after the tracks are written undoes them."""
    from portal.guides import sync as sync_module

    def explode(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(sync_module, "_lessons_sync", explode)
    with pytest.raises(RuntimeError):
        sync(library_dir)
    assert not Track.objects.exists()


def test_broken_internal_links_are_warned_about(library_dir):
    write_lesson(
        library_dir,
        "start-here",
        "03-links.md",
        body="## Links\n\nSee [nowhere](/guides/start-here/no-such-lesson/).\n",
    )
    library = load_library(library_dir)
    assert library.warnings == [
        "start-here/03-links.md: the link /guides/start-here/no-such-lesson/ goes to no lesson "
        "in the library."
    ]
    err = StringIO()
    call_command("sync_guides", "--path", str(library_dir), stdout=StringIO(), stderr=err)
    assert "no-such-lesson" in err.getvalue()


def test_every_problem_is_reported_at_once(library_dir):
    write_track(library_dir, "chat-enforcer", questions=[question(correct=7)])
    write_lesson(library_dir, "start-here", "03-x.md", minutes="five")
    with pytest.raises(LibraryError) as error:
        load_library(library_dir)
    paths = [problem.path for problem in error.value.problems]
    assert paths == ["chat-enforcer/track.yaml", "start-here/03-x.md"]


@pytest.mark.skipif(not settings.IS_POSTGRES, reason="search vectors exist on PostgreSQL only")
def test_sync_stores_search_vectors_on_postgres(library_dir):
    sync(library_dir)
    assert not Lesson.objects.filter(search_vector__isnull=True).exists()


def test_the_command_runs_as_a_process_and_exits_non_zero_on_a_broken_library(
    tmp_path, process_env
):
    """What the release step sees: a non-zero exit and the file named on stderr."""
    write_track(tmp_path, "chat-enforcer", role="nobody")
    result = subprocess.run(
        [sys.executable, "manage.py", "sync_guides", "--check", "--path", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        env=process_env,
        check=False,
    )
    assert result.returncode == 1
    assert "chat-enforcer/track.yaml" in result.stderr


def test_checking_the_library_needs_no_database(process_env):
    """A writer or a CI job checks the files where no database answers: the check reads
    them and says so, instead of failing on the unreachable database."""
    env = {**process_env, "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/no_such_database"}
    result = subprocess.run(
        [sys.executable, "manage.py", "sync_guides", "--check"],
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "The guide library is valid" in result.stdout
    assert "Nothing was written" in result.stdout


def test_questions_and_checklists_keep_inline_markdown_but_no_html(library_dir):
    write_lesson(
        library_dir,
        "start-here",
        "03-terms.md",
        checklist=["Add `scam*` to **blocked** terms."],
        questions=[
            {
                "question": "What does `scam*` catch? <script>alert(1)</script>",
                "choices": [{"text": "`scammer`", "correct": True}, {"text": "[x](javascript:1)"}],
                "explanation": "A `*` at the end matches any ending.",
            }
        ],
    )
    sync(library_dir)
    lesson = Lesson.objects.get(uid="start-here-terms")
    assert (
        lesson.checklist[0]["html"] == "Add <code>scam*</code> to <strong>blocked</strong> terms."
    )
    question = lesson.questions[0]
    assert question["question_html"].startswith("What does <code>scam*</code> catch?")
    assert "<script>" not in question["question_html"]
    assert question["choices_html"] == [
        "<code>scammer</code>",
        '<a rel="nofollow ugc noopener">x</a>',
    ]
    assert question["explanation_html"] == "A <code>*</code> at the end matches any ending."


def test_pages_show_a_synced_change_at_once(library_dir, client):
    """The index keeps the library's shape under its tracks' versions, which a sync moves."""
    run_sync(library_dir)
    ladder = Lesson.objects.get(uid="chat-enforcer-warn-timeout-ban")
    queue = Lesson.objects.get(uid="chat-enforcer-held-message-queue")
    index = client.get("/guides/").content.decode()  # the shape is cached now
    assert "Chat Enforcer · 2 lessons" in index
    assert ladder.title in client.get(queue.get_absolute_url()).content.decode()  # "previous"

    write_lesson(
        library_dir, "chat-enforcer", "01-warn-timeout-ban.md", title="The escalation ladder"
    )
    (library_dir / "chat-enforcer" / "02-held-message-queue.md").unlink()
    run_sync(library_dir)
    index = client.get("/guides/").content.decode()
    assert "Chat Enforcer · 1 lesson " in index
    lesson = client.get(ladder.get_absolute_url()).content.decode()
    assert "Lesson 1 of 1" in lesson


def test_a_lessons_reflection_prompt_is_loaded_from_its_front_matter(library_dir):
    write_lesson(
        library_dir,
        "chat-enforcer",
        "01-warn-timeout-ban.md",
        reflection="After your next stream, note one timeout you would now make shorter.",
    )
    run_sync(library_dir)
    ladder = Lesson.objects.get(uid="chat-enforcer-warn-timeout-ban")
    assert ladder.reflection.startswith("After your next stream, note one timeout")
    assert Lesson.objects.get(uid="start-here-what-moderators-do").reflection == ""


def test_an_empty_reflection_prompt_names_the_file(library_dir):
    write_lesson(library_dir, "chat-enforcer", "01-warn-timeout-ban.md", reflection="  ")
    with pytest.raises(CommandError) as raised:
        run_sync(library_dir)
    assert "01-warn-timeout-ban.md" in str(raised.value) and "reflection" in str(raised.value)
