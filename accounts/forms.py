from __future__ import annotations

import zoneinfo
from typing import Any

from django import forms
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.models import User


class SignupForm(forms.Form):
    """allauth builds its sign-up form on top of this one: email and passwords come from allauth."""

    name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        required=False,
        help_text=_("Used in your letters' signature. You can change it later."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    def signup(self, request: HttpRequest, user: User) -> None:
        user.name = self.cleaned_data["name"].strip()
        user.save(update_fields=["name"])


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class ProfileForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150, required=False)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    # Optional in the form so that a post without it (an older page) keeps the zone the user has.
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=time_zone_choices,
        required=False,
        help_text=_("Calendar events and your private calendar feed use it."),
    )

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        if any(ord(ch) < 32 for ch in name):
            raise forms.ValidationError(_("The name cannot contain control characters."))
        return name


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    next = forms.CharField(required=False, max_length=2000)

    def initial_from(self, user: Any) -> None:
        self.initial["language"] = user.language
