"""A form drawn once for every reader, with each reader's answers filled into its holes
(portal/core/reader_forms.py), is the form Django draws with those answers, byte for byte."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from portal.core import reader_cache, reader_forms
from portal.guides.forms import ChecklistForm, FeedbackForm

CHECKLIST = [
    {"key": "a1", "html": "Find the <em>timeout</em> button."},
    {"key": "b2", "html": "Say hi."},
]


def drawn_by_django(form) -> str:
    return render_to_string("includes/form_fields.html", {"form": form})


def filled(html, holes, answers) -> str:
    return reader_cache.fill(html, holes.pieces(answers), request=RequestFactory().get("/"))


@pytest.mark.parametrize(
    "answers",
    [
        {},
        {"helpful": "yes", "reason": "", "comment": ""},
        {"helpful": "no", "reason": "missing", "comment": "More <b>examples</b> & less text"},
        {"helpful": "no", "reason": "other", "comment": "<!--hole:csrf-->"},
    ],
)
def test_a_feedback_form_filled_for_a_reader_is_the_one_django_draws(answers):
    html, holes = reader_forms.draw(FeedbackForm(), name="feedback")
    assert filled(html, holes, answers) == drawn_by_django(FeedbackForm(initial=answers))


@pytest.mark.parametrize("ticked", [[], ["b2"], ["a1", "b2"], ["not-on-the-list"]])
def test_a_checklist_filled_for_a_reader_is_the_one_django_draws(ticked):
    html, holes = reader_forms.draw(ChecklistForm(CHECKLIST, label="After"), name="checklist")
    expected = drawn_by_django(ChecklistForm(CHECKLIST, label="After", initial={"items": ticked}))
    assert filled(html, holes, {"items": ticked}) == expected


def test_the_drawing_holds_no_answers_only_holes():
    html, holes = reader_forms.draw(FeedbackForm(), name="feedback")
    assert "checked" not in html
    assert [hole for hole, _field, _choice in holes.ticks][:2] == [
        "feedback-helpful.0",
        "feedback-helpful.1",
    ]
    assert holes.texts == (("feedback-comment", "comment"),)


def test_only_a_blank_form_is_drawn_for_every_reader():
    with pytest.raises(ValueError):
        reader_forms.draw(FeedbackForm(initial={"helpful": "yes"}), name="feedback")
    with pytest.raises(ValueError):
        reader_forms.draw(FeedbackForm({"feedback-helpful": "yes"}), name="feedback")
