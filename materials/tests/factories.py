from __future__ import annotations

from accounts.models import User
from materials.actions import do_add_material
from materials.models import Material
from omoikane.testing import run_queued
from privacy_kernel.audit import Actor

CV_TEXT = """# Alice Andersen
Backend engineer · Oslo

## Experience
### Senior Backend Engineer — Fjordpay AS (2021–present)
- Rebuilt the card-settlement pipeline in Python and Django; settlement lag fell from 6 hours to 12 minutes.
- Designed the PostgreSQL schema and partitioning for 400 million ledger rows.
- Ran the migration to Kubernetes with Terraform and Argo CD.

## Skills
Python, Django, PostgreSQL, Kafka, Kubernetes, Terraform.
"""

LETTER_TEXT = """Dear Ms Berg,

I would like to bring my seven years of payments experience to your platform team.

At Fjordpay I rebuilt the settlement pipeline and cut the lag from hours to minutes.

Kind regards,
Alice Andersen
"""


def add_material(
    user: User, *, kind: str = Material.Kind.CV, text: str = CV_TEXT, title: str = "CV", as_file: bool = False
) -> Material:
    """A material added through the real action and embedded as the worker embeds it; `as_file` uploads
    the text as a Markdown file."""
    if as_file:
        material = do_add_material(
            user,
            kind=kind,
            title=title,
            actor=Actor.system("test"),
            data=text.encode(),
            file_name=f"{title}.md",
        )
    else:
        material = do_add_material(user, kind=kind, title=title, actor=Actor.system("test"), pasted_text=text)
    run_queued("embed_material", user_id=user.pk, material_id=material.pk)
    material.refresh_from_db()
    return material
