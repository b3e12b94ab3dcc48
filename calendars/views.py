"""The calendar page (connections, upcoming events, the private feed), connect and disconnect, linking events
to applications, "add to calendar" from an interview invitation, and the feed itself."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from applications.models import Application, Reply
from calendars import actions, feed, ics
from calendars.forms import CaldavForm, IcsForm, InterviewForm, LinkForm
from calendars.interviews import suggested_time
from calendars.models import CalendarConnection, CalendarEvent, CalendarFeed
from calendars.net import CalendarRefused
from calendars.suggest import suggestion
from omoikane.types import AuthenticatedHttpRequest
from privacy_kernel.audit import Actor, audited, public
from privacy_kernel.events import ActorKind, Event
from privacy_kernel.shortcuts import owned_or_404

UPCOMING = 30


def _applications(request: AuthenticatedHttpRequest) -> list[Application]:
    return list(
        Application.objects.owned_by(request.user)
        .only("id", "title", "company")
        .order_by("-updated_at", "-id")
    )


def feed_url(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("calendars:feed", args=[token]))


def _index(
    request: AuthenticatedHttpRequest,
    *,
    caldav_form: CaldavForm | None = None,
    ics_form: IcsForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    connections = list(CalendarConnection.objects.owned_by(user))
    applications = _applications(request)
    events = list(
        CalendarEvent.objects.owned_by(user)
        .filter(ends_at__gte=timezone.now())
        .select_related("application")
        .order_by("starts_at", "id")[:UPCOMING]
    )
    rows = [
        {"event": event, "suggested": None if event.application_id else suggestion(event, applications)}
        for event in events
    ]
    feed_row = CalendarFeed.objects.owned_by(user).first()
    token = actions.feed_token(feed_row) if feed_row else None
    context: dict[str, Any] = {
        "connections": connections,
        "rows": rows,
        "applications": applications,
        "caldav_form": caldav_form or CaldavForm(),
        "ics_form": ics_form or IcsForm(),
        "feed": feed_row,
        "feed_url": feed_url(request, token) if token else "",
        "zone": user.time_zone,
    }
    return render(request, "calendars/index.html", context, status=status)


@login_required
@require_safe
@audited(Event.CALENDAR_VIEWED)
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _index(request)


@login_required
@require_POST
@audited(writes=[Event.CALENDAR_CONNECTED])
def connect_caldav(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = CaldavForm(request.POST)
    if form.is_valid():
        try:
            actions.do_connect_caldav(
                request.user,
                url=form.cleaned_data["url"],
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                actor=Actor.from_request(request),
            )
        except CalendarRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("Calendar connected. Its events appear here after the first sync."))
            return redirect("calendars:index")
    return _index(request, caldav_form=form, status=400)


@login_required
@require_POST
@audited(writes=[Event.CALENDAR_CONNECTED])
def connect_ics(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = IcsForm(request.POST)
    if form.is_valid():
        try:
            actions.do_connect_ics(
                request.user, url=form.cleaned_data["ics_url"], actor=Actor.from_request(request)
            )
        except CalendarRefused as refused:
            form.add_error("ics_url", refused.message)
        else:
            messages.success(request, _("Calendar connected. Its events appear here after the first sync."))
            return redirect("calendars:index")
    return _index(request, ics_form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
@audited(Event.CALENDAR_VIEWED, writes=[Event.CALENDAR_DISCONNECTED])
def disconnect(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    connection = owned_or_404(request, CalendarConnection, pk=pk)
    if request.method == "POST":
        actions.do_disconnect(connection, actor=Actor.from_request(request))
        messages.success(request, _("The calendar was disconnected; its events and password were deleted."))
        return redirect("calendars:index")
    count = connection.events.count()
    return render(request, "calendars/disconnect.html", {"connection": connection, "count": count})


@login_required
@require_POST
@audited(writes=[Event.CALENDAR_SYNC_REQUESTED])
def sync_now(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    connection = owned_or_404(request, CalendarConnection, pk=pk)
    actions.do_request_sync(connection, actor=Actor.from_request(request))
    messages.success(request, _("Sync queued; the status below changes when it is done."))
    return redirect("calendars:index")


@login_required
@require_POST
@audited(writes=[Event.CALENDAR_EVENT_LINKED])
def link(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = owned_or_404(request, CalendarEvent.objects.select_related("connection__user"), pk=pk)
    applications = _applications(request)
    form = LinkForm(request.POST, applications=applications)
    if not form.is_valid():
        messages.error(request, _("Choose one of your applications."))
        return redirect("calendars:index")
    application = next(a for a in applications if a.pk == form.cleaned_data["application"])
    actions.do_link_event(event, application, actor=Actor.from_request(request))
    messages.success(request, _("Linked to “%(application)s”.") % {"application": application})
    return redirect("calendars:index")


@login_required
@require_POST
@audited(writes=[Event.CALENDAR_EVENT_UNLINKED])
def unlink(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = owned_or_404(request, CalendarEvent.objects.select_related("connection__user"), pk=pk)
    actions.do_unlink_event(event, actor=Actor.from_request(request))
    messages.success(request, _("No longer linked."))
    return redirect("calendars:index")


# --- Add an interview from a reply -------------------------------------------------------------------------


def _writable_connection(user: Any) -> CalendarConnection | None:
    return next((c for c in CalendarConnection.objects.owned_by(user) if c.writable), None)


@login_required
@require_http_methods(["GET", "POST"])
@audited(Event.APPLICATION_VIEWED, writes=[Event.CALENDAR_EVENT_WRITTEN])
def add_interview(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """GET: the form, with the time found in the invitation. POST: the interview into the connected calendar
    (without one that can be written to, the form posts to `download_interview` instead)."""
    reply = owned_or_404(request, Reply.objects.select_related("application"), pk=pk)
    application = reply.application
    zone = request.user.zone
    connection = _writable_connection(request.user)
    if request.method == "GET":
        found = suggested_time(reply, zone)
        initial = {"starts_at": found.replace(tzinfo=None) if found else None, "minutes": 60}
        return _interview_page(request, reply, InterviewForm(initial=initial), connection, found is not None)
    if connection is None:
        messages.error(request, _("Connect a CalDAV calendar first, or download the event as a file."))
        return redirect("calendars:add_interview", pk=reply.pk)
    with timezone.override(zone):
        form = InterviewForm(request.POST)
        valid = form.is_valid()
    if not valid:
        return _interview_page(request, reply, form, connection, True, status=400)
    try:
        actions.do_add_interview(
            application,
            connection,
            starts_at=form.cleaned_data["starts_at"],
            minutes=form.cleaned_data["minutes"],
            actor=Actor.from_request(request),
        )
    except CalendarRefused as refused:
        form.add_error(None, refused.message)
        return _interview_page(request, reply, form, connection, True, status=400)
    messages.success(request, _("The interview is in your calendar “%(name)s”.") % {"name": connection})
    return redirect(application)


@login_required
@require_POST
@audited(Event.CALENDAR_EVENT_DOWNLOADED)
def download_interview(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The interview as a .ics file for any calendar app; nothing is stored, the download is recorded."""
    reply = owned_or_404(request, Reply.objects.select_related("application"), pk=pk)
    with timezone.override(request.user.zone):
        form = InterviewForm(request.POST)
        valid = form.is_valid()
    if not valid:
        return _interview_page(request, reply, form, _writable_connection(request.user), True, status=400)
    item = actions.interview_item(
        reply.application, form.cleaned_data["starts_at"], form.cleaned_data["minutes"]
    )
    response = HttpResponse(
        ics.single_event(item, stamp=timezone.now()), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="interview.ics"'
    return response


def _interview_page(
    request: AuthenticatedHttpRequest,
    reply: Reply,
    form: InterviewForm,
    connection: CalendarConnection | None,
    found: bool,
    *,
    status: int = 200,
) -> HttpResponse:
    context = {
        "reply": reply,
        "application": reply.application,
        "form": form,
        "connection": connection,
        "found": found,
        "zone": request.user.time_zone,
    }
    return render(request, "calendars/add_interview.html", context, status=status)


# --- The private feed -----------------------------------------------------------------------------------


@login_required
@require_POST
@audited(writes=[Event.CALENDAR_FEED_CREATED, Event.CALENDAR_FEED_ROTATED])
def make_feed(request: AuthenticatedHttpRequest) -> HttpResponse:
    actions.do_create_feed(request.user, actor=Actor.from_request(request))
    messages.success(
        request, _("Your private feed address is ready. Any address you handed out before stops working.")
    )
    return redirect(reverse("calendars:index") + "#feed")


@login_required
@require_POST
@audited(writes=[Event.CALENDAR_FEED_REVOKED])
def revoke_feed(request: AuthenticatedHttpRequest) -> HttpResponse:
    found = CalendarFeed.objects.owned_by(request.user).first()
    if found is not None:
        actions.do_revoke_feed(found, actor=Actor.from_request(request))
    messages.success(
        request, _("The feed address is turned off; calendar apps that use it get nothing more.")
    )
    return redirect(reverse("calendars:index") + "#feed")


@public("the private feed: the secret address is the key; every read is recorded as an event of its owner")
@require_safe
@never_cache
def feed_view(request: HttpRequest, token: str) -> HttpResponse:
    if len(token) > 100:
        raise Http404
    found = CalendarFeed.objects.select_related("user").filter(token_hash=actions.token_hash(token)).first()
    if found is None or not found.user.is_active:
        raise Http404
    user = found.user
    # Whoever holds the address reads as the user's calendar app: recorded under the user, with the address
    # it came from, so that a leaked address shows up on their activity page.
    actions.do_record_feed_fetch(
        found, actor=Actor(kind=ActorKind.USER, label="calendar feed", request=request)
    )
    data = ics.calendar_bytes("Omoikane", feed.items(user), stamp=timezone.now())
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="omoikane.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response
