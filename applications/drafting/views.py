"""The letter of an application: draft, watch it being written, edit, compare versions, mark as sent."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.handlers.asgi import ASGIRequest
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from applications.drafting import actions, streams
from applications.drafting.forms import (
    LENGTHS,
    TONES,
    DiffForm,
    DraftForm,
    EditForm,
    RegenerateForm,
    SendForm,
)
from applications.drafting.render import marked_text, word_diff
from applications.models import Application, DraftGeneration, DraftVersion, SentVersion
from coach.providers.base import DraftInstructions
from omoikane.errors import Refused
from omoikane.numbers import parse_int
from omoikane.types import AuthenticatedHttpRequest
from privacy_kernel.audit import Actor, audited, set_target
from privacy_kernel.events import Event
from privacy_kernel.shortcuts import owned_or_404


def _version(application: Application, version_pk: int) -> DraftVersion:
    return get_object_or_404(DraftVersion.objects.filter(application=application), pk=version_pk)


def _generation(application: Application, generation_pk: int) -> DraftGeneration:
    return get_object_or_404(DraftGeneration.objects.filter(application=application), pk=generation_pk)


def _letter_url(application: Application) -> str:
    return reverse("applications:letter", args=[application.pk])


RUNNING = (DraftGeneration.Status.QUEUED, DraftGeneration.Status.RUNNING)


def _workspace(
    request: AuthenticatedHttpRequest,
    application: Application,
    *,
    edit_form: EditForm | None = None,
    regenerate_form: RegenerateForm | None = None,
    send_form: SendForm | None = None,
    status: int = 200,
) -> HttpResponse:
    versions = list(application.draft_versions.all())
    shown = versions[0] if versions else None
    wanted = parse_int(request.GET.get("v"))
    if wanted is not None:
        shown = next((v for v in versions if v.number == wanted), shown)
    sent = list(application.sent_versions.all())
    sent_ids = {s.version_id for s in sent}
    latest = application.draft_generations.first()
    # A draft the user cancelled is not "being written" any more, though the worker may take a moment to stop.
    running = (
        latest if latest is not None and latest.status in RUNNING and not latest.cancel_requested else None
    )
    # A draft that failed after the newest version: the user may have left the progress page, so the
    # letter page says what happened (nothing was kept) until the next version exists.
    failed = (
        latest
        if latest is not None
        and latest.status == DraftGeneration.Status.FAILED
        and (shown is None or versions[0].created_at < latest.created_at)
        else None
    )
    context: dict[str, Any] = {
        "application": application,
        "versions": versions,
        "shown": shown,
        "shown_is_sent": shown is not None and shown.pk in sent_ids,
        "sent": sent,
        "sent_ids": sent_ids,
        "running": running,
        "failed": failed,
        "draft_form": DraftForm(),
        "edit_form": edit_form
        or EditForm(initial={"text": shown.text if shown else "", "based_on": shown.pk if shown else None}),
        "regenerate_form": regenerate_form or RegenerateForm(),
        "send_form": send_form or SendForm(initial={"sent_on": timezone.localdate(), "channel": "email"}),
        "diff_form": DiffForm(
            initial={
                "old": versions[1].pk if len(versions) > 1 else None,
                "new": versions[0].pk if versions else None,
            }
        ),
        "marked": marked_text(shown.text, shown.unsupported, [f["value"] for f in shown.flags])
        if shown
        else "",
        "drafts_per_day": settings.DRAFTS_PER_DAY,
    }
    return render(request, "applications/letter/workspace.html", context, status=status)


@login_required
@require_safe
@audited(Event.DRAFT_VIEWED)
def letter(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _workspace(request, owned_or_404(request, Application, pk=pk))


@login_required
@require_POST
@audited(writes=[Event.DRAFT_REQUESTED])
def draft(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = owned_or_404(request, Application, pk=pk)
    form = DraftForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a tone, a length and a language from the lists."))
        return redirect(_letter_url(application))
    data = form.cleaned_data
    instructions = DraftInstructions(
        language=data["language"] or application.language or request.user.language or "en",
        tone=TONES[data["tone"]],
        length_words=LENGTHS[data["length"]],
        stress=data["stress"].strip(),
    )
    try:
        generation = actions.do_request_draft(application, instructions, actor=Actor.from_request(request))
    except Refused as refusal:
        messages.error(request, refusal.message)
        return redirect(_letter_url(application))
    return redirect("applications:letter_progress", application.pk, generation.pk)


@login_required
@require_POST
@audited(writes=[Event.DRAFT_REQUESTED])
def regenerate(request: AuthenticatedHttpRequest, pk: int, version_pk: int) -> HttpResponse:
    application = owned_or_404(request, Application, pk=pk)
    version = _version(application, version_pk)
    form = RegenerateForm(request.POST)
    if not form.is_valid():
        return _workspace(request, application, regenerate_form=form, status=400)
    try:
        generation = actions.do_regenerate(
            version, form.cleaned_data["instruction"], actor=Actor.from_request(request)
        )
    except Refused as refusal:
        messages.error(request, refusal.message)
        return redirect(_letter_url(application))
    return redirect("applications:letter_progress", application.pk, generation.pk)


@login_required
@require_safe
@audited(Event.DRAFT_PROGRESS_VIEWED)
def progress(request: AuthenticatedHttpRequest, pk: int, generation_pk: int) -> HttpResponse:
    application = owned_or_404(request, Application, pk=pk)
    generation = _generation(application, generation_pk)
    if generation.status == DraftGeneration.Status.DONE and generation.version_id is not None:
        messages.success(request, _("Your draft is ready. Read it through before you send it."))
        return redirect(_letter_url(application))
    return render(
        request,
        "applications/letter/progress.html",
        {"application": application, "generation": generation},
    )


@login_required
@require_safe
@audited(Event.DRAFT_PROGRESS_VIEWED)
def stream(request: AuthenticatedHttpRequest, pk: int, generation_pk: int) -> StreamingHttpResponse:
    """Server-sent events: the text as it is written, then `done` (with the letter's address), `failed`
    or `cancelled`. Audited once, when the stream opens."""
    application = owned_or_404(request, Application, pk=pk)
    generation = _generation(application, generation_pk)
    done_url = _letter_url(application)
    # Under ASGI an async iterator (no thread held while the stream waits; Django would read a plain one to
    # its end before sending anything); under WSGI a plain one.
    events = (
        streams.async_events(generation.pk, done_url)
        if isinstance(request, ASGIRequest)
        else streams.sync_events(generation.pk, done_url)
    )
    response = StreamingHttpResponse(events, content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response


@login_required
@require_POST
@audited(writes=[Event.DRAFT_CANCELLED])
def cancel(request: AuthenticatedHttpRequest, pk: int, generation_pk: int) -> HttpResponse:
    application = owned_or_404(request, Application, pk=pk)
    generation = _generation(application, generation_pk)
    if actions.do_cancel_generation(generation, actor=Actor.from_request(request)):
        messages.success(request, _("Cancelled. No letter was kept from this draft."))
    else:
        messages.error(request, _("This draft had finished already."))
    return redirect(_letter_url(application))


@login_required
@require_POST
@audited(writes=[Event.DRAFT_EDITED])
def edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = owned_or_404(request, Application, pk=pk)
    form = EditForm(request.POST)
    if not form.is_valid():
        return _workspace(request, application, edit_form=form, status=400)
    based_on = None
    if form.cleaned_data["based_on"] is not None:
        based_on = DraftVersion.objects.filter(
            application=application, pk=form.cleaned_data["based_on"]
        ).first()
    try:
        version = actions.do_save_edit(
            application, form.cleaned_data["text"], actor=Actor.from_request(request), based_on=based_on
        )
    except Refused as refusal:
        form.add_error("text", refusal.message)
        return _workspace(request, application, edit_form=form, status=400)
    messages.success(request, _("Saved as version %(number)d.") % {"number": version.number})
    return redirect(_letter_url(application))


@login_required
@require_safe
@audited(Event.DRAFT_DIFF_VIEWED)
def diff(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = owned_or_404(request, Application, pk=pk)
    form = DiffForm(request.GET or None)
    if not form.is_valid():
        # Without a choice yet the page asks for one; a choice that makes no sense is a 400.
        context = {
            "application": application,
            "form": form,
            "versions": list(application.draft_versions.all()),
        }
        return render(request, "applications/letter/diff.html", context, status=400 if form.is_bound else 200)
    old = _version(application, form.cleaned_data["old"])
    new = _version(application, form.cleaned_data["new"])
    return render(
        request,
        "applications/letter/diff.html",
        {
            "application": application,
            "form": form,
            "old": old,
            "new": new,
            "diff": word_diff(old.text, new.text),
        },
    )


@login_required
@require_POST
@audited(writes=[Event.LETTER_SENT, Event.APPLICATION_STATUS_CHANGED, Event.DIARY_ENTRY_ADDED])
def send(request: AuthenticatedHttpRequest, pk: int, version_pk: int) -> HttpResponse:
    application = owned_or_404(request, Application, pk=pk)
    version = _version(application, version_pk)
    form = SendForm(request.POST)
    if not form.is_valid():
        return _workspace(request, application, send_form=form, status=400)
    try:
        actions.do_mark_sent(
            version,
            channel=form.cleaned_data["channel"],
            sent_on=form.cleaned_data["sent_on"],
            actor=Actor.from_request(request),
            confirm_flags=form.cleaned_data["confirm"],
            justify=form.cleaned_data["justify"] == "justified",
        )
    except Refused as refusal:
        form.add_error(None, refusal.message)
        return _workspace(request, application, send_form=form, status=400)
    messages.success(request, _("Marked as sent. The letter is kept as a PDF exactly as it was."))
    return redirect(_letter_url(application))


@login_required
@require_safe
@audited(Event.SENT_LETTER_DOWNLOADED)
def sent_pdf(request: AuthenticatedHttpRequest, pk: int, sent_pk: int) -> FileResponse:
    application = owned_or_404(request, Application, pk=pk)
    sent = get_object_or_404(SentVersion.objects.filter(application=application), pk=sent_pk)
    if not sent.pdf.name:
        raise Http404("This sent letter has no PDF.")
    set_target(request, sent)
    return FileResponse(
        sent.pdf.open("rb"),
        as_attachment=True,
        filename=f"letter-{application.slug}-v{sent.version.number}.pdf",
        content_type="application/pdf",
    )
