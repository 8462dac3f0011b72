"""The form of the bureau's revocation of a credit certificate."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .common import form_helper


class CertificateRevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("reason for revoking"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown to the firm; the public page shows only that and when it was revoked."),
    )
    confirm = forms.BooleanField(
        label=_("I confirm: the certificate is revoked for good, its public page says so."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = form_helper()
