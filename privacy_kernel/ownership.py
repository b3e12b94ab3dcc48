"""'Owned by' querysets. Views fetch user data only through `owned_by(user)`, so another user's id is a
404 and never reaches an action. The owner path comes from the personal-data registry, the one place
that already has to know it."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from privacy_kernel.audit import set_target
from privacy_kernel.registry import owner_path

_M = TypeVar("_M", bound=models.Model)


class OwnedQuerySet(models.QuerySet[_M]):
    def owned_by(self, user: Any) -> OwnedQuerySet[_M]:
        if not getattr(user, "is_authenticated", False):
            return self.none()
        path = owner_path(self.model)
        return self.filter(pk=user.pk) if path == "" else self.filter(**{path: user})


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
