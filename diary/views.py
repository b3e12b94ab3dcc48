from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from applications.models import Application
from calendars.models import CalendarEvent
from diary import actions
from diary.forms import EntryForm
from diary.models import Approach, DiaryEntry
from omoikane.numbers import parse_int
from omoikane.types import AuthenticatedHttpRequest
from privacy_kernel.audit import Actor, audited
from privacy_kernel.events import Event
from privacy_kernel.shortcuts import owned_or_404

PAGE_SIZE = 30
# The calendar beside the diary: what happened in the last weeks and what is coming, a short list.
CALENDAR_DAYS_BACK = 30
CALENDAR_DAYS_AHEAD = 14
CALENDAR_LIMIT = 10


def _calendar_events(request: AuthenticatedHttpRequest, selected: Application | None) -> list[CalendarEvent]:
    now = timezone.now()
    events = CalendarEvent.objects.owned_by(request.user).filter(
        starts_at__gte=now - dt.timedelta(days=CALENDAR_DAYS_BACK),
        starts_at__lte=now + dt.timedelta(days=CALENDAR_DAYS_AHEAD),
    )
    if selected is not None:
        events = events.filter(application=selected)
    return list(
        events.select_related("application")
        .only(
            "id",
            "summary",
            "starts_at",
            "all_day",
            "application__id",
            "application__title",
            "application__company",
        )
        .order_by("-starts_at", "-id")[:CALENDAR_LIMIT]
    )


def _applications(request: AuthenticatedHttpRequest) -> list[Application]:
    """The user's applications for the choice lists, in one query."""
    return list(
        Application.objects.owned_by(request.user)
        .only("id", "title", "company")
        .order_by("-updated_at", "-id")
    )


def _approaches(request: AuthenticatedHttpRequest) -> list[Approach]:
    return list(Approach.objects.owned_by(request.user).only("id", "name", "user_id"))


def _filter(request: AuthenticatedHttpRequest, applications: list[Application]) -> Application | None:
    """The application the page is filtered by. Another user's, or nonsense, is a 404 like any foreign id."""
    value = request.GET.get("application", "")
    if not value:
        return None
    wanted = parse_int(value)
    found = next((a for a in applications if a.pk == wanted), None)
    if found is None:
        raise Http404
    return found


def _index_page(
    request: AuthenticatedHttpRequest, form: EntryForm, applications: list[Application], *, status: int = 200
) -> HttpResponse:
    selected = _filter(request, applications)
    entries = (
        DiaryEntry.objects.owned_by(request.user).select_related("application").prefetch_related("approaches")
    )
    if selected is not None:
        entries = entries.filter(application=selected)
    page = Paginator(entries, PAGE_SIZE).get_page(parse_int(request.GET.get("page")))
    add_action = reverse("diary:add") + (f"?application={selected.pk}" if selected else "")
    context = {
        "page": page,
        "form": form,
        "applications": applications,
        "selected": selected,
        "add_action": add_action,
        "calendar_events": _calendar_events(request, selected),
        "now": timezone.now(),
    }
    return render(request, "diary/index.html", context, status=status)


@login_required
@require_safe
@audited(Event.DIARY_VIEWED)
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    applications = _applications(request)
    selected = _filter(request, applications)
    initial = {"application": str(selected.pk)} if selected else {}
    form = EntryForm(initial=initial, applications=applications, approaches=_approaches(request))
    return _index_page(request, form, applications)


@login_required
@require_POST
@audited(writes=[Event.DIARY_ENTRY_ADDED])
def add(request: AuthenticatedHttpRequest) -> HttpResponse:
    applications = _applications(request)
    selected = _filter(request, applications)
    form = EntryForm(request.POST, applications=applications, approaches=_approaches(request))
    if not form.is_valid():
        return _index_page(request, form, applications, status=400)
    entry = actions.do_add_entry(
        request.user,
        kind=form.cleaned_data["kind"],
        text=form.cleaned_data["text"],
        outcome=form.cleaned_data["outcome"],
        occurred_on=form.cleaned_data["occurred_on"],
        application=form.cleaned_data["application"],
        approaches=form.cleaned_data.get("approaches", []),
        actor=Actor.from_request(request),
    )
    messages.success(request, _("Added to your diary."))
    # Back to the page the form was on: filtered by an application when it was.
    query = f"?application={selected.pk}" if selected else ""
    return redirect(f"{reverse('diary:index')}{query}#entry-{entry.pk}")


@login_required
@require_http_methods(["GET", "POST"])
@audited(Event.DIARY_VIEWED, writes=[Event.DIARY_ENTRY_EDITED])
def edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    entry = owned_or_404(request, DiaryEntry.objects.select_related("application"), pk=pk)
    applications = _applications(request)
    initial = {
        "kind": entry.kind,
        "text": entry.text,
        "outcome": entry.outcome,
        "occurred_on": entry.occurred_on,
        "application": str(entry.application_id or ""),
        "approaches": [str(pk) for pk in entry.approach_tags.values_list("approach_id", flat=True)],
    }
    form = EntryForm(
        request.POST or None, initial=initial, applications=applications, approaches=_approaches(request)
    )
    if request.method == "POST" and form.is_valid():
        actions.do_edit_entry(entry, **form.cleaned_data, actor=Actor.from_request(request))
        messages.success(request, _("Saved."))
        return redirect(entry)
    status = 400 if request.method == "POST" else 200
    return render(request, "diary/edit.html", {"entry": entry, "form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
@audited(Event.DIARY_VIEWED, writes=[Event.DIARY_ENTRY_DELETED])
def delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    entry = owned_or_404(request, DiaryEntry.objects.select_related("application"), pk=pk)
    if request.method == "POST":
        actions.do_delete_entry(entry, actor=Actor.from_request(request))
        messages.success(request, _("The entry was deleted."))
        return redirect("diary:index")
    return render(request, "diary/delete.html", {"entry": entry})
