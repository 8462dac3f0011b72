"""Forms of the proposals pages: they validate, the services act."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from portal.params import ID_MAX, parse_int

from .choices import ProposalKind, ProposalState, ReplyCategory, Satisfaction, Waiting
from .models import Division, Proposal, ReplySection

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# What a person writes in each box, with room to spare: a 100,000-character paste is refused by
# the form rather than stored. A proposal's full text and a reply's answer are documents.
TEXT_MAX = 2000
DOCUMENT_MAX = 50_000
NUMBER_MAX = 99_999  # a proposal's number within its session
SEARCH_MAX = 100


def bound_text(field: forms.CharField, max_length: int) -> None:
    """A length for a model form's field over a TextField, which has none."""
    field.max_length = max_length
    field.validators.append(MaxLengthValidator(max_length))
    field.widget.attrs["maxlength"] = str(max_length)


class ProposalForm(forms.ModelForm):
    class Meta:
        model = Proposal
        fields = ["kind", "session", "number", "title", "received_on", "full_text"]
        widgets = {"received_on": DATE, "full_text": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The model's columns bound neither: a TextField has no length, the number only its type.
        bound_text(self.fields["full_text"], DOCUMENT_MAX)
        number = self.fields["number"]
        number.max_value = NUMBER_MAX
        number.validators.append(MaxValueValidator(NUMBER_MAX))
        number.widget.attrs["max"] = NUMBER_MAX


class ProposerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=30)
    phone = forms.CharField(label=_("Phone (private)"), max_length=30, required=False)
    address = forms.CharField(label=_("Address (private)"), max_length=200, required=False)


class PointForm(forms.Form):
    title = forms.CharField(label=_("Suggestion"), max_length=200)
    text = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


# What a person types into the form, with room to spare. Django would otherwise build,
# validate and render up to 2,000 forms for a posted TOTAL_FORMS of 100,000 (seconds of
# work per request); past these bounds the formset is refused after building at most this many.
PROPOSERS_MAX = 50
POINTS_MAX = 30


class ProposerBaseFormSet(forms.BaseFormSet):
    default_error_messages = {
        "too_many_forms": _("A proposal or suggestion has at most %(num)d proposers."),
    }


class PointBaseFormSet(forms.BaseFormSet):
    default_error_messages = {
        "too_many_forms": _("A proposal or suggestion has at most %(num)d suggestion points."),
    }


ProposerFormSet = formset_factory(
    ProposerForm,
    formset=ProposerBaseFormSet,
    extra=2,
    min_num=1,
    validate_min=True,
    max_num=PROPOSERS_MAX,
    validate_max=True,
    absolute_max=PROPOSERS_MAX,
)
PointFormSet = formset_factory(
    PointForm,
    formset=PointBaseFormSet,
    extra=4,
    min_num=1,
    validate_min=True,
    max_num=POINTS_MAX,
    validate_max=True,
    absolute_max=POINTS_MAX,
)


class ProposalSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=SEARCH_MAX)
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All states")), *ProposalState.choices]
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *ProposalKind.choices]
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    waiting = forms.ChoiceField(
        label=_("Waiting for"), required=False, choices=[("", _("Anything")), *Waiting.choices]
    )


class DivisionsField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        # Django asks the database about every posted id at once: one past the column's range
        # (10**20) would overflow its integer (SQLite raises) instead of being no division.
        for pk in value:
            if parse_int(str(pk), minimum=1, maximum=ID_MAX) is None:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class AssignForm(forms.Form):
    lead_division = forms.ModelChoiceField(
        label=_("Lead division"), queryset=Division.objects.filter(is_active=True)
    )
    co_divisions = DivisionsField(
        label=_("Co-handling divisions"),
        queryset=Division.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    on = forms.DateField(label=_("Assigned on"), required=False, widget=DATE)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )


class ExtendForm(forms.Form):
    until = forms.DateField(label=_("New reply deadline"), widget=DATE)
    reason = forms.CharField(
        label=_("Reason"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )


class CoInputForm(forms.Form):
    text = forms.CharField(
        label=_("Input"), max_length=DOCUMENT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReplyForm(forms.Form):
    salutation = forms.CharField(label=_("Salutation"), max_length=100, required=False)
    opening = forms.CharField(
        label=_("Opening"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    closing = forms.CharField(
        label=_("Closing"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    overall_category = forms.ChoiceField(
        label=_("Overall category"),
        required=False,
        choices=[("", "—"), *ReplyCategory.choices],
    )


class SectionForm(forms.ModelForm):
    class Meta:
        model = ReplySection
        fields = ["body", "category", "due_on", "reasons", "follow_up_label", "follow_up_url"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 8, "class": "reply-section-body"}),
            "reasons": forms.Textarea(attrs={"rows": 2}),
            "due_on": DATE,
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        bound_text(self.fields["body"], DOCUMENT_MAX)
        bound_text(self.fields["reasons"], TEXT_MAX)


class SignOffForm(forms.Form):
    contact_name = forms.CharField(label=_("Contact name"), max_length=30)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=30)
    written_on = forms.DateField(label=_("Date written"), required=False, widget=DATE)


class PublishForm(forms.Form):
    published_on = forms.DateField(label=_("Date published"), required=False, widget=DATE)


class FeedbackForm(forms.Form):
    satisfaction = forms.ChoiceField(label=_("Satisfaction"), choices=Satisfaction.choices)
    comments = forms.CharField(
        label=_("Comments"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    received_on = forms.DateField(label=_("Received on"), required=False, widget=DATE)


class PublicSearchForm(forms.Form):
    q = forms.CharField(label=_("Keyword"), required=False, max_length=100)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    session = forms.CharField(label=_("Session"), required=False, max_length=40)
