"""Knowledge checks (a reader's last attempt and what it explains, and the paper of their
next), the track's check page, and the badges and certificates that completing a track earns."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property

from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.urls import reverse
from django.utils.safestring import SafeString

from portal.accounts.models import User
from portal.guides.library import stored_html
from portal.guides.models import Badge, CheckAttempt, Lesson, Track, TrackProgress
from portal.guides.papers import CheckPaper, check_paper
from portal.guides.selectors import own
from portal.guides.selectors.tracks import track_get


def next_paper(
    *, user: User | AnonymousUser, track: Track, lesson: Lesson | None, latest: CheckAttempt | None
) -> CheckPaper:
    """The paper a reader's next attempt answers: the one after their ``latest`` attempt."""
    person = user.pk if user.is_authenticated else None
    number = latest.number + 1 if latest is not None else 1
    return check_paper(person=person, track=track, lesson=lesson, number=number)


@dataclass(frozen=True)
class Reread:
    """Where a reader who missed a question learns its point: a lesson (or the track)."""

    title: str
    url: str


@dataclass(frozen=True)
class ResultItem:
    question: SafeString
    is_correct: bool
    reread: Reread
    # The texts that would give answers away: filled only once the check is passed, so a
    # failed attempt's page cannot show them whatever the template does.
    answer: SafeString | None = None
    correct_answer: SafeString | None = None
    explanation: SafeString | None = None


@dataclass(frozen=True)
class CheckResults:
    """A reader's last attempt, question by question. A failed attempt says which questions
    were missed and which lesson to re-read for each, never the right answers (issue 15: a
    retry would otherwise be a copy); a passed one explains every answer."""

    attempt: CheckAttempt
    items: list[ResultItem]

    @property
    def passed(self) -> bool:
        return self.attempt.passed

    @property
    def missed(self) -> list[ResultItem]:
        return [item for item in self.items if not item.is_correct]


def _reread(track: Track, lesson: Lesson | None, question: dict) -> Reread:
    if lesson is not None:  # a lesson's own check: that lesson
        return Reread(title=lesson.title, url=lesson.get_absolute_url())
    if question.get("lesson"):  # a track question names the lesson that teaches it
        url = reverse(
            "guides:lesson", kwargs={"track_slug": track.slug, "lesson_slug": question["lesson"]}
        )
        return Reread(title=question["lesson_title"], url=url)
    return Reread(title=track.title, url=track.get_absolute_url())


def check_results(
    *, track: Track, lesson: Lesson | None, attempt: CheckAttempt | None
) -> CheckResults | None:
    """The reader's ``attempt`` at the lesson's check (the track's when ``lesson`` is None);
    None when there is no attempt, or it answered questions that have since changed."""
    owner = lesson if lesson is not None else track
    if attempt is None or attempt.questions_hash != owner.questions_hash:
        return None
    by_key = {question["key"]: question for question in owner.questions}
    if not attempt.question_keys or any(key not in by_key for key in attempt.question_keys):
        return None  # from before questions had keys; never show a wrong result
    items = []
    for key, answer in zip(attempt.question_keys, attempt.answers, strict=False):
        question = by_key[key]
        is_correct = answer == question["correct"]
        item = ResultItem(
            question=stored_html(question["question_html"]),
            is_correct=is_correct,
            reread=_reread(track, lesson, question),
        )
        if attempt.passed:
            choices = question["choices_html"]
            item = replace(
                item,
                answer=stored_html(choices[answer] if 0 <= answer < len(choices) else ""),
                correct_answer=stored_html(choices[question["correct"]]),
                explanation=stored_html(question["explanation_html"]),
            )
        items.append(item)
    return CheckResults(attempt=attempt, items=items)


@dataclass
class TrackCheckPage:
    track: Track
    attempt: CheckAttempt | None
    progress: TrackProgress | None
    badge: Badge | None
    paper: CheckPaper

    @cached_property
    def results(self) -> CheckResults | None:
        return check_results(track=self.track, lesson=None, attempt=self.attempt)

    @property
    def check_passed(self) -> bool:
        return self.progress is not None and self.progress.check_passed_at is not None


def track_check_page(*, slug: str, user: User | AnonymousUser) -> TrackCheckPage:
    """The track, then the reader's last attempt, progress in the track and badge in one
    statement (own.py)."""
    track = track_get(slug=slug)
    attempt = progress = badge = None
    if user.is_authenticated:
        (row,) = own.fetch(own.TRACK_CHECK_SQL, {"user": user.pk, "track": track.pk})
        last, of_track, of_badge = own.split(row, own.ATTEMPT, own.TRACK_PROGRESS, own.BADGE)
        attempt = own.instance(CheckAttempt, own.ATTEMPT, last)
        progress = own.instance(TrackProgress, own.TRACK_PROGRESS, of_track)
        badge = own.instance(Badge, own.BADGE, of_badge)
    paper = next_paper(user=user, track=track, lesson=None, latest=attempt)
    return TrackCheckPage(track=track, attempt=attempt, progress=progress, badge=badge, paper=paper)


# --- badges and certificates --------------------------------------------------------------------


def badges_for(*, person: User) -> list[Badge]:
    return list(
        Badge.objects.filter(user=person)
        .select_related("track")
        .only("user_id", "awarded_at", "code", "track__slug", "track__title")
    )


def certificate_get(*, code: str) -> Badge:
    badge = (
        Badge.objects.select_related("user__profile", "track__role")
        .filter(code=code, user__is_active=True)
        .first()
    )
    if badge is None:
        raise Http404("No such certificate.")
    return badge
