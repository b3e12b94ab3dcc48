from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from allauth.account.models import EmailAddress
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from accounts.models import User
from applications.actions import do_add_application, do_rescore
from applications.intake import posting_from_text
from coach.evaluation import material_kind
from materials.actions import do_add_material, do_delete_material
from materials.search import do_embed_material
from privacy_kernel.audit import Actor

DEMO_DATA = Path(__file__).resolve().parents[2] / "demo_data"
# The demo candidate is the backend engineer of the shipped samples; her files are listed in labels.json.
DEMO_MATERIALS = ["cv_backend_en.md", "letter_sample_1_en.md", "letter_sample_2_en.md"]
# Two postings she considers, one in English and one in Norwegian, so the board, the fit score and the
# letter page have something to show.
DEMO_POSTINGS = ["p01_backend_fintech_en.txt", "p05_backend_nb.txt"]


class Command(BaseCommand):
    help = (
        "Create (or reset) a demo account with realistic materials, so a fresh install has something to show."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", default="demo@omoikane.example")
        parser.add_argument("--password", help="defaults to a random one, printed once")
        parser.add_argument("--reset", action="store_true", help="delete the demo account's materials first")

    def handle(self, *args: Any, email: str, password: str | None, reset: bool, **options: Any) -> None:
        actor = Actor.system("seed_demo")
        password = password or secrets.token_urlsafe(12)
        with transaction.atomic():
            user, created = User.objects.get_or_create(
                email=email, defaults={"name": "Ingrid Solberg", "language": "en"}
            )
            if created or options.get("password"):
                user.set_password(password)
                user.save(update_fields=["password"])
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            if reset:
                for material in user.materials.all():
                    do_delete_material(material, actor=actor)
            existing = set(user.materials.values_list("original_name", flat=True))
            for name in DEMO_MATERIALS:
                if name in existing:
                    continue
                path = DEMO_DATA / "materials" / name
                material = do_add_material(
                    user,
                    kind=material_kind(path),
                    title=path.stem.replace("_", " ").capitalize(),
                    actor=actor,
                    data=path.read_bytes(),
                    file_name=name,
                )
                # The demo account is ready to use without a worker: embedded and scored here.
                do_embed_material(material)
            if not user.applications.exists():
                for name in DEMO_POSTINGS:
                    posting = posting_from_text((DEMO_DATA / "postings" / name).read_text(encoding="utf-8"))
                    application = do_add_application(user, posting, actor=actor)
                    do_rescore(application, actor=actor)
        self.stdout.write(self.style.SUCCESS(f"Demo account ready: {email}"))
        if created or options.get("password"):
            self.stdout.write(f"Password: {password}")
