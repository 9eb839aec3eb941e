"""A question one may leave empty says "(optional)" in its label, once; required questions,
checkboxes and the fields of filters and searches do not."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string

from portal.accounts.forms import ProfileForm
from portal.board.filter_forms import BoardFilterForm
from portal.board.forms import InviteForm
from portal.guides.forms import FeedbackForm

pytestmark = pytest.mark.django_db

OPTIONAL = '<span class="optional">(optional)</span>'


def drawn(form) -> str:
    return render_to_string("includes/form_fields.html", {"form": form})


def test_optional_questions_say_so_in_their_label():
    html = drawn(ProfileForm())
    assert f'<label for="id_display_name">Display name {OPTIONAL}:</label>' in html
    assert "I am open to moderating new channels" in html
    # A checkbox may plainly be left unticked: no mark.
    assert f"I am open to moderating new channels {OPTIONAL}" not in html


def test_required_questions_have_no_mark_and_none_is_doubled():
    html = drawn(InviteForm(openings=[]))
    assert html.count("(optional)") == 1  # the note, not the opening
    assert "A note (optional) (optional)" not in html and "A note" in html


def test_a_question_required_after_another_answer_is_not_marked():
    html = drawn(FeedbackForm())
    assert "If not, what was wrong?" in html
    assert f"If not, what was wrong? {OPTIONAL}" not in html
    assert f"Anything else? {OPTIONAL}" in html


def test_filters_mark_nothing_since_every_field_is_optional():
    assert "(optional)" not in drawn(BoardFilterForm(roles=[], languages=[], signed_in=True))
