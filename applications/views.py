from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from applications import actions, progress
from applications.forms import (
    EML_TOO_LARGE,
    SORTS,
    AddPostingForm,
    ConfirmReplyForm,
    FollowUpForm,
    NotesForm,
    PostingForm,
    ReplyForm,
    StatusForm,
    TableForm,
)
from applications.importing.fetch import check_url
from applications.intake import posting_from_text, reply_from_eml, reply_from_text
from applications.models import AWAITING_ANSWER, Application, PostingImport, Reply, Status
from applications.posting_import import do_request_import, do_retry_import
from applications.replies.parse import MAX_EML_BYTES
from omoikane.errors import Refused
from omoikane.numbers import parse_int
from omoikane.types import AuthenticatedHttpRequest
from omoikane.uploads import UploadRefused, refused_form, upload_form
from privacy_kernel.audit import Actor, audited
from privacy_kernel.events import Event
from privacy_kernel.shortcuts import owned_or_404

TABLE_PAGE_SIZE = 50
BOARD_COLUMN_LIMIT = 40


def _back(request: AuthenticatedHttpRequest, application: Application) -> HttpResponse:
    """Forms on the board say so; everything else returns to the application."""
    if request.POST.get("next") == "board":
        return redirect("applications:board")
    return redirect(application)


def _detail_context(application: Application, reply_form: ReplyForm) -> dict[str, object]:
    scores = list(application.fit_scores.all())
    return {
        "application": application,
        "score": scores[0] if scores else None,
        "older_scores": scores[1:],
        "replies": list(application.replies.all()),
        "history": list(application.status_changes.all()),
        "status_form": StatusForm(initial={"status": application.status}),
        "notes_form": NotesForm(initial={"notes": application.notes}),
        "follow_up_form": FollowUpForm(initial={"on": application.follow_up_on, "days": 3}),
        "reply_form": reply_form,
    }


@dataclass(frozen=True)
class Card:
    """What a board card shows, read and formatted once in the view: the template only prints it."""

    url: str
    title: str
    company: str
    score: int | None
    band: str
    deadline: str
    # The card's <li>, escaped by format_html: the template's tag and lookups per card were most of the
    # board's remaining time with a few hundred cards.
    html: str


@dataclass(frozen=True)
class Column:
    status: str
    label: str
    cards: list[Card]
    count: int

    @property
    def more(self) -> int:
        return self.count - len(self.cards)


def _detail_url_maker() -> Callable[[int], str]:
    """reverse() for the detail page, run once per request instead of once per card (it was a tenth of
    the board's time with a few hundred cards)."""
    marker = 2**62
    pattern = reverse("applications:detail", args=[marker])
    before, after = pattern.split(str(marker))
    return lambda pk: f"{before}{pk}{after}"


def _card(
    row: tuple[int, str, str, int | None, str, date | None], url: Callable[[int], str], score_label: str
) -> Card:
    pk, title, company, score, band, deadline = row
    link = url(pk)
    deadline_text = (
        _("Deadline %(date)s") % {"date": date_format(deadline, "DATE_FORMAT")} if deadline else ""
    )
    html = format_html(
        '<li class="board-card"><a href="{}" class="card-title">{}</a>{}{}{}</li>',
        link,
        title,
        format_html('<span class="score score-{}" title="{}">{}</span>', band, score_label, score)
        if score is not None
        else "",
        format_html('<p class="meta">{}</p>', company) if company else "",
        format_html('<p class="meta">{}</p>', deadline_text) if deadline_text else "",
    )
    return Card(link, title, company, score, band, deadline_text, html)


@login_required
@require_safe
@audited(Event.APPLICATIONS_LISTED)
def board(request: AuthenticatedHttpRequest) -> HttpResponse:
    owned = Application.objects.owned_by(request.user)
    # The counts from the (user, status) index, then one query per column for its first cards, each read
    # in order from the (user, status, deadline, updated_at) index: the work stays the same however many
    # applications a column holds. The table has the rest of a column, filtered by its status.
    counts = dict(
        owned.order_by().values_list("status").annotate(count=Count("id")).values_list("status", "count")
    )
    url = _detail_url_maker()
    score_label = _("Fit score")
    columns = []
    for value, label in Status.choices:
        rows = (
            owned.filter(status=value)
            .order_by(F("deadline").asc(nulls_last=True), "-updated_at")
            .values_list("id", "title", "company", "score", "band", "deadline")[:BOARD_COLUMN_LIMIT]
            if counts.get(value)
            else []
        )
        cards = [_card(row, url, score_label) for row in rows]
        columns.append(Column(value, str(label), cards, counts.get(value, 0)))
    due = list(
        owned.filter(
            status__in=AWAITING_ANSWER,
            follow_up_on__lte=timezone.localdate(),
            follow_up_done_at__isnull=True,
        )
        .order_by("follow_up_on", "id")
        .only("id", "title", "company", "status", "follow_up_on", "follow_up_done_at")
    )
    return render(
        request,
        "applications/board.html",
        {"columns": columns, "due": due, "total": sum(counts.values())},
    )


@login_required
@require_safe
@audited(Event.APPLICATIONS_LISTED)
def table(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = TableForm(request.GET or None)
    queryset = Application.objects.owned_by(request.user).only(
        "id", "title", "company", "location", "status", "score", "band", "deadline", "updated_at"
    )
    sort, descending = "updated", True
    if form.is_valid():
        if q := form.cleaned_data["q"].strip():
            queryset = queryset.filter(
                Q(title__icontains=q)
                | Q(company__icontains=q)
                | Q(location__icontains=q)
                | Q(notes__icontains=q)
            )
        if status := form.cleaned_data["status"]:
            queryset = queryset.filter(status=status)
        sort = form.cleaned_data["sort"] or "updated"
        descending = form.cleaned_data["order"] != "asc"
    field = F(SORTS[sort])
    # NULLS LAST only where there can be nulls: on a NOT NULL column it would keep PostgreSQL from reading the
    # page in order from the (user, updated_at DESC, id DESC) index.
    nulls_last = True if Application._meta.get_field(SORTS[sort]).null else None
    queryset = queryset.order_by(
        field.desc(nulls_last=nulls_last) if descending else field.asc(nulls_last=nulls_last), "-id"
    )
    page = Paginator(queryset, TABLE_PAGE_SIZE).get_page(parse_int(request.GET.get("page")))
    return render(
        request,
        "applications/table.html",
        {"form": form, "page": page, "sort": sort, "descending": descending},
    )


@login_required
@require_http_methods(["GET", "POST"])
@audited(Event.PAGE_VIEWED, writes=[Event.APPLICATION_ADDED, Event.POSTING_IMPORT_REQUESTED])
def add(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A pasted posting is saved at once; a web address is read by the worker (posting_import.py). Either
    way the fit score follows from the worker (fit.py), and the page it lands on shows the progress."""
    form = AddPostingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actor = Actor.from_request(request)
        if url := form.cleaned_data["url"]:
            try:
                check_url(url)
            except Refused as refusal:
                form.add_error("url", refusal.message)
            else:
                return redirect(do_request_import(request.user, url, actor=actor))
        else:
            try:
                posting = posting_from_text(form.cleaned_data["text"])
            except Refused as refusal:
                form.add_error("text", refusal.message)
            else:
                application = actions.do_add_application(request.user, posting, actor=actor)
                messages.success(request, _("Saved. Check the details we read from the posting."))
                return redirect(application)
    status = 400 if request.method == "POST" else 200
    return render(request, "applications/add.html", {"form": form}, status=status)


@login_required
@require_safe
@audited(Event.POSTING_IMPORT_VIEWED)
def posting_import(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    row = owned_or_404(request, PostingImport, pk=pk)
    if row.status == PostingImport.Status.DONE and row.application_id is not None:
        messages.success(request, _("Saved. Check the details we read from the posting."))
        return redirect("applications:detail", row.application_id)
    return render(request, "applications/import.html", {"posting_import": row})


@login_required
@require_safe
@audited(Event.POSTING_IMPORT_VIEWED)
def import_stream(request: AuthenticatedHttpRequest, pk: int) -> StreamingHttpResponse:
    """`done` with the application's address, or `failed` (the page says why); audited once, when opened."""
    row = owned_or_404(request, PostingImport, pk=pk)

    def read() -> progress.Finished:
        found = PostingImport.objects.filter(pk=row.pk).values("status", "application_id").first()
        if found is None or found["status"] == PostingImport.Status.FAILED:
            return ("failed", {})
        if found["status"] == PostingImport.Status.DONE:
            target = found["application_id"]
            return ("done", {"url": reverse("applications:detail", args=[target]) if target else ""})
        return None

    return progress.stream(read)


@login_required
@require_POST
@audited(writes=[Event.POSTING_IMPORT_REQUESTED])
def import_retry(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    row = owned_or_404(request, PostingImport, pk=pk)
    if not do_retry_import(row, actor=Actor.from_request(request)):
        messages.error(request, _("This posting is being read already."))
    return redirect(row)


@login_required
@require_safe
@audited(Event.APPLICATION_VIEWED)
def detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = owned_or_404(request, Application, pk=pk)
    return render(request, "applications/detail.html", _detail_context(application, ReplyForm()))


@login_required
@require_safe
@audited(Event.APPLICATION_VIEWED)
def score_stream(request: AuthenticatedHttpRequest, pk: int) -> StreamingHttpResponse:
    """`done` once the worker has stored the score, `failed` when it could not; audited once, when opened."""
    application = owned_or_404(request, Application, pk=pk)
    url = application.get_absolute_url()

    def read() -> progress.Finished:
        scoring = Application.objects.filter(pk=application.pk).values_list("scoring", flat=True).first()
        if scoring == Application.Scoring.QUEUED:
            return None
        return ("done", {"url": url}) if scoring == Application.Scoring.DONE else ("failed", {})

    return progress.stream(read)


@login_required
@require_http_methods(["GET", "POST"])
@audited(Event.APPLICATION_VIEWED, writes=[Event.APPLICATION_EDITED])
def edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = owned_or_404(request, Application, pk=pk)
    form = PostingForm(request.POST or None, instance=Application.objects.get(pk=application.pk))
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.Meta.fields}
        actions.do_edit_posting(application, changes, actor=Actor.from_request(request))
        messages.success(request, _("Saved."))
        return redirect(application)
    return render(
        request,
        "applications/edit.html",
        {"application": application, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
@audited(writes=[Event.APPLICATION_STATUS_CHANGED])
def change_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = owned_or_404(request, Application, pk=pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the listed statuses."))
        return redirect(application)
    actions.do_change_status(application, form.cleaned_data["status"], actor=Actor.from_request(request))
    return _back(request, application)


@login_required
@require_POST
@audited(writes=[Event.APPLICATION_NOTES_EDITED])
def notes(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = owned_or_404(request, Application, pk=pk)
    form = NotesForm(request.POST)
    if form.is_valid():
        actions.do_update_notes(application, form.cleaned_data["notes"], actor=Actor.from_request(request))
        messages.success(request, _("Notes saved."))
    else:
        messages.error(request, _("The notes are too long (at most 20,000 characters)."))
    return redirect(application)


@login_required
@require_POST
@audited(writes=[Event.APPLICATION_SCORE_REQUESTED])
def rescore(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Ask the worker for a new score: after a failure, or to use the current materials."""
    application = owned_or_404(request, Application, pk=pk)
    if not actions.do_request_score(application, actor=Actor.from_request(request)):
        messages.error(request, _("The fit score is being computed already."))
    return redirect(application)


@login_required
@require_POST
@audited(writes=[Event.FOLLOW_UP_CHANGED])
def follow_up(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = owned_or_404(request, Application, pk=pk)
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a date, or a number of days from 1 to 60."))
        return redirect(application)
    action, actor = form.cleaned_data["action"], Actor.from_request(request)
    if action == "done":
        actions.do_set_follow_up(application, actor=actor, done=True)
    elif action == "snooze":
        actions.do_set_follow_up(application, actor=actor, snooze_days=form.cleaned_data["days"] or 3)
    else:
        actions.do_set_follow_up(application, actor=actor, on=form.cleaned_data["on"])
    return _back(request, application)


@login_required
@require_http_methods(["GET", "POST"])
@audited(Event.APPLICATION_VIEWED, writes=[Event.APPLICATION_DELETED])
def delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = owned_or_404(request, Application, pk=pk)
    if request.method == "POST":
        actions.do_delete_application(application, actor=Actor.from_request(request))
        messages.success(request, _("The application was deleted."))
        return redirect("applications:board")
    return render(request, "applications/delete.html", {"application": application})


def _reply_refused(request: AuthenticatedHttpRequest, refused: UploadRefused, pk: int) -> HttpResponse:
    application = owned_or_404(request, Application, pk=pk)
    form = refused_form(ReplyForm(data={}), refused.message)
    return render(
        request, "applications/detail.html", _detail_context(application, form), status=refused.status
    )


@login_required
@require_POST
@audited(writes=[Event.REPLY_ADDED])
@upload_form(
    max_bytes=lambda: MAX_EML_BYTES,
    too_large=lambda: str(EML_TOO_LARGE),
    on_refused=_reply_refused,
)
def add_reply(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = owned_or_404(request, Application, pk=pk)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            upload = form.cleaned_data["eml"]
            reply = (
                reply_from_eml(upload.read())
                if upload is not None
                else reply_from_text(form.cleaned_data["text"])
            )
        except Refused as refusal:
            form.add_error("eml" if form.cleaned_data["eml"] is not None else "text", refusal.message)
        else:
            actions.do_add_reply(application, reply, actor=Actor.from_request(request))
            messages.success(request, _("Reply saved. Confirm what kind of reply it is."))
            return redirect(f"{application.get_absolute_url()}#reply-{reply.pk}")
    return render(request, "applications/detail.html", _detail_context(application, form), status=400)


@login_required
@require_POST
@audited(writes=[Event.REPLY_CONFIRMED, Event.APPLICATION_STATUS_CHANGED])
def confirm_reply(request: AuthenticatedHttpRequest, pk: int, reply_pk: int) -> HttpResponse:
    application = owned_or_404(request, Application, pk=pk)
    reply = get_object_or_404(Reply.objects.owned_by(request.user), pk=reply_pk, application=application)
    form = ConfirmReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the listed kinds."))
        return redirect(application)
    actions.do_confirm_reply(reply, form.cleaned_data["kind"], actor=Actor.from_request(request))
    application.refresh_from_db()
    messages.success(
        request,
        _("Noted. The application is now “%(status)s”.") % {"status": application.get_status_display()},
    )
    return redirect(application)


@login_required
@require_POST
@audited(writes=[Event.REPLY_DELETED])
def delete_reply(request: AuthenticatedHttpRequest, pk: int, reply_pk: int) -> HttpResponse:
    application = owned_or_404(request, Application, pk=pk)
    reply = get_object_or_404(Reply.objects.owned_by(request.user), pk=reply_pk, application=application)
    actions.do_delete_reply(reply, actor=Actor.from_request(request))
    return redirect(application)
