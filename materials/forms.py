from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from materials.models import Material


def _upload_help_now() -> str:
    return gettext("PDF, Word (DOCX), OpenDocument (ODT), Markdown or plain text, up to %(max)d MB.") % {
        "max": settings.MATERIAL_MAX_BYTES // 2**20
    }


# Filled in when the form is shown, in the user's language: `_(...) % ...` in the class body would be
# translated once, at import, in the default language (Greek pages once showed this line in English).
_upload_help = lazy(_upload_help_now, str)


class AddMaterialForm(forms.Form):
    kind = forms.ChoiceField(label=_("What is it?"), choices=Material.Kind.choices, initial=Material.Kind.CV)
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_(
            "For example “CV – backend roles” or “Letter to Fjordpay, 2025”. Defaults to the file name."
        ),
    )
    file = forms.FileField(
        label=_("Upload a file"),
        required=False,
        help_text=_upload_help(),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.docx,.odt,.md,.markdown,.txt,application/pdf,text/plain,text/markdown"}
        ),
    )
    text = forms.CharField(
        label=_("…or paste the text"),
        required=False,
        max_length=settings.MATERIAL_MAX_PASTE_CHARS,
        widget=forms.Textarea(attrs={"rows": 10}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload is not None and upload.size > settings.MATERIAL_MAX_BYTES:
            raise forms.ValidationError(
                _("This file is larger than %(max)d MB.") % {"max": settings.MATERIAL_MAX_BYTES // 2**20}
            )
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        has_file = cleaned.get("file") is not None
        has_text = bool((cleaned.get("text") or "").strip())
        if has_file and has_text:
            raise forms.ValidationError(_("Upload a file or paste text, not both."))
        if not has_file and not has_text and not self.errors:
            raise forms.ValidationError(_("Upload a file or paste the text of your material."))
        return cleaned


class MaterialTextForm(forms.Form):
    text = forms.CharField(
        label=_("Text"),
        max_length=settings.MATERIAL_MAX_PASTE_CHARS,
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "true"}),
        help_text=_("Headings start with #, bullets with -. Scoring and drafting use exactly this text."),
    )


class LinkedInImportForm(forms.Form):
    file = forms.FileField(
        label=_("Your LinkedIn data export (zip)"),
        help_text=_(
            "On LinkedIn: Settings → Data privacy → Get a copy of your data. We never log in to LinkedIn."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )


class LinkedInChoiceForm(forms.Form):
    choice = forms.ChoiceField(choices=[("import", "import"), ("mine", "mine")])
