from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User


class ConfirmErasureForm(forms.Form):
    email = forms.CharField(label=_("Type your email address to confirm"), max_length=320)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_email(self) -> str:
        typed = str(self.cleaned_data["email"]).strip()
        if typed.lower() != self.user.email.lower():
            raise forms.ValidationError(
                _("That is not the address you sign in with. Type %(email)s to confirm.")
                % {"email": self.user.email}
            )
        return typed
