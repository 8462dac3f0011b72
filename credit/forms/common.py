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
