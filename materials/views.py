from __future__ import annotations

import difflib
import time
from collections.abc import Iterator

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Sum
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from materials.actions import (
    do_add_material,
    do_delete_material,
    do_import_linkedin,
    do_resolve_linkedin_import,
    do_retry_embedding,
    do_set_primary,
    do_update_text,
    storage_quota_bytes,
)
from materials.forms import AddMaterialForm, LinkedInChoiceForm, LinkedInImportForm, MaterialTextForm
from materials.linkedin import SECTIONS
from materials.models import Chunk, LinkedInImport, Material
from omoikane.errors import Refused
from omoikane.types import AuthenticatedHttpRequest
from omoikane.uploads import UploadRefused, refused_form, upload_form
from privacy_kernel.audit import Actor, audited
from privacy_kernel.events import Event
from privacy_kernel.shortcuts import owned_or_404

# How often the stream of a material being prepared for search looks at its row, and how long one stream
# may stay open; the page opens a new one when a stream ends with `timeout`.
STREAM_POLL_SECONDS = 0.25
STREAM_MAX_SECONDS = 300


def _list_context(
    request: AuthenticatedHttpRequest, form: AddMaterialForm, linkedin_form: LinkedInImportForm | None = None
) -> dict[str, object]:
    materials = (
        Material.objects.owned_by(request.user)
        .annotate(chunk_count=Count("chunks"))
        .order_by("kind", "-is_primary", "title")
    )
    used = Material.objects.owned_by(request.user).aggregate(total=Sum("size"))["total"] or 0
    return {
        "materials": materials,
        "form": form,
        "linkedin_form": linkedin_form or LinkedInImportForm(),
        "linkedin_files": [section.file for section in SECTIONS],
        "used_bytes": used,
        "quota_bytes": storage_quota_bytes(request.user),
    }


@login_required
@require_safe
@audited(Event.MATERIALS_LISTED)
def material_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "materials/list.html", _list_context(request, AddMaterialForm()))


def _too_large() -> str:
    return _("This file is larger than %(max)d MB.") % {"max": settings.MATERIAL_MAX_BYTES // 2**20}


def _upload_refused(request: AuthenticatedHttpRequest, refused: UploadRefused) -> HttpResponse:
    form = refused_form(AddMaterialForm(data={}), refused.message)
    return render(request, "materials/list.html", _list_context(request, form), status=refused.status)


@login_required
@require_POST
@audited(writes=[Event.MATERIAL_ADDED])
@upload_form(max_bytes=lambda: settings.MATERIAL_MAX_BYTES, too_large=_too_large, on_refused=_upload_refused)
def material_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = AddMaterialForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            material = do_add_material(
                request.user,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                actor=Actor.from_request(request),
                data=upload.read() if upload is not None else None,
                file_name=upload.name if upload is not None else "",
                pasted_text=None if upload is not None else form.cleaned_data["text"],
            )
        except Refused as refusal:
            form.add_error("file" if upload is not None else "text", refusal.message)
        else:
            messages.success(
                request,
                _(
                    "Added. Check the extracted text: it is what scoring and drafting use. It is being "
                    "prepared for search now."
                ),
            )
            return redirect(material)
    return render(request, "materials/list.html", _list_context(request, form), status=400)


@login_required
@require_safe
@audited(Event.MATERIAL_VIEWED)
def material_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    material = owned_or_404(request, Material, pk=pk)
    chunks = list(material.chunks.only("ordinal", "kind", "section", "text", "model_name"))
    return render(request, "materials/detail.html", _detail_context(material, chunks))


def _detail_context(
    material: Material, chunks: list[Chunk] | None = None, linkedin_form: LinkedInImportForm | None = None
) -> dict[str, object]:
    held = LinkedInImport.objects.filter(material=material).first()
    context: dict[str, object] = {"material": material, "chunks": chunks or [], "linkedin": held}
    if held is not None:
        context["linkedin_form"] = linkedin_form or LinkedInImportForm()
        if held.pending_text:
            # What the new export would change in the text the user corrected, line by line.
            context["pending_diff"] = list(
                difflib.unified_diff(
                    material.text.splitlines(), held.pending_text.splitlines(), lineterm="", n=1
                )
            )[2:]
    return context


@login_required
@require_http_methods(["GET", "POST"])
@audited(Event.MATERIAL_VIEWED, writes=[Event.MATERIAL_TEXT_EDITED])
def material_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    material = owned_or_404(request, Material, pk=pk)
    if request.method == "POST":
        form = MaterialTextForm(request.POST)
        if form.is_valid():
            try:
                do_update_text(material, form.cleaned_data["text"], actor=Actor.from_request(request))
            except Refused as refusal:
                form.add_error("text", refusal.message)
            else:
                messages.success(
                    request, _("Saved. The material was split again and is being prepared for search.")
                )
                return redirect(material)
        return render(request, "materials/edit.html", {"material": material, "form": form}, status=400)
    form = MaterialTextForm(initial={"text": material.text})
    return render(request, "materials/edit.html", {"material": material, "form": form})


@login_required
@require_safe
@audited(Event.MATERIAL_VIEWED)
def search_stream(request: AuthenticatedHttpRequest, pk: int) -> StreamingHttpResponse:
    """Server-sent events: `done` once the worker has embedded the material, `failed` when it could not,
    `timeout` to open a new stream. Audited once, when the stream opens."""
    material = owned_or_404(request, Material, pk=pk)
    response = StreamingHttpResponse(_search_events(material.pk), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response


def _search_events(material_pk: int) -> Iterator[str]:
    deadline = time.monotonic() + STREAM_MAX_SECONDS
    while True:
        state = Material.objects.filter(pk=material_pk).values_list("search", flat=True).first()
        if state != Material.Search.QUEUED:
            name = "done" if state == Material.Search.READY else "failed"
            yield f"event: {name}\ndata: {{}}\n\n"
            return
        if time.monotonic() > deadline:
            yield "event: timeout\ndata: {}\n\n"
            return
        time.sleep(STREAM_POLL_SECONDS)


@login_required
@require_POST
@audited(writes=[Event.MATERIAL_INDEXING_RETRIED])
def search_retry(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    material = owned_or_404(request, Material, pk=pk)
    if not do_retry_embedding(material, actor=Actor.from_request(request)):
        messages.error(request, _("This material is ready for search, or being prepared already."))
    return redirect(material)


@login_required
@require_safe
@audited(Event.MATERIAL_DOWNLOADED)
def material_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    material = owned_or_404(request, Material, pk=pk)
    if not material.original.name:
        raise Http404("This material was pasted; it has no original file.")
    response = FileResponse(
        material.original.open("rb"),
        as_attachment=True,
        filename=material.original_name or f"material-{material.pk}",
        content_type=material.content_type,
    )
    # The file came from outside: the browser must neither guess its type nor run anything in it.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


@login_required
@require_POST
@audited(writes=[Event.MATERIAL_PRIMARY_SET])
def material_primary(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    material = owned_or_404(request, Material, pk=pk, kind=Material.Kind.CV)
    do_set_primary(material, actor=Actor.from_request(request))
    messages.success(request, _("“%(title)s” is now your primary CV.") % {"title": material.title})
    return redirect(material)


@login_required
@require_http_methods(["GET", "POST"])
@audited(Event.MATERIAL_VIEWED, writes=[Event.MATERIAL_DELETED])
def material_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    material = owned_or_404(request, Material, pk=pk)
    if request.method == "POST":
        title = material.title
        do_delete_material(material, actor=Actor.from_request(request))
        messages.success(
            request, _("“%(title)s” was deleted, with its file and search index.") % {"title": title}
        )
        return redirect("materials:list")
    return render(request, "materials/delete.html", {"material": material})


def _linkedin_refused(request: AuthenticatedHttpRequest, refused: UploadRefused) -> HttpResponse:
    form = refused_form(LinkedInImportForm(data={}), refused.message)
    context = _list_context(request, AddMaterialForm(), linkedin_form=form)
    return render(request, "materials/list.html", context, status=refused.status)


@login_required
@require_POST
@audited(writes=[Event.MATERIAL_LINKEDIN_IMPORTED])
@upload_form(
    max_bytes=lambda: settings.MATERIAL_MAX_BYTES, too_large=_too_large, on_refused=_linkedin_refused
)
def linkedin_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = LinkedInImportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            material = do_import_linkedin(
                request.user, upload.read(), file_name=upload.name, actor=Actor.from_request(request)
            )
        except Refused as refusal:
            form.add_error("file", refusal.message)
        else:
            messages.success(request, _("Imported from LinkedIn. Check the text: it is what scoring uses."))
            return redirect(material)
    context = _list_context(request, AddMaterialForm(), linkedin_form=form)
    return render(request, "materials/list.html", context, status=400)


def _reimport_refused(request: AuthenticatedHttpRequest, refused: UploadRefused, pk: int) -> HttpResponse:
    material = owned_or_404(request, Material, pk=pk, linkedin_import__isnull=False)
    form = refused_form(LinkedInImportForm(data={}), refused.message)
    context = _detail_context(material, list(material.chunks.all()), linkedin_form=form)
    return render(request, "materials/detail.html", context, status=refused.status)


@login_required
@require_POST
@audited(writes=[Event.MATERIAL_LINKEDIN_IMPORTED])
@upload_form(
    max_bytes=lambda: settings.MATERIAL_MAX_BYTES, too_large=_too_large, on_refused=_reimport_refused
)
def linkedin_reimport(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    material = owned_or_404(request, Material, pk=pk, linkedin_import__isnull=False)
    form = LinkedInImportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            do_import_linkedin(
                request.user,
                upload.read(),
                file_name=upload.name,
                material=material,
                actor=Actor.from_request(request),
            )
        except Refused as refusal:
            form.add_error("file", refusal.message)
        else:
            messages.success(request, _("The newer LinkedIn export was read."))
            return redirect(material)
    context = _detail_context(material, list(material.chunks.all()), linkedin_form=form)
    return render(request, "materials/detail.html", context, status=400)


@login_required
@require_POST
@audited(writes=[Event.MATERIAL_LINKEDIN_CHOSEN])
def linkedin_choose(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    material = owned_or_404(request, Material, pk=pk, linkedin_import__isnull=False)
    form = LinkedInChoiceForm(request.POST)
    if not form.is_valid():
        return redirect(material)
    do_resolve_linkedin_import(
        material, take_import=form.cleaned_data["choice"] == "import", actor=Actor.from_request(request)
    )
    return redirect(material)
