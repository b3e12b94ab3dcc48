"""The personal-data registry: every model says whether it holds personal data, and if so how to reach it
from its owner, where it goes in an export (typed places from exports.py), and what it points to outside the
SQL database.

Each app declares its own models in `<app>/privacy.py` (lists named PERSONAL and NOT_PERSONAL). Export,
erasure and the "owned by" querysets read this registry, so a model that is not declared cannot be
forgotten by them: a test fails first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db import models
from django.utils.functional import Promise

from privacy_kernel.exports import Export

if TYPE_CHECKING:
    from accounts.models import User


@dataclass(frozen=True)
class Personal:
    model: type[models.Model]
    # ORM path from the model to its owning user ("user", "application__user"); "" for the user itself.
    owner: str | None
    # Where the rows go in the export zip: a place from exports.py (JsonFile("account.json"),
    # JsonPerRow("applications/{slug}/replies/"), ...), a tuple of them when the rows go to two places, or
    # NotExported("why").
    export: Export
    # File fields whose objects live in object storage and must follow the row (export and erasure).
    files: tuple[str, ...] = ()
    # Other stores holding data derived from the row (the trace store, audit archives).
    outside: tuple[str, ...] = ()
    # For models without a foreign-key path to the user (sessions, queued tasks): how to find a user's rows.
    lookup: Callable[[User], models.QuerySet[Any]] | None = field(default=None, compare=False)
    # What the user calls these rows, in their language: the erasure receipt lists them by it.
    label: str | Promise = ""

    def __post_init__(self) -> None:
        if self.owner is None and self.lookup is None:
            raise ValueError(f"{self.model.__name__}: a personal model needs an owner path or a lookup.")
        if not str(self.label).strip():
            raise ValueError(f"{self.model.__name__}: say what the user calls these rows (label).")
        if self.export == ():
            raise ValueError(f"{self.model.__name__}: name a place in the export, or say NotExported(why).")

    def rows_of(self, user: User) -> models.QuerySet[Any]:
        if self.lookup is not None:
            return self.lookup(user)
        if self.owner == "":
            return self.model._default_manager.filter(pk=user.pk)
        return self.model._default_manager.filter(**{str(self.owner): user})


@dataclass(frozen=True)
class NotPersonal:
    model: type[models.Model]
    why: str

    def __post_init__(self) -> None:
        if not self.why.strip():
            raise ValueError(f"{self.model.__name__}: say why it holds no personal data.")


Declaration = Personal | NotPersonal


def privacy_modules() -> Iterator[ModuleType]:
    """Each installed app's `privacy` module, where it declares its models and outside stores."""
    for app_config in apps.get_app_configs():
        try:
            yield import_module(f"{app_config.name}.privacy")
        except ModuleNotFoundError as error:
            # Only a missing privacy module means "nothing to declare"; a broken import inside one is a bug.
            if error.name != f"{app_config.name}.privacy":
                raise


@cache
def declarations() -> dict[type[models.Model], Declaration]:
    """All declarations, from every installed app's privacy module. A model declared twice is an error."""
    found: dict[type[models.Model], Declaration] = {}
    for module in privacy_modules():
        entries: Iterable[Declaration] = [
            *getattr(module, "PERSONAL", []),
            *getattr(module, "NOT_PERSONAL", []),
        ]
        for entry in entries:
            if entry.model in found:
                raise ValueError(
                    f"{entry.model._meta.label} is declared twice in the personal-data registry."
                )
            found[entry.model] = entry
    return found


def undeclared_models() -> list[str]:
    declared = declarations()
    return sorted(model._meta.label for model in apps.get_models() if model not in declared)


def personal_models() -> list[Personal]:
    return [entry for entry in declarations().values() if isinstance(entry, Personal)]


def owner_path(model: type[models.Model]) -> str:
    entry = declarations().get(model)
    if not isinstance(entry, Personal) or entry.owner is None:
        raise LookupError(f"{model._meta.label} has no owner path in the personal-data registry.")
    return entry.owner
