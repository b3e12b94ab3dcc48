from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from materials.models import Chunk, Material
from privacy_kernel.registry import Personal

PERSONAL = [
    Personal(
        Material,
        owner="user",
        export="materials/{id}-{slug}/ (original file, text.md, material.json)",
        files=("original",),
        label=_("materials"),
    ),
    Personal(
        Chunk,
        owner="user",
        export="materials/{id}-{slug}/chunks.json (text only, no vectors)",
        label=_("passages of your materials, with their search vectors"),
    ),
]
