from django import forms

from portal.core.forms import Form


class SearchForm(Form):
    is_filter = True  # shown beside the results: see FormConventions
    # Never required: an empty or too short search gets suggestions, not an error.
    q = forms.CharField(label="Search Modhall", max_length=200, required=False)
