"""The base classes of every form in the portal: Django's, with the text rules of
``portal/core/text.py`` on every text field, so no form can forget them.

A text field refuses control characters; one drawn as a single line (any widget but a
textarea) refuses line breaks too, so titles, names and questions stay on one line wherever
they are shown. The rules are added when the form is cleaned, which also covers fields a form
adds in its own ``__init__`` (an opening's questions on the apply form, say).

A service may refuse what a valid form asked (a rate limit, a duplicate, a closed opening): the
view catches the ValidationError, ``add_refusal`` puts it on the form, and ``refusal_response``
gives the re-rendered form the status a refusal earns, the same in every app.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpResponse

from portal.core.limits import RateLimited
from portal.core.text import refuse_control_characters, refuse_line_breaks


class PlainTextFields:
    def full_clean(self) -> None:
        for field in self.fields.values():
            if not isinstance(field, forms.CharField):
                continue
            rules = [refuse_control_characters]
            if not isinstance(field.widget, forms.Textarea):
                rules.append(refuse_line_breaks)
            field.validators.extend(rule for rule in rules if rule not in field.validators)
        super().full_clean()


class FormConventions:
    """How the portal's forms speak (portal/core/templatetags/form_errors.py).

    Labels of optional fields say "(optional)", as people expect from a form where most
    questions must be answered; a field required only after a certain answer elsewhere (the
    form's clean() says which) is named in ``conditionally_required`` and not marked.

    A filter or search (``is_filter``: sent with GET beside its results, every field
    optional) marks nothing optional, and a bad value in it is shown beside its field only:
    nothing was refused, so it gets no error summary and the page no "Error:" title.
    """

    is_filter: bool = False
    conditionally_required: frozenset[str] = frozenset()


class Form(FormConventions, PlainTextFields, forms.Form):
    pass


class ModelForm(FormConventions, PlainTextFields, forms.ModelForm):
    pass


def add_refusal(form: forms.BaseForm, exc: ValidationError, field: str | None = None) -> None:
    """Put a service's refusal on the form: beside the fields it names (a field the form does
    not have: above the form), else beside ``field``, else above the form."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(field, exc)


def refusal_response(response: HttpResponse, form: forms.BaseForm) -> HttpResponse:
    """The status and headers of a re-rendered form: when a rate limit refused it, 429 with
    ``Retry-After`` (the reason is on the form); otherwise the status the view gave it."""
    retry_after = [
        error.retry_after
        for errors in (form.errors.as_data().values() if form.is_bound else ())
        for error in errors
        if isinstance(error, RateLimited)
    ]
    if retry_after:
        response.status_code = 429
        response["Retry-After"] = str(max(retry_after))
    return response
