"""Names of materials for the activity page (privacy_kernel/descriptions.py)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from materials.models import Material
from privacy_kernel.descriptions import names


@names("materials.material")
def _materials(user: Any, ids: Collection[str]) -> Mapping[str, str]:
    found = (
        Material.objects.owned_by(user)
        .filter(pk__in=[int(i) for i in ids if i.isdigit()])
        .only("id", "title")
    )
    return {str(material.pk): material.title for material in found}
