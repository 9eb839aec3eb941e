"""Knowledge checks whose choices carry no clue in their position (papers.py).

Each attempt is a paper: the choices of each question in an order of that person's and that
attempt's, the same on every reload, and graded against the file's choice indexes whatever
order they were shown in; a track's paper asks a share of the track's questions, drawn anew
for each person and attempt.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from portal.guides import services
from portal.guides.models import CheckAttempt, Lesson, attempt_size
from portal.guides.papers import check_paper
from tests.factories import UserFactory
from tests.guides.conftest import (
    answer_sheet,
    positions,
    question,
    sync,
    write_lesson,
    write_track,
)

pytestmark = pytest.mark.django_db

CHOICES = 6  # 720 orders: two people, or two attempts, drawing the same one is a fluke


@pytest.fixture
def quiz(library):
    """A lesson with three six-choice questions (right answers at 0, 3 and 5 in the file)."""
    write_lesson(
        library.dir,
        "chat-enforcer",
        "03-quiz.md",
        questions=[
            question("First?", correct=0, choices=CHOICES),
            question("Second?", correct=3, choices=CHOICES),
            question("Third?", correct=5, choices=CHOICES),
        ],
    )
    sync(library.dir)
    return Lesson.objects.select_related("track").get(uid="chat-enforcer-quiz")


def shown_choices(client: Client, lesson) -> list[list[str]]:
    """The choices' texts as the lesson page shows them, question by question."""
    text = client.get(lesson.get_absolute_url()).content.decode()
    form = text[text.index('class="stacked-form guides-check"') :]
    questions = re.split(r"\d\. (?:First|Second|Third)\?", form)[1:]
    return [re.findall(r"(Choice \d)", part)[:CHOICES] for part in questions]


def without_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_a_paper_is_the_same_for_the_same_person_and_attempt(quiz):
    first = check_paper(person=7, track=quiz.track, lesson=quiz, number=1)
    assert first == check_paper(person=7, track=quiz.track, lesson=quiz, number=1)
    assert all(sorted(q.order) == list(range(CHOICES)) for q in first.questions)


def test_people_and_attempts_get_their_own_orders(quiz):
    def orders(person, number):
        return check_paper(person=person, track=quiz.track, lesson=quiz, number=number).signature

    assert len({orders(person, 1) for person in range(1, 6)}) > 1
    assert len({orders(1, number) for number in range(1, 6)}) > 1


def test_two_people_see_different_orders_and_a_reload_keeps_each_ones(quiz):
    people = [UserFactory() for _ in range(4)]
    seen = []
    for person in people:
        client = signed_in(person)
        order = shown_choices(client, quiz)
        assert [sorted(choices) for choices in order] == [
            [f"Choice {i}" for i in range(CHOICES)]
        ] * 3
        assert shown_choices(client, quiz) == order  # a reload
        seen.append(order)
    assert any(order != seen[0] for order in seen[1:])


def test_a_new_attempt_reshuffles(user, quiz):
    client = signed_in(user)
    orders = [shown_choices(client, quiz)]
    for _ in range(3):
        sheet = answer_sheet(user, track=quiz.track, lesson=quiz, right=False)
        client.post(reverse("guides:lesson_check", args=[quiz.track.slug, quiz.slug]), sheet)
        orders.append(shown_choices(client, quiz))
    assert CheckAttempt.objects.filter(user=user).count() == 3
    assert len({repr(order) for order in orders}) > 1


def test_the_page_shows_the_order_it_grades(user, quiz):
    """Pick the right answers by their text on the page: the attempt is graded as right."""
    client = signed_in(user)
    shown = shown_choices(client, quiz)
    right = ["Choice 0", "Choice 3", "Choice 5"]
    data = {f"check-q{n}": str(shown[n].index(text)) for n, text in enumerate(right)}
    data["check-attempt"] = "1"
    client.post(reverse("guides:lesson_check", args=[quiz.track.slug, quiz.slug]), data)
    attempt = CheckAttempt.objects.get(user=user)
    assert (attempt.score, attempt.passed, attempt.answers) == (3, True, [0, 3, 5])
    assert attempt.question_keys == [q["key"] for q in quiz.questions]


@pytest.mark.parametrize("number", range(1, 6))
def test_grading_is_right_whatever_the_order(user, quiz, number):
    CheckAttempt.objects.bulk_create(
        CheckAttempt(
            user=user, track=quiz.track, lesson=quiz, number=n, score=0, total=3, passed=False
        )
        for n in range(1, number)
    )
    paper = check_paper(person=user.pk, track=quiz.track, lesson=quiz, number=number)
    wrong = positions(paper, right=False)
    right = positions(paper, right=True)
    mixed = [right[0], wrong[1], right[2]]
    attempt, _ = services.check_submit(
        user=user, track=quiz.track, lesson=quiz, number=number, positions=mixed
    )
    assert (attempt.score, attempt.total, attempt.passed) == (2, 3, False)
    assert attempt.answers[0] == 0 and attempt.answers[1] != 3 and attempt.answers[2] == 5


def test_answers_sent_twice_are_graded_once(user, quiz):
    client = signed_in(user)
    sheet = answer_sheet(user, track=quiz.track, lesson=quiz)
    url = reverse("guides:lesson_check", args=[quiz.track.slug, quiz.slug])
    client.post(url, sheet)
    response = client.post(url, sheet, follow=True)
    assert "were not marked" in response.content.decode()
    assert CheckAttempt.objects.filter(user=user).count() == 1


def test_an_attempt_number_from_the_future_is_not_graded(user, quiz):
    """Choosing the number would choose the paper: only the next attempt is graded."""
    client = signed_in(user)
    sheet = answer_sheet(user, track=quiz.track, lesson=quiz, number=5)
    client.post(reverse("guides:lesson_check", args=[quiz.track.slug, quiz.slug]), sheet)
    assert not CheckAttempt.objects.exists()


def test_the_track_check_is_shuffled_too(user, library):
    client = signed_in(user)
    url = reverse("guides:track_check", args=[library.enforcer.slug])
    first = without_tokens(client.get(url).content.decode())
    assert without_tokens(client.get(url).content.decode()) == first
    assert 'name="check-attempt" value="1"' in first
    submit_url = reverse("guides:track_check_submit", args=[library.enforcer.slug])
    client.post(submit_url, answer_sheet(user, track=library.enforcer))
    attempt = CheckAttempt.objects.get(user=user, lesson=None)
    assert attempt.passed and attempt.answers == [0, 1]  # the file's right choices
    assert 'name="check-attempt" value="2"' in client.get(url).content.decode()


def test_a_repeated_question_names_the_file_and_both_questions(library_dir):
    from portal.guides.library import LibraryError, load_library

    write_lesson(
        library_dir,
        "start-here",
        "03-twice.md",
        questions=[question("Same?"), question("Other?"), question("Same?")],
    )
    with pytest.raises(LibraryError) as raised:
        load_library(library_dir)
    assert "start-here/03-twice.md" in str(raised.value)
    assert "question 3 repeats question 1" in str(raised.value)


# --- a track's check draws from a larger pool -------------------------------------------------


@pytest.mark.parametrize(
    ("pool", "size"), [(1, 1), (3, 3), (5, 5), (6, 5), (7, 5), (8, 5), (9, 6), (12, 8), (30, 20)]
)
def test_an_attempt_asks_two_thirds_of_the_pool_and_at_least_five(pool, size):
    assert attempt_size(pool) == size
    if pool >= 8:  # from here on the pool is at least 1.5 times an attempt
        assert pool >= 1.5 * size


@pytest.fixture
def pool(library):
    """Chat Enforcer's check with nine questions: each attempt asks six."""
    write_track(
        library.dir,
        "chat-enforcer",
        title="Chat Enforcer",
        questions=[question(f"Pool question {n}?", correct=n % 4, choices=4) for n in range(9)],
    )
    sync(library.dir)
    library.enforcer.refresh_from_db()
    return library.enforcer


def test_each_attempt_draws_its_own_questions_from_the_pool(pool):
    papers = [check_paper(person=3, track=pool, lesson=None, number=n) for n in range(1, 9)]
    assert all(len(paper) == 6 for paper in papers)
    assert check_paper(person=3, track=pool, lesson=None, number=1) == papers[0]  # a reload
    assert len({tuple(paper.keys) for paper in papers}) > 1  # a retry draws anew
    asked = {key for paper in papers for key in paper.keys}
    assert len(asked) == 9  # over a few attempts, the whole pool is asked
    file_order = [q["key"] for q in pool.questions]
    for paper in papers:  # a drawn subset is asked in the file's order
        assert paper.keys == sorted(paper.keys, key=file_order.index)
    others = {
        tuple(check_paper(person=p, track=pool, lesson=None, number=1).keys) for p in range(9)
    }
    assert len(others) > 1  # and people draw their own


def test_the_check_page_asks_one_attempts_share_and_says_so(user, pool):
    client = signed_in(user)
    url = reverse("guides:track_check", args=[pool.slug])
    text = client.get(url).content.decode()
    assert "Each attempt asks 6 of the track's 9 questions" in text and "pass with 5 right" in text
    paper = check_paper(person=user.pk, track=pool, lesson=None, number=1)
    asked = re.findall(r"Pool question (\d)\?", text)
    assert asked == [q.question["question"][len("Pool question ")] for q in paper.questions]
    assert without_tokens(client.get(url).content.decode()) == without_tokens(text)
    track_page = client.get(pool.get_absolute_url()).content.decode()
    assert "Each attempt asks 6 of the track's 9 questions" in track_page


@pytest.mark.parametrize(("right", "passed"), [(6, True), (5, True), (4, False)])
def test_the_pass_mark_applies_to_the_attempts_questions(user, pool, right, passed):
    paper = check_paper(person=user.pk, track=pool, lesson=None, number=1)
    sheet = positions(paper)
    wrong = positions(paper, right=False)
    sent = sheet[:right] + wrong[right:]
    attempt, _ = services.check_submit(user=user, track=pool, lesson=None, number=1, positions=sent)
    assert (attempt.score, attempt.total, attempt.passed) == (right, 6, passed)
    assert attempt.question_keys == paper.keys


def test_a_failed_attempt_says_the_next_one_draws_a_new_set(user, pool):
    client = signed_in(user)
    submit_url = reverse("guides:track_check_submit", args=[pool.slug])
    client.post(submit_url, answer_sheet(user, track=pool, right=False))
    text = client.get(reverse("guides:track_check", args=[pool.slug])).content.decode()
    assert "You missed 6 of 6" in text
    assert "your next attempt draws a new set from the track's questions" in text
