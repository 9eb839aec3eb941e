"""Renders Django's form widgets and labels in Python instead of through templates.

Django draws every widget with a template, and a choice group draws each choice with three
nested includes: a lesson's checklist, knowledge check and feedback form made about 15,000
Python calls of a 37,000-call page, and the board's filter form about as many. These builders
write the same HTML as Django's templates for the widgets and labels Modhall uses
(tests/core/test_form_renderer.py renders every form in the portal both ways and compares
the bytes); any other template falls back to Django's renderer. Nothing in the project or its
apps overrides these widget templates; one that did would need its builder removed here.
"""

from __future__ import annotations

from collections.abc import Callable

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe


def _text(value) -> str:
    """What ``{{ value }}`` and ``{{ value|stringformat:'s' }}`` print: the value as text,
    escaped unless it is already safe HTML."""
    return conditional_escape(value)


def _attrs(attrs: dict) -> str:
    return "".join(
        f" {name}" if value is True else f' {name}="{_text(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict) -> str:
    value = "" if widget["value"] is None else f' value="{_text(widget["value"])}"'
    kind, name = _text(widget["type"]), _text(widget["name"])
    return f'<input type="{kind}" name="{name}"{value}{_attrs(widget["attrs"])}>'


def _textarea(widget: dict) -> str:
    value = _text(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


def _select(widget: dict) -> str:
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in options:
            # Each option's template ends in a newline that Django's include keeps.
            parts.append(
                f'\n  <option value="{_text(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_text(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _option_input(option: dict) -> str:
    # The newlines are those that end the nested option and input templates.
    label_for = f' for="{_text(option["attrs"]["id"])}"' if option["attrs"].get("id") else ""
    return f"<label{label_for}>{_input(option)}\n {_text(option['label'])}</label>\n\n"


def _multiple_input(widget: dict) -> str | None:
    if not all(option["wrap_label"] for _, options, _ in widget["optgroups"] for option in options):
        return None  # never used in Modhall: Django's templates draw it
    attrs = widget["attrs"]
    parts = ["<div"]
    if attrs.get("id"):
        parts.append(f' id="{_text(attrs["id"])}"')
    if attrs.get("class"):
        parts.append(f' class="{_text(attrs["class"])}"')
    parts.append(">")
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f"\n  <div><label>{_text(group)}</label>")
        for option in options:
            parts.append(f"<div>\n    {_option_input(option)}</div>")
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>")
    return "".join(parts)


def _label(context: dict) -> str:
    if not context["use_tag"]:
        return _text(context["label"])
    tag = _text(context["tag"])
    return f"<{tag}{_attrs(context['attrs'])}>{_text(context['label'])}</{tag}>"


_INPUTS = [
    "text",
    "email",
    "url",
    "number",
    "password",
    "hidden",
    "search",
    "tel",
    "date",
    "datetime",
    "time",
    "checkbox",
]
_WIDGETS: dict[str, Callable[[dict], str | None]] = {
    **{f"django/forms/widgets/{name}.html": _input for name in _INPUTS},
    "django/forms/widgets/textarea.html": _textarea,
    "django/forms/widgets/select.html": _select,
    "django/forms/widgets/radio.html": _multiple_input,
    "django/forms/widgets/checkbox_select.html": _multiple_input,
}


class FormRenderer(DjangoTemplates):
    """Django's default renderer, with the common widgets and labels written in Python."""

    def render(self, template_name: str, context: dict, request=None) -> SafeString:
        if template_name == "django/forms/label.html":
            return mark_safe(_label(context))  # noqa: S308  (every part is escaped above)
        build = _WIDGETS.get(template_name)
        html = build(context["widget"]) if build is not None else None
        if html is None:
            return super().render(template_name, context, request)
        return mark_safe(html)  # noqa: S308  (every part is escaped above)
