"""What a view calls to fetch one object of the signed-in user's: through `owned_by` (ownership.py), so
another user's id is a 404, and named as the target of the view's audit event (audit.py)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from privacy_kernel.audit import set_target


def owned_or_404[M: models.Model](
    request: HttpRequest, source: type[M] | models.QuerySet[M], **lookup: Any
) -> M:
    """The object of `source` (a model, or a queryset of it) that the request's user owns and `lookup`
    finds, made the target of the view's audit event. Another user's object is a 404, like a missing one.
    """
    queryset = source if isinstance(source, models.QuerySet) else source._default_manager.all()
    # Any queryset with owned_by(): most are OwnedQuerySets, the trace store keeps a plain user id.
    owned_by = getattr(queryset, "owned_by", None)
    if owned_by is None:
        raise TypeError(f"{queryset.model.__name__} has no owned_by(): it is not a user's data.")
    found: M = get_object_or_404(owned_by(request.user), **lookup)
    set_target(request, found)
    return found
