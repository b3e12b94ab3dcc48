"""Sends the LLM trace store to its own database alias and everything else to the default one."""

from __future__ import annotations

from typing import Any

from django.db import models

TRACES = "traces"
# (app label, model name) of every model that lives in the trace store.
_TRACE_MODELS = {("coach", "llmtrace")}


def _is_trace(model: type[models.Model] | models.Model) -> bool:
    # Reads _meta rather than type(): instances may come wrapped in a lazy proxy (request.user).
    return (model._meta.app_label, model._meta.model_name) in _TRACE_MODELS


class TraceRouter:
    def db_for_read(self, model: type[models.Model], **hints: Any) -> str:
        return TRACES if _is_trace(model) else "default"

    def db_for_write(self, model: type[models.Model], **hints: Any) -> str:
        return TRACES if _is_trace(model) else "default"

    def allow_relation(self, obj1: models.Model, obj2: models.Model, **hints: Any) -> bool | None:
        # A trace names its user by id only: no foreign key may cross the two databases.
        if _is_trace(obj1) != _is_trace(obj2):
            return False
        return None

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        is_trace = (app_label, model_name) in _TRACE_MODELS
        return db == TRACES if is_trace else db != TRACES
