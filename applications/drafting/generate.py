"""Writing one letter: the prompt, the model call with live progress and cancelling, the checks, and
the version. The worker's task (applications.drafting.tasks) calls run_generation(); so do tests and
the benchmark, with a provider of their own."""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from applications.actions import do_change_status
from applications.models import Application, DraftGeneration, DraftVersion, Status
from coach.checks import Sources, check_draft, name_from_cv
from coach.llm import complete as llm_complete
from coach.prompts import build_prompt
from coach.providers.base import (
    Cancelled,
    Completion,
    DraftInstructions,
    Grounding,
    Prompt,
    Provider,
    ProviderError,
)
from coach.retrieval import UserIndex
from materials.models import Material
from privacy_kernel import audit, writes
from privacy_kernel.audit import Actor
from privacy_kernel.events import Event
from privacy_kernel.writes import write_action

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

# How often the text so far is written for the progress page, and the cancel flag read: often enough to
# look live, seldom enough that a fast model does not turn into a write per token.
PROGRESS_EVERY_SECONDS = 0.3
SYSTEM = Actor.system("drafting")


def complete(
    prompt: Prompt,
    *,
    user: User,
    target: Application,
    on_text: Callable[[str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    provider: Provider | None = None,
) -> Completion:
    """The one place drafting calls a language model (coach.llm records the trace and the audit event)."""

    return llm_complete(
        prompt,
        user=user,
        purpose="draft",
        target=target,
        on_text=on_text,
        cancelled=cancelled,
        provider=provider,
    )


def instructions_of(generation: DraftGeneration) -> DraftInstructions:
    instructions = DraftInstructions.from_stored(generation.instructions)
    return replace(instructions, language=instructions.language or "en")


def check_text(
    text: str, application: Application, *, language: str, index: UserIndex | None = None
) -> dict[str, object]:
    """The output and unsupported-claim checks of a letter text, as stored on its version."""

    user = application.user
    rows = list(Material.objects.filter(user=user).order_by("pk").values_list("kind", "text"))
    materials = [body for _kind, body in rows]
    # The letter signs with the name on the CV when the account has none (coach.prompts): it is known too.
    cvs = [body for kind, body in rows if kind == Material.Kind.CV]
    # The posting's own fields count as the posting: the title and company may be written differently in
    # its text (or come from schema.org data), and a letter names both.
    signed = user.name or (name_from_cv(cvs[0]) if cvs else "")
    known = [signed, user.email, application.title, application.company, application.location]
    sources = Sources(materials=materials, posting=application.posting_text, known=known)
    return check_draft(text, sources, language=language, index=index).to_json()


def materials_used(user: User, grounding: Grounding) -> list[dict[str, object]]:
    """The materials a prompt quoted: CVs (and other materials) whose passages were the evidence for the
    posting's requirements, and the letter samples shown as the user's voice; most-quoted first."""
    passages = Counter(
        evidence.material_id
        for requirement in grounding.requirements
        for evidence in requirement.evidence
        if evidence.material_id is not None
    )
    samples = {sample.material_id for sample in grounding.voice_samples if sample.material_id is not None}
    rows = Material.objects.filter(user=user, pk__in=set(passages) | samples).values_list(
        "pk", "kind", "title"
    )
    return [
        {"id": pk, "kind": kind, "title": title, "passages": passages.get(pk, 0), "sample": pk in samples}
        for pk, kind, title in sorted(rows, key=lambda row: (-passages.get(row[0], 0), row[0]))
    ]


def word_count(text: str) -> int:
    return len(text.split())


def next_number(application: Application) -> int:
    """The next version number; call inside a transaction that holds the application's row lock."""
    last = application.draft_versions.order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1


def lock(application: Application) -> Application:
    # Versions are numbered per application: the worker and an edit must not both take number n.
    return Application.objects.select_for_update().get(pk=application.pk)


class _Progress:
    """Collects the streamed text, writes it to the row now and then, and reads the cancel flag."""

    def __init__(self, generation_id: int) -> None:
        self.generation_id = generation_id
        self.parts: list[str] = []
        self.last_write = time.monotonic()
        self.last_check = time.monotonic()
        self.stop = False

    def on_text(self, piece: str) -> None:
        self.parts.append(piece)
        if time.monotonic() - self.last_write >= PROGRESS_EVERY_SECONDS:
            self.flush()

    def flush(self) -> None:
        DraftGeneration.objects.filter(pk=self.generation_id).update(partial_text="".join(self.parts))
        self.last_write = time.monotonic()

    def cancelled(self) -> bool:
        if not self.stop and time.monotonic() - self.last_check >= PROGRESS_EVERY_SECONDS:
            self.stop = DraftGeneration.objects.filter(pk=self.generation_id, cancel_requested=True).exists()
            self.last_check = time.monotonic()
        return self.stop


@write_action
def _finish(generation: DraftGeneration, status: str, *, error: str = "", event: Event | None = None) -> None:
    generation.status, generation.error, generation.finished_at = status, error, timezone.now()
    generation.save(update_fields=["status", "error", "finished_at"])
    if event is not None:
        audit.record(
            event,
            actor=SYSTEM,
            subject=generation.application.user,
            target=generation.application,
            data={"generation": generation.pk, "error": error[:200]},
        )


def run_generation(
    generation: DraftGeneration, *, provider: Provider | None = None, index: UserIndex | None = None
) -> DraftVersion | None:
    """Write the letter a queued generation asks for. Returns the new version, or None when the
    generation failed, was cancelled, or was not waiting (another worker has it, or it is finished)."""

    claimed = DraftGeneration.objects.filter(
        pk=generation.pk, status=DraftGeneration.Status.QUEUED, cancel_requested=False
    ).update(status=DraftGeneration.Status.RUNNING)
    if not claimed:
        return None
    generation.refresh_from_db()
    application = generation.application
    user = application.user
    instructions = instructions_of(generation)
    progress = _Progress(generation.pk)
    try:
        index = index or UserIndex.load(user)
        previous = generation.previous_version.text if generation.previous_version else ""
        prompt = build_prompt(application, user, instructions, previous, index=index)
        completion = complete(
            prompt,
            user=user,
            target=application,
            on_text=progress.on_text,
            cancelled=progress.cancelled,
            provider=provider,
        )
    except Cancelled:
        progress.flush()
        _finish(generation, DraftGeneration.Status.CANCELLED)
        return None
    except ProviderError as error:
        _finish(generation, DraftGeneration.Status.FAILED, error=str(error.message), event=Event.DRAFT_FAILED)
        return None
    except Exception:
        logger.exception("Drafting generation %s failed", generation.pk)
        _finish(
            generation,
            DraftGeneration.Status.FAILED,
            error=_("Something went wrong on our side while writing the letter. Please try again."),
            event=Event.DRAFT_FAILED,
        )
        raise
    text = completion.text.strip()
    if not text:
        _finish(
            generation,
            DraftGeneration.Status.FAILED,
            error=_("The model returned an empty letter. Please try again."),
            event=Event.DRAFT_FAILED,
        )
        return None
    checks = check_text(text, application, language=instructions.language, index=index)
    if completion.left_out_languages:
        checks["left_out_languages"] = list(completion.left_out_languages)
    if completion.short_of_evidence:
        checks["short_of_evidence"] = True
    used = materials_used(user, prompt.grounding)

    def keep() -> DraftVersion | None:
        locked = lock(application)
        if DraftGeneration.objects.filter(pk=generation.pk, cancel_requested=True).exists():
            # Cancelled while the checks ran: the user asked for no letter, so none is kept.
            _finish(generation, DraftGeneration.Status.CANCELLED)
            return None
        version = DraftVersion.objects.create(
            application=locked,
            number=next_number(locked),
            text=text,
            source=DraftVersion.Source.REGENERATED if previous else DraftVersion.Source.GENERATED,
            instruction=instructions.revision,
            language=instructions.language,
            provider=completion.provider,
            model=completion.model,
            trace_id=completion.trace_id,
            word_count=word_count(text),
            checks=checks,
            materials_used=used,
        )
        generation.status, generation.version = DraftGeneration.Status.DONE, version
        generation.partial_text, generation.finished_at = text, timezone.now()
        generation.save(update_fields=["status", "version", "partial_text", "finished_at"])
        audit.record(
            Event.DRAFT_WRITTEN,
            actor=SYSTEM,
            subject=user,
            target=version,
            data={
                "number": version.number,
                "provider": completion.provider,
                "model": completion.model,
                "words": version.word_count,
                "flags": len(version.flags),
                "unsupported": len(version.unsupported),
            },
        )
        if locked.status == Status.SAVED:
            do_change_status(locked, Status.DRAFTING, actor=SYSTEM, reason="draft")
        return version

    return writes.run(keep)
