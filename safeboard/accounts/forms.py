from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.http import HttpRequest

from safeboard.core import modules

from .models import ApiToken


class SignInForm(forms.Form):
    username = forms.CharField(
        max_length=150,
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "spellcheck": "false", "autocapitalize": "none"}
        ),
    )
    password = forms.CharField(
        strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        self.request = request
        self.user: Any = None
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        username, password = data.get("username"), data.get("password")
        if username and password:
            self.user = authenticate(self.request, username=username, password=password)
            if getattr(self.request, "axes_locked_out", False):
                raise forms.ValidationError("locked", code="locked")
            if self.user is None:
                raise forms.ValidationError(
                    "Enter a correct username and password. Both are case-sensitive.",
                    code="invalid_login",
                )
        return data


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Code from your authenticator app",
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
        help_text="The 6-digit code shown in the app, for example 123456.",
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].replace(" ", "")
        if not token.isdigit() or len(token) != 6:
            raise forms.ValidationError("Enter the 6-digit code from your authenticator app")
        return token


def write_scopes() -> list[tuple[str, str]]:
    """The modules a token may be allowed to write in: those with API endpoints."""
    return [
        (module.label, str(module.verbose_name))
        for module in modules.installed()
        if module.submodule("api") is not None
    ]


class ApiTokenForm(forms.ModelForm):
    days = forms.TypedChoiceField(
        label="Expires after",
        coerce=int,
        initial=90,
        choices=[(30, "30 days"), (90, "90 days"), (365, "1 year")],
    )
    scopes = forms.MultipleChoiceField(
        label="What it may change",
        required=False,
        choices=write_scopes,
        widget=forms.CheckboxSelectMultiple,
        help_text="A token reads what you may read. Tick only what the script must change: "
        "leave all unticked for a token that only reads.",
    )

    class Meta:
        model = ApiToken
        fields = ["name"]
        help_texts = {"name": "For example: ‘Police quarterly return upload’."}
