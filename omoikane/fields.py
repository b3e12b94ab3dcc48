"""Form fields shared by the apps."""

from __future__ import annotations

from typing import Any

from django import forms

from omoikane.numbers import MAX_ID, parse_int


class IdField(forms.IntegerField):
    """A row's key (or a version's number) from a query string or a hidden input, read by `parse_int`.

    Django's IntegerField takes "٣" for 3 and any number of digits; this one takes ASCII digits within a
    database key's range, so an odd value is "Enter a whole number." and never reaches a query.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        number = parse_int(str(value).strip(), minimum=0)
        if number is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return number
