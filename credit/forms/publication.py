"""Forms of the publication pages: they validate; the views call credit.publication."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..choices import RunStatus
from ..models import NoticeStatus, RatingRun
from ..publication import check_attachment, max_attachments
from ..selectors import LATE_NOTICES, OPEN_NOTICES
from .common import form_helper


class RunChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: RatingRun) -> str:
        if not obj.finished_at:
            return str(obj)
        # In the portal's time zone, as every page shows times (stored in UTC).
        return f"{obj} · {timezone.localtime(obj.finished_at):%Y-%m-%d %H:%M}"


class PublicationCreateForm(forms.Form):
    run = RunChoiceField(label=_("finished rating run"), queryset=RatingRun.objects.none())

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["run"].queryset = RatingRun.objects.filter(
            status=RunStatus.FINISHED, publications__isnull=True
        ).order_by("-year", "-finished_at")
        self.helper = form_helper()


class PublicationRunForm(forms.Form):
    run = RunChoiceField(label=_("corrected rating run"), queryset=RatingRun.objects.none())
    reason = forms.CharField(label=_("reason"), max_length=500, required=False)

    def __init__(self, *args, year: int, exclude_pk: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["run"].queryset = (
            RatingRun.objects.filter(year=year, status=RunStatus.FINISHED)
            .exclude(pk=exclude_pk)
            .order_by("-finished_at")
        )
        self.helper = form_helper()


class PublishForm(forms.Form):
    change_note = forms.CharField(
        label=_("change note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required for a correction of a published list."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = form_helper()


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None) -> list:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class EvidenceFilesField(MultipleFileField):
    """Evidence: PDF, JPG or PNG files, at most CREDIT_MAX_ATTACHMENTS, each within the size
    limit (check_attachment); the one field of every form that takes evidence files."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("help_text", _("PDF, JPG or PNG files."))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None) -> list:
        files = super().clean(data, initial)
        if len(files) > max_attachments():
            raise forms.ValidationError(_("At most %(n)s files.") % {"n": max_attachments()})
        for upload in files:
            try:
                check_attachment(upload, field="")
            except ValidationError as exc:
                raise forms.ValidationError(exc.messages) from None
        return files


class ObjectionForm(forms.Form):
    text = forms.CharField(
        label=_("your objection"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
    attachments = EvidenceFilesField(label=_("attachments"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = form_helper()


class ObjectionAnswerForm(forms.Form):
    ACCEPT, REJECT = "accept", "reject"
    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[(ACCEPT, _("Accept")), (REJECT, _("Reject"))],
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(
        label=_("answer"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to reject: the reason."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = form_helper()

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("decision") == self.REJECT and not (cleaned.get("answer") or "").strip():
            self.add_error("answer", _("Give the reason for rejecting the objection."))
        return cleaned


# The forms of the notices after their issue: credit/forms/notices.py.


class NoticeFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("state"),
        required=False,
        choices=[
            ("", _("all")),
            (OPEN_NOTICES, pgettext_lazy("notice", "open")),
            (LATE_NOTICES, _("open past the deadline")),
            *NoticeStatus.choices,
        ],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
