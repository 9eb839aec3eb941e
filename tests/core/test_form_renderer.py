"""The Python form renderer writes byte for byte what Django's widget templates write.

Each form is rendered whole (layout, labels, widgets, help text, errors) by Django's own
renderer and by portal.core.form_renderer.FormRenderer, empty and bound to data that is
partly wrong, and the two strings are compared.
"""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from portal.core.form_renderer import FormRenderer


class EveryWidgetForm(forms.Form):
    name = forms.CharField(
        max_length=40,
        help_text="Shown <b>publicly</b> & escaped.",
        widget=forms.TextInput(attrs={"placeholder": 'e.g. "Ana" & <co>'}),
    )
    email = forms.EmailField(required=False, widget=forms.EmailInput(attrs={"autofocus": True}))
    website = forms.URLField(required=False)
    age = forms.IntegerField(min_value=13, required=False)
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True), required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    query = forms.CharField(widget=forms.TextInput(attrs={"type": "search", "spellcheck": False}))
    starts = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), required=False)
    agree = forms.BooleanField(label="I agree to the <rules>")
    about = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    kind = forms.ChoiceField(choices=[("", "Any"), ("a", "A & B"), ("b", '"Quoted"')])
    grouped = forms.ChoiceField(
        choices=[("Chat", [("enforcer", "Enforcer"), ("host", "Host")]), ("other", "Other")],
        required=False,
    )
    many = forms.MultipleChoiceField(
        choices=[("en", "English"), ("de", "Deutsch")], widget=forms.SelectMultiple, required=False
    )
    pick = forms.ChoiceField(
        choices=[("1", mark_safe("<em>One</em>")), ("2", "Two <i>")], widget=forms.RadioSelect
    )
    ticks = forms.MultipleChoiceField(
        choices=[
            ("x", "X"),
            ("Group <g>", [("y", "Y"), ("z", "Z")]),
        ],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "ticks"}),
        required=False,
    )
    locked = forms.CharField(disabled=True, initial="can't <change>", required=False)


BOUND = {
    "name": "x" * 50,
    "email": "not-an-email",
    "age": "7",
    "secret": 'pa"ss',
    "hidden": "<h>",
    "query": "ban & timeout",
    "about": "line one\n<script>alert(1)</script>",
    "kind": "a",
    "grouped": "host",
    "many": ["de"],
    "pick": "9",
    "ticks": ["y", "x"],
}


def render_both(form_class, *args, **kwargs) -> tuple[str, str]:
    django_html = str(form_class(*args, renderer=DjangoTemplates(), **kwargs))
    portal_html = str(form_class(*args, renderer=FormRenderer(), **kwargs))
    return django_html, portal_html


@pytest.mark.parametrize("data", [None, BOUND], ids=["empty", "bound with errors"])
def test_every_widget_renders_as_django_renders_it(data):
    django_html, portal_html = render_both(EveryWidgetForm, data)
    assert portal_html == django_html
    assert 'aria-invalid="true"' in portal_html or data is None  # errors were rendered


def test_initial_values_and_prefixes_render_as_django_renders_them():
    initial = {"name": "Ana", "kind": "b", "pick": "1", "ticks": ["z"], "many": ["en", "de"]}
    django_html, portal_html = render_both(EveryWidgetForm, initial=initial, prefix="p")
    assert portal_html == django_html


def test_the_portals_own_forms_render_as_django_renders_them(db):
    from portal.forums.forms import ReportForm, SuspendForm, TopicForm, WatchForm
    from portal.guides.forms import CheckForm, ChecklistForm, FeedbackForm

    checklist = [
        {"key": "a", "html": "<p>Read the <strong>rules</strong></p>"},
        {"key": "b", "html": "B"},
    ]
    questions = [{"question_html": "What <em>first</em>?", "choices_html": ["Ban", "Warn & log"]}]
    cases = [
        (TopicForm, (), {}),
        (TopicForm, ({"title": "", "body": "x"},), {}),
        (ReportForm, ({"reason": "nope"},), {}),
        (SuspendForm, ({},), {}),
        (WatchForm, (), {"initial": {"level": "watching"}}),
        (FeedbackForm, ({"feedback-helpful": "no"},), {}),
        (ChecklistForm, (checklist, {"items": ["a"]}), {}),
        (CheckForm, (questions, {"check-q0": "5"}), {}),
    ]
    for form_class, args, kwargs in cases:
        django_html, portal_html = render_both(form_class, *args, **kwargs)
        assert portal_html == django_html, form_class.__name__


def test_the_portal_uses_the_python_renderer(client):
    from django.forms.renderers import get_default_renderer

    assert isinstance(get_default_renderer(), FormRenderer)
