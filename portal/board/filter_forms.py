"""The board's and the moderator directory's filters: GET forms that narrow a list, shown
beside its results (a bad value is an error beside its field, never a refused form)."""

from __future__ import annotations

from django import forms

from portal.accounts.models import Language, Role
from portal.board.models import Compensation
from portal.board.selectors import BoardFilters, DirectoryFilters
from portal.core.forms import Form


def _choices(rows, key: str, blank: str) -> list[tuple[str, str]]:
    return [("", blank), *[(getattr(row, key), str(row)) for row in rows]]


class FilterForm(Form):
    """A GET form that narrows a list. ``in_use`` is the number its "Filters (n)" button shows
    on phones, where the form folds away below the result count."""

    is_filter = True  # shown beside the results: see FormConventions
    # Fields that order the list rather than narrow it.
    not_filters: tuple[str, ...] = ("sort",)

    @property
    def in_use(self) -> int:
        self.is_valid()  # a wrong value is not counted; the others still are
        data = self.cleaned_data
        return sum(
            1
            for field in self.visible_fields()
            if field.name not in self.not_filters and data.get(field.name) not in (None, "", False)
        )


class BoardFilterForm(FilterForm):
    """The board's filters (GET). Roles and languages come from the cached reference lists."""

    q = forms.CharField(label="Search", max_length=100, required=False)
    role = forms.ChoiceField(required=False)
    language = forms.ChoiceField(required=False)
    compensation = forms.ChoiceField(choices=[("", "Any"), *Compensation.choices], required=False)
    max_hours = forms.IntegerField(
        label="At most hours a week", min_value=1, max_value=168, required=False
    )
    fits = forms.BooleanField(label="Overlaps my availability", required=False)
    sort = forms.ChoiceField(
        choices=[("newest", "Newest first"), ("closing", "Closing soon")], required=False
    )
    channel = forms.SlugField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, roles: list[Role], languages: list[Language], signed_in: bool,
                 **kwargs) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _choices(roles, "slug", "Any role")
        self.fields["language"].choices = _choices(languages, "code", "Any language")
        if not signed_in:
            del self.fields["fits"]

    def filters(self) -> BoardFilters:
        """The filters that are valid; a wrong one is shown beside its field and ignored."""
        self.is_valid()
        data = self.cleaned_data
        return BoardFilters(
            q=(data.get("q") or "").strip(),
            role=data.get("role") or "",
            language=data.get("language") or "",
            compensation=data.get("compensation") or "",
            max_hours=data.get("max_hours"),
            fits_my_hours=bool(data.get("fits")),
            channel=data.get("channel") or "",
            sort=data.get("sort") or "newest",
        )


class DirectoryFilterForm(FilterForm):
    q = forms.CharField(label="Name or words", max_length=100, required=False)
    role = forms.ChoiceField(required=False)
    language = forms.ChoiceField(required=False)
    badge = forms.ChoiceField(label="Guide badge", required=False)
    around = forms.ChoiceField(label="Around when", required=False)

    def __init__(self, *args, roles, languages, tracks, openings, signed_in: bool,
                 **kwargs) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _choices(roles, "slug", "Any role")
        self.fields["language"].choices = _choices(languages, "code", "Any language")
        if tracks:
            self.fields["badge"].choices = _choices(tracks, "slug", "Any or none")
        else:
            del self.fields["badge"]
        if signed_in:
            self.fields["around"].choices = [
                ("", "Any time"),
                ("me", "When I am around"),
                *[(str(o.pk), f"During “{o.title}”") for o in openings if o.schedule],
            ]
        else:
            del self.fields["around"]

    def filters(self) -> DirectoryFilters:
        self.is_valid()
        data = self.cleaned_data
        return DirectoryFilters(
            q=(data.get("q") or "").strip(),
            role=data.get("role") or "",
            language=data.get("language") or "",
            badge=data.get("badge") or "",
            around=data.get("around") or "",
        )


# --- Openings -------------------------------------------------------------------------------
