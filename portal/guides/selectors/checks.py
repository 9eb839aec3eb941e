"""Knowledge checks (a reader's last attempt and what it explains, and the paper of their
next), the track's check page, and the badges and certificates that completing a track earns."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from portal.accounts.models import User
from portal.guides.library import stored_html
from portal.guides.models import Badge, CheckAttempt, Lesson, Track, TrackProgress
from portal.guides.papers import CheckPaper, check_paper
from portal.guides.selectors.tracks import track_get


def latest_attempt(
    *, user: User, track: Track | int, lesson: Lesson | int | None
) -> CheckAttempt | None:
    return (
        CheckAttempt.objects.filter(user=user, track=track, lesson=lesson)
        .order_by("-number")
        .first()
    )


def next_paper(
    *, user: User | AnonymousUser, track: Track, lesson: Lesson | None, latest: CheckAttempt | None
) -> CheckPaper:
    """The paper a reader's next attempt answers: the one after their ``latest`` attempt."""
    person = user.pk if user.is_authenticated else None
    number = latest.number + 1 if latest is not None else 1
    return check_paper(person=person, track=track, lesson=lesson, number=number)


def check_results(
    questions: list[dict], questions_hash: str, attempt: CheckAttempt | None
) -> list[dict] | None:
    """Each question the attempt asked, with the reader's answer, the right one and the
    explanation; None when there is no attempt, or it answered questions that have since
    changed."""
    if attempt is None or attempt.questions_hash != questions_hash or not attempt.question_keys:
        return None
    by_key = {question["key"]: question for question in questions}
    results = []
    for key, answer in zip(attempt.question_keys, attempt.answers, strict=False):
        question = by_key.get(key)
        if question is None:
            return None  # cannot happen while the hash matches; never show a wrong result
        choices = question["choices_html"]
        results.append(
            {
                "question": stored_html(question["question_html"]),
                "answer": stored_html(choices[answer] if 0 <= answer < len(choices) else ""),
                "correct_answer": stored_html(choices[question["correct"]]),
                "is_correct": answer == question["correct"],
                "explanation": stored_html(question["explanation_html"]),
            }
        )
    return results


@dataclass
class TrackCheckPage:
    track: Track
    attempt: CheckAttempt | None
    progress: TrackProgress | None
    badge: Badge | None
    paper: CheckPaper

    @property
    def results(self) -> list[dict] | None:
        return check_results(self.track.questions, self.track.questions_hash, self.attempt)

    @property
    def check_passed(self) -> bool:
        return self.progress is not None and self.progress.check_passed_at is not None


def track_check_page(*, slug: str, user: User | AnonymousUser) -> TrackCheckPage:
    track = track_get(slug=slug)
    attempt = progress = badge = None
    if user.is_authenticated:
        attempt = latest_attempt(user=user, track=track, lesson=None)
        progress = TrackProgress.objects.filter(user=user, track=track).first()
        badge = Badge.objects.filter(user=user, track=track).first()
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
