from __future__ import annotations

import subprocess
import sys

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy

from omoikane.errors import Refused


class _Reading(Refused):
    messages = {"empty": gettext_lazy("The pasted text is empty.")}


def test_it_keeps_the_code_and_the_message_it_was_given() -> None:
    refusal = Refused("quota", "Delete an old material first.")
    assert (refusal.code, refusal.message) == ("quota", "Delete an old material first.")


def test_it_finds_the_message_for_a_code_given_alone() -> None:
    assert _Reading("empty").message == "The pasted text is empty."
    with pytest.raises(KeyError):
        _ = _Reading("unknown").message


def test_it_translates_a_lazy_message_when_it_is_read() -> None:
    refusal = _Reading("empty")
    with translation.override("de"):
        assert refusal.message != "The pasted text is empty."
    assert refusal.message == "The pasted text is empty."


def test_it_does_not_load_django() -> None:
    # The sandboxed extraction worker raises refusals and must not load Django.
    code = "import sys, omoikane.errors; print('django' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
