"""The training's forms: a session, a material, the attendance checklist, a firm present."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms import RowChoiceField, RowsChoiceField
from credit.forms.common import form_helper
from portal.pickers import picker_field

from . import selectors
from .choices import MATERIAL_EXTENSIONS


class SessionForm(forms.Form):
    topic = forms.CharField(label=_("Topic"), max_length=200)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    organiser = forms.CharField(label=_("Organiser"), max_length=100)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Description"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, Word, Excel, PowerPoint or a picture, up to 20 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(f".{ext}" for ext in MATERIAL_EXTENSIONS)}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()


class AttendanceForm(forms.Form):
    """The checklist: the streets and communities the user may record, checked if present."""

    streets = RowsChoiceField(queryset=None, required=False)
    communities = RowsChoiceField(queryset=None, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["streets"].queryset = selectors.streets_recordable(user)
        self.fields["communities"].queryset = selectors.communities_recordable(user)


class FirmAttendanceForm(forms.Form):
    firm = RowChoiceField(label=_("Firm"), queryset=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        picker_field(self, "firm", "firm", queryset=selectors.firms_recordable(user))
        self.helper = form_helper()


class SessionSearchForm(forms.Form):
    q = forms.CharField(label=_("Topic"), max_length=100, required=False)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
