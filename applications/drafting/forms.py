from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import SentVersion
from omoikane.fields import IdField

MAX_LETTER_CHARS = 20_000

# The tone as the model reads it (English, inside the prompt), and as the user picks it.
TONES = {
    "": "",
    "professional": "professional and friendly",
    "formal": "formal",
    "warm": "warm and personal",
    "direct": "direct and concise",
}
LENGTHS = {"short": 200, "medium": 300, "long": 400}


class DraftForm(forms.Form):
    tone = forms.ChoiceField(
        label=_("Tone"),
        required=False,
        choices=[
            ("", _("Like my past letters")),
            ("professional", _("Professional and friendly")),
            ("formal", _("Formal")),
            ("warm", _("Warm and personal")),
            ("direct", _("Direct and concise")),
        ],
    )
    length = forms.ChoiceField(
        label=_("Length"),
        initial="medium",
        choices=[
            ("short", _("Short (about 200 words)")),
            ("medium", _("Medium (about 300 words)")),
            ("long", _("Long (about 400 words)")),
        ],
    )
    language = forms.ChoiceField(
        label=_("Language of the letter"),
        required=False,
        choices=[("", _("The posting's language")), *settings.LANGUAGES],
    )
    stress = forms.CharField(
        label=_("What to stress"),
        required=False,
        max_length=500,
        help_text=_("For example: my PostgreSQL work, or that I can start in January."),
    )


class EditForm(forms.Form):
    text = forms.CharField(
        label=_("Your letter"),
        required=False,
        max_length=MAX_LETTER_CHARS,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 22}),
    )
    based_on = IdField(required=False, widget=forms.HiddenInput)


class RegenerateForm(forms.Form):
    instruction = forms.CharField(
        label=_("How should the next draft differ?"),
        max_length=500,
        help_text=_("For example: shorter, or mention the Kafka work."),
        error_messages={"required": _("Say how the next draft should differ.")},
    )


class SendForm(forms.Form):
    channel = forms.ChoiceField(label=_("Sent by"), choices=SentVersion.Channel.choices)
    sent_on = forms.DateField(
        label=_("Sent on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    # Left out (an older page, a script) means ragged right, the default.
    justify = forms.ChoiceField(
        label=_("Paragraphs in the PDF"),
        choices=[("ragged", _("Ragged right")), ("justified", _("Justified"))],
        initial="ragged",
        required=False,
    )
    confirm = forms.BooleanField(
        label=_("I checked the flagged details and want to send this version as it is."), required=False
    )

    def clean_sent_on(self) -> dt.date:
        sent_on: dt.date = self.cleaned_data["sent_on"]
        if sent_on > timezone.localdate() + dt.timedelta(days=1):
            raise forms.ValidationError(_("The date is in the future. Mark the letter as sent once it is."))
        return sent_on


class DiffForm(forms.Form):
    old = IdField(label=_("Compare version"))
    new = IdField(label=_("with version"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("old") is not None and cleaned.get("old") == cleaned.get("new"):
            raise forms.ValidationError(_("Choose two different versions."))
        return cleaned
