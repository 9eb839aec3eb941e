"""The base classes of every form in the portal: Django's, with the text rules of
``portal/core/text.py`` on every text field, so no form can forget them.

A text field refuses control characters; one drawn as a single line (any widget but a
textarea) refuses line breaks too, so titles, names and questions stay on one line wherever
they are shown. The rules are added when the form is cleaned, which also covers fields a form
adds in its own ``__init__`` (an opening's questions on the apply form, say).
"""

from __future__ import annotations

from django import forms

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


class Form(PlainTextFields, forms.Form):
    pass


class ModelForm(PlainTextFields, forms.ModelForm):
    pass
