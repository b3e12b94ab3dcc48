from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from applications.models import Application, Reply, Status
from applications.replies.parse import MAX_EML_BYTES as MAX_EML_BYTES

EML_TOO_LARGE = _("This email is larger than 5 MB.")
TOO_LONG = _("This is longer than any posting (%(max)d characters at most). Paste only the posting itself.")


class AddPostingForm(forms.Form):
    url = forms.URLField(
        label=_("Web address of the posting"),
        required=False,
        max_length=2000,
        assume_scheme="https",
        help_text=_("We fetch the page once and read the posting from it."),
    )
    text = forms.CharField(
        label=_("…or paste the posting"), required=False, widget=forms.Textarea(attrs={"rows": 12})
    )

    def clean_text(self) -> str:
        text: str = self.cleaned_data["text"]
        if len(text) > settings.POSTING_MAX_CHARS:
            raise forms.ValidationError(TOO_LONG % {"max": settings.POSTING_MAX_CHARS})
        return text

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        has_url, has_text = bool(cleaned.get("url")), bool((cleaned.get("text") or "").strip())
        if has_url and has_text:
            raise forms.ValidationError(_("Give a web address or paste the text, not both."))
        if not has_url and not has_text and not self.errors:
            raise forms.ValidationError(_("Give the web address of the posting or paste its text."))
        return cleaned


class PostingForm(forms.ModelForm[Application]):
    class Meta:
        model = Application
        fields = [
            "title",
            "company",
            "location",
            "language",
            "deadline",
            "employment_type",
            "source_url",
            "posting_text",
        ]
        widgets = {
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "language": forms.Select(choices=[("", "—"), *settings.LANGUAGES]),
            "posting_text": forms.Textarea(attrs={"rows": 18}),
        }

    def clean_posting_text(self) -> str:
        text: str = self.cleaned_data["posting_text"]
        if len(text) > settings.POSTING_MAX_CHARS:
            raise forms.ValidationError(TOO_LONG % {"max": settings.POSTING_MAX_CHARS})
        return text


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)


class NotesForm(forms.Form):
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=20_000, widget=forms.Textarea(attrs={"rows": 5})
    )


class FollowUpForm(forms.Form):
    ACTIONS = [("set", _("Set date")), ("snooze", _("Snooze")), ("done", _("Done"))]
    # Chosen by the button pressed (each is named "action"); a select beside them showed an untranslated
    # "Action" label and could contradict the button.
    action = forms.ChoiceField(choices=ACTIONS, widget=forms.HiddenInput)
    on = forms.DateField(
        label=_("Follow up on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    days = forms.IntegerField(label=_("Snooze for (days)"), required=False, min_value=1, max_value=60)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("action") == "set" and not cleaned.get("on"):
            raise forms.ValidationError(_("Choose a date."))
        return cleaned


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Paste the reply"),
        required=False,
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    eml = forms.FileField(label=_("…or upload the email (.eml)"), required=False)

    def clean_eml(self) -> Any:
        upload = self.cleaned_data.get("eml")
        if upload is not None and upload.size > MAX_EML_BYTES:
            raise forms.ValidationError(EML_TOO_LARGE)
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        has_file, has_text = cleaned.get("eml") is not None, bool((cleaned.get("text") or "").strip())
        if has_file and has_text:
            raise forms.ValidationError(_("Paste the reply or upload it, not both."))
        if not has_file and not has_text and not self.errors:
            raise forms.ValidationError(_("Paste the reply or upload the .eml file."))
        return cleaned


class ConfirmReplyForm(forms.Form):
    kind = forms.ChoiceField(label=_("This reply is"), choices=Reply.Kind.choices)


SORTS = {
    "score": "score",
    "deadline": "deadline",
    "status": "status",
    "company": "company",
    "updated": "updated_at",
}


class TableForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All")), *Status.choices])
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("updated", _("Last change")),
            ("score", _("Fit score")),
            ("deadline", _("Deadline")),
            ("status", _("Status")),
            ("company", _("Company")),
        ],
    )
    order = forms.ChoiceField(
        label=_("Order"), required=False, choices=[("desc", _("Descending")), ("asc", _("Ascending"))]
    )
