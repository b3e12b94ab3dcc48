from __future__ import annotations

from accounts.models import User
from applications.drafting.actions import do_request_draft
from applications.drafting.generate import run_generation
from applications.models import Application, DraftGeneration, DraftVersion
from applications.tests.drafting.doubles import ScriptedProvider
from applications.tests.factories import add_application
from coach.providers.base import DraftInstructions, Provider
from materials.models import Material
from materials.tests.factories import LETTER_TEXT, add_material
from privacy_kernel.audit import Actor
from privacy_kernel.events import ActorKind

LETTER = """Dear Hiring Team,

At Fjordpay I rebuilt the card-settlement pipeline in Python and Django; \
settlement lag fell from 6 hours to 12 minutes.

I designed the PostgreSQL schema and partitioning for 400 million ledger rows, \
and I ran the migration to Kubernetes with Terraform.

I look forward to hearing from you.

Kind regards,
Alice Andersen"""


def applicant(user: User) -> Application:
    """A user with a CV and a letter sample, and an application to write to."""
    add_material(user)
    add_material(user, kind=Material.Kind.LETTER, text=LETTER_TEXT, title="Letter to Nordlys")
    return add_application(user)


def as_user(user: User) -> Actor:
    return Actor(kind=ActorKind.USER, user=user)


def request(application: Application, **instructions: object) -> DraftGeneration:
    wishes = DraftInstructions(language="en", **instructions)  # type: ignore[arg-type]
    return do_request_draft(application, wishes, actor=as_user(application.user))


def draft(application: Application, text: str = LETTER, provider: Provider | None = None) -> DraftVersion:
    """A drafted version, written the way the worker writes it."""
    generation = request(application)
    version = run_generation(generation, provider=provider or ScriptedProvider(text))
    assert version is not None
    return version
