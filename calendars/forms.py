from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.models import Application


class CaldavForm(forms.Form):
    url = forms.CharField(
        label=_("Server address"),
        max_length=2000,
        help_text=_(
            "For example https://cloud.example.org/remote.php/dav, https://caldav.fastmail.com or https://caldav.icloud.com."
        ),
    )
    username = forms.CharField(label=_("User name"), max_length=200)
    # Never rendered back into the page: a form shown again after an error asks for it again.
    password = forms.CharField(
        label=_("App password"),
        max_length=500,
        strip=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Make an app password for Omoikane in your calendar account; we store it encrypted."),
    )


class IcsForm(forms.Form):
    ics_url = forms.CharField(
        label=_("ICS address"),
        max_length=2000,
        help_text=_("A calendar's secret address in iCal format (it usually ends in .ics). Read only."),
    )


class LinkForm(forms.Form):
    application = forms.TypedChoiceField(label=_("Application"), coerce=int, choices=())

    def __init__(self, *args: Any, applications: list[Application], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["application"]
        if isinstance(field, forms.TypedChoiceField):
            field.choices = [(a.pk, str(a)) for a in applications]


class InterviewForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Starts"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    minutes = forms.IntegerField(label=_("Length in minutes"), min_value=5, max_value=600, initial=60)

    def clean_starts_at(self) -> dt.datetime:
        value: dt.datetime = self.cleaned_data["starts_at"]
        return value
