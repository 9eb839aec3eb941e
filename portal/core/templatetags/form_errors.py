"""What a form that failed shows, the same on every page: an error summary at the top of the
form that links to each field in error and takes the focus when the page loads, and
"Error: " at the start of the page's title, so a person who cannot see the form, or is
scrolled away from it, learns at once that it was not sent and why.

The summary is drawn by templates/includes/error_summary.html (form_fields.html includes it,
and so does every form drawn by hand); the title prefix by ``error_title_prefix`` in
base.html's <title>, which looks at the page's context, so no view has to remember a flag.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django import template
from django.forms import BaseForm, BaseFormSet, BoundField
from django.utils.html import format_html, strip_tags
from django.utils.safestring import SafeString

from portal.core.forms import FormConventions

register = template.Library()


@dataclass(frozen=True)
class SummaryEntry:
    message: str
    anchor: str = ""  # the id of the field to go to; empty for errors about the whole form


def _is_form(value: object) -> bool:
    # type(), not isinstance(): the context holds lazy objects (the user, counts) that
    # isinstance() would evaluate, costing queries on every page.
    return issubclass(type(value), (BaseForm, BaseFormSet))


def _forms_in(value: object) -> Iterable[BaseForm | BaseFormSet]:
    if _is_form(value):
        yield value
    elif type(value) in (list, tuple):
        yield from (item for item in value if _is_form(item))


def has_errors(form: BaseForm | BaseFormSet) -> bool:
    """A sent form that was refused; an unsent form has no errors and is not validated, and a
    filter's bad value is shown beside its field only (FormConventions in core/forms.py)."""
    if not form.is_bound or getattr(form, "is_filter", False):
        return False
    if isinstance(form, BaseFormSet):
        return not form.is_valid()
    return bool(form.errors)


def field_anchor(field: BoundField) -> str:
    """The id a link to the field should go to: the input itself, or the first choice of a
    group of radio buttons or checkboxes (which puts the keyboard in the group)."""
    widgets = field.subwidgets
    return (widgets[0].id_for_label if widgets else "") or field.auto_id or ""


def _labelled(label: object, message: str) -> str:
    label = strip_tags(str(label or "")).strip()
    if not label:
        return message
    return f"{label} {message}" if label[-1] in "?!.:" else f"{label}: {message}"


def summary_entries(form: BaseForm | BaseFormSet) -> list[SummaryEntry]:
    if not has_errors(form):
        return []
    if isinstance(form, BaseFormSet):
        entries = [SummaryEntry(str(error)) for error in form.non_form_errors()]
        for sub in form.forms:
            entries += summary_entries(sub)
        return entries
    entries = [SummaryEntry(str(error)) for error in form.non_field_errors()]
    for field in form:
        for error in field.errors:
            if field.is_hidden:
                entries.append(SummaryEntry(str(error)))
            else:
                entries.append(SummaryEntry(_labelled(field.label, error), field_anchor(field)))
    return entries


def summary_id(form: BaseForm | BaseFormSet) -> str:
    """Unique on a page with several forms (a lesson has three): forms there have prefixes.
    A form posted to a long page aims its action at this id ("…#feedback-error-summary"),
    so the browser lands on the summary; a fragment naming any other element would stop
    the browser from honouring the summary's autofocus."""
    return f"{form.prefix}-error-summary" if form.prefix else "error-summary"


@register.filter
def error_summary_id(form: BaseForm | BaseFormSet) -> str:
    """For a form on a long page: ``action="…#{{ form|error_summary_id }}"``."""
    return summary_id(form)


@register.inclusion_tag("includes/error_summary.html")
def error_summary(form: BaseForm | BaseFormSet | None, *more: BaseForm | BaseFormSet) -> dict:
    """The summary of ``form`` (and of ``more`` forms sent with it, like an opening's
    questions), or nothing when they were not refused."""
    if form is None or not _is_form(form):
        return {"entries": []}
    entries = summary_entries(form)
    for other in more:
        if _is_form(other):
            entries += summary_entries(other)
    return {"entries": entries, "summary_id": summary_id(form)}


@register.simple_tag(takes_context=True)
def error_title_prefix(context: template.Context) -> str:
    """'Error: ' when the page holds a form that was refused: screen readers say the title
    first, and the browser's tab shows it."""
    for value in context.flatten().values():
        if any(has_errors(form) for form in _forms_in(value)):
            return "Error: "
    return ""


@register.filter
def marked_optional(field: BoundField) -> bool:
    """Whether the field's label says "(optional)": a question a person may leave empty, on
    one of the portal's own forms (FormConventions). Not a checkbox (leaving it unticked is
    plainly allowed), nor a field of a filter or search (every field is optional there) or
    one named in ``conditionally_required`` (asked only after a certain answer elsewhere)."""
    form = field.form
    if field.field.required or field.is_hidden:
        return False
    if not isinstance(form, FormConventions) or form.is_filter:
        return False
    if field.name in getattr(form, "conditionally_required", ()):
        return False
    return field.widget_type not in ("checkbox", "checkboxselectmultiple")


@register.filter
def field_label(field: BoundField) -> SafeString:
    """The field's <label>, with "(optional)" in it when ``marked_optional``."""
    if marked_optional(field):
        return field.label_tag(
            contents=format_html('{} <span class="optional">(optional)</span>', field.label)
        )
    return field.label_tag()
