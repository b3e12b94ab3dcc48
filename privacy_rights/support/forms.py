from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from privacy_rights.support.actions import REASON_MAX_LENGTH, allowed_durations, describe_duration


def _hours(duration: timedelta) -> int:
    return int(duration.total_seconds() // 3600)


class GrantForm(forms.Form):
    duration = forms.TypedChoiceField(
        label=_("For how long"),
        coerce=lambda value: timedelta(hours=int(value)),
        error_messages={"invalid_choice": _("Choose one of the offered durations.")},
    )
    reason = forms.CharField(
        label=_("What should support help you with?"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Support sees this text. Up to 500 characters."),
        error_messages={"required": _("Say what support should help you with.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Offered at request time, so the choices follow the settings.
        field = cast(forms.TypedChoiceField, self.fields["duration"])
        field.choices = [(str(_hours(d)), describe_duration(d)) for d in allowed_durations()]
        field.initial = str(_hours(allowed_durations()[0]))
