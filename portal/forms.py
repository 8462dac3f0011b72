from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from .models import User
from .pickers import picker_field


class SignInForm(AuthenticationForm):
    """Django's sign-in form, with the user name's length checked before anyone looks it up:
    Django sets the field's max_length after the field is made, so without this a 100,000-
    character name reached authenticate() and the lockout's record of the attempt (a 500)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))


class UserForm(forms.ModelForm):
    """An account: its role and the one area, firm or compound the role is bound to."""

    class Meta:
        model = User
        fields = [
            "username",
            "full_name",
            "email",
            "phone",
            "role",
            "street",
            "community",
            "firm",
            "compound",
            "department",
            "is_active",
        ]
        help_texts = {
            "role": _(
                "Street officers need a street, community officers a community, firm users a firm, "
                "owners' committees a compound, department accounts a department; bureau and "
                "association accounts need none."
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Searchable pickers that name the street and code: 248 communities, 1,500 compounds.
        for name in ("street", "community", "firm", "compound"):
            picker_field(self, name, name)


class UserCreateForm(UserForm):
    password = forms.CharField(
        label=_("Initial password"),
        widget=forms.PasswordInput(render_value=False),
        help_text=password_validation.password_validators_help_text_html(),
    )

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password")
        if password:
            candidate = User(
                username=cleaned.get("username", ""),
                full_name=cleaned.get("full_name", ""),
                email=cleaned.get("email", ""),
            )
            try:
                password_validation.validate_password(password, candidate)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return cleaned


class PasswordResetForm(forms.Form):
    password = forms.CharField(label=_("New password"), widget=forms.PasswordInput)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        password_validation.validate_password(password, self.user)
        return password


class UserSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    role = forms.ChoiceField(
        label=_("Role"),
        required=False,
        choices=[("", _("All roles")), *User._meta.get_field("role").choices],
    )


class MfaCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The 6 digits your authenticator app shows, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )
