"""Forms of credit repair and the working-day calendar: they validate; the views call
credit.services.repair."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..models import DayKind, RepairStatus
from ..publication import check_attachment, max_attachments
from .common import form_helper
from .publication import MultipleFileField


class RepairApplicationForm(forms.Form):
    rectification = forms.CharField(
        label=_("what your firm rectified"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    files = MultipleFileField(
        label=_("evidence"),
        help_text=_("PDF, JPG or PNG files."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = form_helper()

    def clean_files(self) -> list:
        files = self.cleaned_data.get("files") or []
        if len(files) > max_attachments():
            raise forms.ValidationError(_("At most %(n)s files.") % {"n": max_attachments()})
        for upload in files:
            try:
                check_attachment(upload, field="files")
            except ValidationError as exc:
                raise forms.ValidationError(exc.message_dict["files"]) from None
        return files


class RepairRefuseForm(forms.Form):
    reasons = forms.CharField(
        label=_("reasons"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The firm reads them; it stays on the list and may apply again."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = form_helper()


class RepairFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("state"),
        required=False,
        choices=[("", _("all")), *RepairStatus.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class CalendarDayForm(forms.Form):
    date = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("kind"), choices=DayKind.choices)
    name = forms.CharField(label=_("name"), max_length=50)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = form_helper()
