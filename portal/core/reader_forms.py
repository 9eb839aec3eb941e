"""A form drawn once for every reader of a shared part (portal/core/reader_cache.py), with
each reader's own answers left as holes.

A lesson's checklist and its "was this helpful?" form look the same for every reader except
for which boxes are ticked and what they wrote before. Drawing the form per reader costs more
than the rest of their page; drawing it blank in the shared part and filling in the ticks
costs a dictionary. ``draw`` renders the form with a hole where each choice's ``checked``
and each text box's text would go, and remembers which field and choice each hole stands for;
``FormHoles.pieces`` turns one reader's answers into the pieces for those holes.

Only choice widgets (radio buttons, checkboxes) and text areas take holes; any other field is
drawn as it is (blank), so a form that pre-fills one needs a hole kind added here first.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django import forms
from django.forms.widgets import ChoiceWidget
from django.template.loader import render_to_string
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from portal.core import reader_cache

# The attribute with its space: the space the renderer writes before the hole is taken out
# when drawing, so an unticked box is written exactly as Django writes it.
CHECKED = " checked"


class _Ticks:
    """A choice widget whose options are drawn unticked, each with a hole where ``checked``
    goes: the hole is an attribute name, which both the Python and Django's template renderer
    write unescaped (``attrs.html`` and form_renderer._attrs)."""

    hole_prefix = ""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, False, index, subindex, attrs)
        hole_name = f"{self.hole_prefix}.{option['index']}"
        option["attrs"][reader_cache.hole(hole_name)] = True
        self.drawn.append((hole_name, str(value)))
        return option


class _Text:
    """A text area drawn with a hole for its text."""

    hole_prefix = ""

    def format_value(self, value):
        return reader_cache.hole(self.hole_prefix)


@functools.cache
def _with_holes(widget_class: type, kind: type) -> type:
    # Same class name: templates tell widgets apart by it (BoundField.widget_type).
    return type(widget_class.__name__, (kind, widget_class), {})


@dataclass(frozen=True)
class FormHoles:
    """Each tick's hole with the field and the choice it stands for, each text's hole with
    its field."""

    ticks: tuple[tuple[str, str, str], ...]
    texts: tuple[tuple[str, str], ...]

    def pieces(self, answers: Mapping[str, object]) -> dict[str, str]:
        """The pieces for one reader, from their answers by field name (a value, or a list
        of values for a multiple choice), as the form's ``initial`` would take them."""
        chosen = {name: _as_strings(value) for name, value in answers.items()}
        pieces = {
            hole: CHECKED if choice in chosen.get(field, ()) else ""
            for hole, field, choice in self.ticks
        }
        for hole, field in self.texts:
            pieces[hole] = conditional_escape(answers.get(field) or "")
        return pieces


def _as_strings(value: object) -> set[str]:
    if value is None:
        return set()
    if isinstance(value, Iterable) and not isinstance(value, str):
        return {str(item) for item in value}
    return {str(value)}


def draw(form: forms.Form, *, name: str) -> tuple[SafeString, FormHoles]:
    """The form's fields (includes/form_fields.html), blank, with holes named after ``name``
    and each field; the form must be unbound and carry nothing about one reader."""
    if form.is_bound or form.initial:
        raise ValueError("A form drawn for every reader starts blank.")
    ticks: list[tuple[str, str, str]] = []
    texts: list[tuple[str, str]] = []
    widgets = []
    for field_name, field in form.fields.items():
        widget = field.widget
        kind = (
            _Ticks
            if isinstance(widget, ChoiceWidget)
            else _Text
            if isinstance(widget, forms.Textarea)
            else None
        )
        if kind is None:
            continue
        widget.__class__ = _with_holes(type(widget), kind)
        widget.hole_prefix = f"{name}-{field_name}"
        if kind is _Ticks:
            widget.drawn = []
            widgets.append((field_name, widget))
        else:
            texts.append((widget.hole_prefix, field_name))
    html = render_to_string("includes/form_fields.html", {"form": form})
    for field_name, widget in widgets:
        for hole, choice in widget.drawn:
            ticks.append((hole, field_name, choice))
            html = html.replace(f" {reader_cache.hole(hole)}", reader_cache.hole(hole))
    # The form's own template's output, with only our holes' leading spaces taken out.
    return mark_safe(html), FormHoles(ticks=tuple(ticks), texts=tuple(texts))  # noqa: S308
