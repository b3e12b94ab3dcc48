from __future__ import annotations

from materials.models import Chunk, Material
from privacy.registry import Personal

PERSONAL = [
    Personal(
        Material,
        owner="user",
        export="materials/{id}-{slug}/ (original file, text.md, material.json)",
        files=("original",),
    ),
    Personal(Chunk, owner="user", export="materials/{id}-{slug}/chunks.json (text only, no vectors)"),
]
