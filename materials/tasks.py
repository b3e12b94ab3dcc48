"""Tasks the worker runs for the materials app."""

from __future__ import annotations

from django.tasks import task

from materials.models import Material
from materials.search import do_embed_material


@task()
def embed_material(*, user_id: int, material_id: int) -> int:
    """Embed a stored material's chunks (materials.search); returns how many chunks were embedded."""

    material = Material.objects.filter(pk=material_id, user_id=user_id).select_related("user").first()
    if material is None:
        return 0  # the material or the account was deleted while the task waited
    return do_embed_material(material)
