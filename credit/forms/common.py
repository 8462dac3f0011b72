"""What the credit app's forms share."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _


def form_helper() -> FormHelper:
    """Crispy rendering of the fields only: the template writes the <form> tag."""
    helper = FormHelper()
    helper.form_tag = False
    return helper


def year_field(**kwargs) -> forms.IntegerField:
    return forms.IntegerField(label=_("year"), min_value=2000, max_value=2100, **kwargs)


class DecisionForm(forms.Form):
    """A decision with a date to keep (decide_by): once the date has passed (`late`), the form
    asks why the decision is late, and the decision is refused without it."""

    delay_reason = forms.CharField(
        label=_("reason for the delay"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The decision date has passed: say why the decision is late."),
    )

    def __init__(self, *args, late: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if late:
            self.fields["delay_reason"].required = True
            self.order_fields([name for name in self.fields if name != "delay_reason"])
        else:
            del self.fields["delay_reason"]
        self.helper = form_helper()
