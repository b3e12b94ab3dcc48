"""'Owned by' querysets. Views fetch user data only through `owned_by(user)`, so another user's id is a
404 and never reaches an action. The owner path comes from the personal-data registry, the one place
that already has to know it."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models

from privacy_kernel.registry import owner_path

_M = TypeVar("_M", bound=models.Model)


class OwnedQuerySet(models.QuerySet[_M]):
    def owned_by(self, user: Any) -> OwnedQuerySet[_M]:
        if not getattr(user, "is_authenticated", False):
            return self.none()
        path = owner_path(self.model)
        return self.filter(pk=user.pk) if path == "" else self.filter(**{path: user})
