from django import forms

from portal.core.forms import Form


class SearchForm(Form):
    marks_optional = False  # every field is optional: marking them all says nothing
    # Never required: an empty or too short search gets suggestions, not an error.
    q = forms.CharField(label="Search Modhall", max_length=200, required=False)
