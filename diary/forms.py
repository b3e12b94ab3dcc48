from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from diary.actions import (
    MAX_APPROACH_CHARS,
    MAX_TEXT_CHARS,
    DiaryError,
    check_approach_name,
    check_date,
    check_text,
)
from diary.models import Approach, Kind


class EntryForm(forms.Form):
    """One entry. The application list is the user's own, fetched once by the view for every form."""

    text = forms.CharField(
        label=_("What did you do or try?"),
        max_length=MAX_TEXT_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write what happened.")},
    )
    outcome = forms.CharField(
        label=_("What came of it? (optional)"),
        required=False,
        max_length=MAX_TEXT_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("You can add this later, when you know."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices, initial=Kind.TRIED)
    occurred_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    application = forms.ChoiceField(label=_("Application (optional)"), required=False)
    approaches = forms.MultipleChoiceField(
        label=_("Approaches you tried (optional)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose among your approaches.")},
        help_text=_("With an application chosen, the insights count it as tried with these approaches."),
    )

    def __init__(
        self,
        *args: Any,
        applications: Sequence[Application],
        approaches: Sequence[Approach] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.applications = {str(a.pk): a for a in applications}
        field = cast(forms.ChoiceField, self.fields["application"])
        field.choices = [("", "—"), *((str(a.pk), str(a)) for a in applications)]
        self.approach_choices = {str(a.pk): a for a in approaches}
        if approaches:
            tags = cast(forms.MultipleChoiceField, self.fields["approaches"])
            tags.choices = [(str(a.pk), a.name) for a in approaches]
        else:
            # Nothing to choose from: no empty box, and an edit leaves the entry's tags alone.
            del self.fields["approaches"]
        if not self.is_bound and "occurred_on" not in self.initial:
            self.initial["occurred_on"] = timezone.localdate()

    def clean_text(self) -> str:
        try:
            return check_text(self.cleaned_data["text"])
        except DiaryError as error:
            raise forms.ValidationError(str(error)) from error

    def clean_outcome(self) -> str:
        return check_text(self.cleaned_data["outcome"], required=False)

    def clean_occurred_on(self) -> Any:
        try:
            return check_date(self.cleaned_data["occurred_on"])
        except DiaryError as error:
            raise forms.ValidationError(str(error)) from error

    def clean_application(self) -> Application | None:
        # ChoiceField has already refused a value that is not one of the user's applications.
        value = self.cleaned_data["application"]
        return self.applications[value] if value else None

    def clean_approaches(self) -> list[Approach]:
        return [self.approach_choices[value] for value in self.cleaned_data["approaches"]]


class ApproachForm(forms.Form):
    name = forms.CharField(
        label=_("Name an approach you try"),
        max_length=MAX_APPROACH_CHARS,
        help_text=_("For example: a referral, a shorter letter, a call before applying."),
        error_messages={"required": _("Name the approach.")},
    )

    def clean_name(self) -> str:
        try:
            return check_approach_name(self.cleaned_data["name"])
        except DiaryError as error:
            raise forms.ValidationError(str(error)) from error


class TagForm(forms.Form):
    """Which of the user's applications to tag; the view passes the ones not tagged yet."""

    application = forms.ChoiceField(
        label=_("Application"), error_messages={"invalid_choice": _("Choose one of your applications.")}
    )

    def __init__(self, *args: Any, applications: Sequence[Application], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.applications = {str(a.pk): a for a in applications}
        field = cast(forms.ChoiceField, self.fields["application"])
        field.choices = [(str(a.pk), str(a)) for a in applications]

    def clean_application(self) -> Application:
        return self.applications[self.cleaned_data["application"]]


class WeeklyReviewForm(forms.Form):
    weekly_review = forms.BooleanField(
        label=_("Email me a weekly review"),
        required=False,
        help_text=_(
            "Once a week, in your language: what happened, what is due, and one suggestion when your data "
            "support one. It names titles and companies only."
        ),
    )
