from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from materials.models import Chunk, LinkedInImport, Material
from privacy_kernel.exports import JsonFile, OwnFolder
from privacy_kernel.registry import Personal

PERSONAL = [
    Personal(
        Material,
        owner="user",
        export=OwnFolder("materials/{id}-{slug}/", note="original file, text.md, material.json"),
        files=("original",),
        label=_("materials"),
    ),
    Personal(
        Chunk,
        owner="user",
        export=JsonFile("materials/{id}-{slug}/chunks.json", note="text only, no vectors"),
        label=_("passages of your materials, with their search vectors"),
    ),
    Personal(
        LinkedInImport,
        owner="user",
        export=JsonFile(
            "materials/{id}-{slug}/linkedin-import.json", note="each imported value with its file and column"
        ),
        label=_("where your LinkedIn-imported CV came from"),
    ),
]
