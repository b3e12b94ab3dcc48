"""Canaries for the completeness tests: a unique marker in every text field and file of a user's rows,
walked from the personal-data registry, and scans of every database, storage tree and cache for them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connections, models

from accounts.models import User
from privacy_kernel.chain import maintenance
from privacy_kernel.registry import Personal, personal_models

# Fields that take no canary, and why.
LINK_FIELDS = {
    "usersessions.UserSession.session_key": "links the UserSession to its Session row, which is how the "
    "Session lookup finds a user's sessions; changing it would hide the Session from erasure and scan alike",
    "admin.LogEntry.object_id": "the id of the account the operator changed, which is how the lookup finds "
    "the entry",
    # Where an archive object is and what it verifies against: a canary there would hide the object from the
    # export and the erasure that the test is about. The object itself is named by the user id, which the
    # storage scan looks for.
    "privacy.AuditArchive.storage": "the STORAGES alias the object is in",
    "privacy.AuditArchive.path": "the object's name in the archive storage",
    "privacy.AuditArchive.start_hash": "a chain hash the object's entries continue from, no content",
    "privacy.AuditArchive.end_hash": "the chain hash the object's entries end at, no content",
    "privacy.AuditArchive.recipients": "the public keys the object is encrypted to, no content",
    "privacy.AuditChainStart.entry_hash": "a chain hash, no content",
    # The erasure job's own state. The ledger id is what is meant to remain (opaque); the counts become the
    # receipt and the job's result (numbers only); the steps are the job's progress.
    "privacy.ErasureRequest.ledger_id": "kept on purpose as the ledger entry: an opaque keyed hash",
    "privacy.ErasureRequest.counts": "numbers per store, kept as the erasure task's result",
    "privacy.ErasureRequest.steps_done": "the names of the job's steps",
}
# Personal models a fully used account may still have no rows in, and why.
MAY_BE_EMPTY = {
    "account.EmailConfirmation": "allauth confirms addresses with signed HMAC keys "
    "(ACCOUNT_EMAIL_CONFIRMATION_HMAC), so no confirmation is ever stored",
}
# Made by the erasure itself: filled in after the request.
MADE_BY_ERASURE = {"privacy.ErasureRequest"}
CANARY_LENGTH = 8


@dataclass
class Planted:
    # canary → (model label, field name, pk)
    fields: dict[str, tuple[str, str, Any]] = field(default_factory=dict)
    # canary → (model label, file field name, pk)
    files: dict[str, tuple[str, str, Any]] = field(default_factory=dict)
    rows: dict[str, set[Any]] = field(default_factory=dict)
    counter: int = 0
    # A run-unique prefix where the scan reads raw files that other runs also wrote (PostgreSQL's WAL).
    prefix: str = "cnry"

    def next(self) -> str:
        self.counter += 1
        return f"{self.prefix}{self.counter:04d}"

    @property
    def all(self) -> set[str]:
        return set(self.fields) | set(self.files)


def _text_fields(model: type[models.Model]) -> Iterator[models.Field[Any, Any]]:
    for model_field in model._meta.concrete_fields:
        if model_field.primary_key or model_field.choices or model_field.is_relation:
            continue
        if f"{model._meta.label}.{model_field.name}" in LINK_FIELDS:
            continue
        if isinstance(model_field, models.CharField):
            if (model_field.max_length or 0) >= CANARY_LENGTH:
                yield model_field
        elif isinstance(model_field, models.TextField | models.JSONField):
            yield model_field


def _with_canary(model_field: models.Field[Any, Any], current: Any, canary: str) -> Any:
    if not isinstance(model_field, models.JSONField):
        return canary
    # Merged in, not replacing: a lookup may read the value (a task's kwargs carry the user's id).
    if isinstance(current, dict):
        return {**current, "canary": canary}
    if isinstance(current, list):
        return [*current, canary]
    return canary


def plant(user: User, planted: Planted, entries: list[Personal] | None = None) -> Planted:
    """Put a canary into every text field and every file of every row `rows_of(user)` gives."""
    for entry in entries if entries is not None else personal_models():
        label = entry.model._meta.label
        rows = list(entry.rows_of(user))
        planted.rows[label] = {row.pk for row in rows}
        for row in rows:
            manager = type(row)._default_manager.db_manager(row._state.db)
            changes = {}
            for model_field in _text_fields(entry.model):
                canary = planted.next()
                changes[model_field.attname] = _with_canary(
                    model_field, getattr(row, model_field.attname), canary
                )
                planted.fields[canary] = (label, model_field.name, row.pk)
            # Through the plain QuerySet: a model that refuses changes (a sent letter) must still take the
            # canary, since planting is the test's doing, not the product's.
            with maintenance():
                models.QuerySet(type(row), using=manager.db).filter(pk=row.pk).update(**changes)
            for file_field in entry.files:
                stored = getattr(row, file_field)
                if not stored or not stored.name:
                    continue
                canary = planted.next()
                stored.storage.delete(stored.name)
                saved = stored.storage.save(stored.name, ContentFile(f"file {canary} end".encode()))
                if saved != stored.name:
                    raise AssertionError(f"{label}.{file_field} was saved as {saved}, not {stored.name}")
                planted.files[canary] = (label, file_field, row.pk)
    # A canary that changed how rows are found would make erasure and scan miss them both.
    for entry in entries if entries is not None else personal_models():
        label = entry.model._meta.label
        if {row.pk for row in entry.rows_of(user)} != planted.rows[label]:
            raise AssertionError(f"Planting canaries changed which {label} rows belong to the user")
    return planted


def _cells(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return str(value)


def database_hits(patterns: list[re.Pattern[str]]) -> list[str]:
    """Every table of every database, every column, every row: where a pattern matches."""
    hits: list[str] = []
    for alias in settings.DATABASES:
        connection = connections[alias]
        with connection.cursor() as cursor:
            for table in connection.introspection.table_names(cursor):
                cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
                columns = [column[0] for column in cursor.description]
                for row in cursor.fetchall():
                    for column, value in zip(columns, row, strict=True):
                        text = _cells(value)
                        for pattern in patterns:
                            if pattern.search(text):
                                hits.append(f"{alias}.{table}.{column}: {pattern.pattern}")
    return hits


def storage_roots() -> list[Path]:
    roots = [Path(settings.MEDIA_ROOT)]
    archive = storages["archive"]
    if hasattr(archive, "location"):
        roots.append(Path(archive.location))
    return roots


def storage_hits(patterns: list[re.Pattern[str]]) -> list[str]:
    hits: list[str] = []
    for root in storage_roots():
        for path in sorted(root.rglob("*")) if root.exists() else []:
            if path.is_file():
                text = path.read_bytes().decode("latin-1")
                hits.extend(f"{path}: {p.pattern}" for p in patterns if p.search(text))
    return hits


def user_id_in_foreign_keys(user_id: int) -> list[str]:
    """Rows of any model whose foreign key to the user model still holds the id."""
    found: list[str] = []
    for model in apps.get_models():
        for model_field in model._meta.concrete_fields:
            if model_field.is_relation and model_field.related_model is User:
                count = model._default_manager.filter(**{model_field.attname: user_id}).count()
                if count:
                    found.append(f"{model._meta.label}.{model_field.name}: {count}")
    if User.objects.filter(pk=user_id).exists():
        found.append("accounts.User: the row itself")
    return found
