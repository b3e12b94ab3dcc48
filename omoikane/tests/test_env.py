from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from omoikane.env import env_bool, env_choice, env_int, env_list, env_str


def test_it_reads_booleans_strictly(monkeypatch: pytest.MonkeyPatch) -> None:
    for raw, expected in [("true", True), ("1", True), ("FALSE", False), ("0", False)]:
        monkeypatch.setenv("FLAG", raw)
        assert env_bool("FLAG", default=not expected) is expected
    for raw in ["yes", "on", "nope", "2"]:
        monkeypatch.setenv("FLAG", raw)
        with pytest.raises(ImproperlyConfigured, match="FLAG must be true, false, 1 or 0"):
            env_bool("FLAG", default=False)


def test_it_uses_the_default_only_when_unset_or_blank(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COUNT", raising=False)
    assert env_int("COUNT", 7) == 7
    monkeypatch.setenv("COUNT", "  ")
    assert env_int("COUNT", 7) == 7


def test_it_reads_bounded_integers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COUNT", "12")
    assert env_int("COUNT", 1, minimum=1, maximum=20) == 12
    monkeypatch.setenv("COUNT", "0")
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int("COUNT", 1, minimum=1)
    monkeypatch.setenv("COUNT", "1.5")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env_int("COUNT", 1)


def test_it_reads_lists_without_empty_items(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOSTS", "a.example, b.example")
    assert env_list("HOSTS", []) == ["a.example", "b.example"]
    monkeypatch.setenv("HOSTS", "a.example,,b.example")
    with pytest.raises(ImproperlyConfigured, match="without empty items"):
        env_list("HOSTS", [])


def test_it_reads_choices(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROFILE", "staging")
    with pytest.raises(ImproperlyConfigured, match="must be one of development, production"):
        env_choice("PROFILE", "development", ["development", "production"])


def test_it_requires_required_strings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TOKEN", raising=False)
    with pytest.raises(ImproperlyConfigured, match="TOKEN is required"):
        env_str("TOKEN", required=True)
