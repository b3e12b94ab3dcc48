"""Every change to a user's calendars goes through these actions, and each writes its audit event.

Connecting talks to the calendar server first (discovery, or reading the ICS file once), outside any
transaction, so that a wrong address or password is said at once and nothing is stored; the write then
stores the connection and queues its first sync. No action records an address, a user name or a password
in the activity log: the host name and the kind of calendar are all it says.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from urllib.parse import urlsplit

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from applications.models import Application
from calendars import caldav_client, ics
from calendars.credentials import decrypt, encrypt
from calendars.models import CalendarConnection, CalendarEvent, CalendarFeed
from calendars.net import MAX_ICS_BYTES, CalendarRefused, basic_auth, send
from calendars.sync import server_for, window
from calendars.tasks import sync_calendar
from privacy_kernel import audit, writes
from privacy_kernel.audit import Actor
from privacy_kernel.events import Event
from privacy_kernel.writes import write_action

MAX_CONNECTIONS = 5
MAX_URL_CHARS = 2000
MAX_USERNAME_CHARS = 200
MAX_PASSWORD_CHARS = 500
SYNC_ACTOR = Actor.system("calendar sync")


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "")[:200]


def _check_url(url: str) -> str:
    url = url.strip()
    if not url:
        raise CalendarRefused("invalid_url", _("Give the calendar's address."))
    if len(url) > MAX_URL_CHARS:
        raise CalendarRefused("invalid_url", _("That address is too long."))
    return url


def _check_room(user: User) -> None:
    if CalendarConnection.objects.filter(user=user).count() >= MAX_CONNECTIONS:
        raise CalendarRefused(
            "too_many",
            _("You have connected %(max)d calendars; disconnect one first.") % {"max": MAX_CONNECTIONS},
        )


def do_connect_caldav(
    user: User, *, url: str, username: str, password: str, actor: Actor
) -> CalendarConnection:
    """Find the calendar at `url` with these credentials, then store the connection (password encrypted)."""
    url, username = _check_url(url), username.strip()
    if not username or len(username) > MAX_USERNAME_CHARS:
        raise CalendarRefused("username", _("Give the user name of your calendar account."))
    if not password or len(password) > MAX_PASSWORD_CHARS:
        raise CalendarRefused("password", _("Give the app password of your calendar account."))
    _check_room(user)
    found = caldav_client.discover(caldav_client.Server(basic_auth(username, password)), url)
    return writes.run(
        _store_connection,
        user,
        kind=CalendarConnection.Kind.CALDAV,
        url=url,
        username=username,
        secret=encrypt(password),
        calendar_url=found.url,
        name=found.name,
        actor=actor,
    )


def do_connect_ics(user: User, *, url: str, actor: Actor) -> CalendarConnection:
    """Read the ICS file at `url` once (it must be a calendar we can read), then store the connection."""
    url = _check_url(url)
    _check_room(user)
    answer = send("GET", url, headers={"Accept": "text/calendar, text/plain;q=0.5"}, max_bytes=MAX_ICS_BYTES)
    if answer.status >= 400:
        raise CalendarRefused("http_error")
    media_type = answer.headers.get("content-type", "text/calendar").split(";")[0].strip().lower()
    if media_type in {"text/html", "application/xhtml+xml", "application/json", "application/xml"}:
        raise CalendarRefused("not_ics")
    calendar = ics.parse(answer.body)
    start, end = window(timezone.now())
    # Expanding once proves the file is usable (a broken recurrence is said now, not at the first sync).
    sum(1 for _item in ics.occurrences(calendar, start=start, end=end, zone=user.zone))
    name = str(calendar.get("X-WR-CALNAME", ""))[:200] or _host(url)
    return writes.run(
        _store_connection,
        user,
        kind=CalendarConnection.Kind.ICS,
        url=url,
        username="",
        secret="",
        calendar_url="",
        name=name,
        actor=actor,
    )


def _store_connection(
    user: User,
    *,
    kind: str,
    url: str,
    username: str,
    secret: str,
    calendar_url: str,
    name: str,
    actor: Actor,
) -> CalendarConnection:
    _check_room(user)
    connection = CalendarConnection.objects.create(
        user=user,
        kind=kind,
        url=url,
        username=username,
        secret=secret,
        calendar_url=calendar_url,
        name=name[:200],
    )
    audit.record(
        Event.CALENDAR_CONNECTED,
        actor=actor,
        subject=user,
        target=connection,
        data={"kind": kind, "host": _host(url)},
    )
    # The queue is a table of this database: the task commits, or rolls back, with the connection.
    sync_calendar.enqueue(connection_id=connection.pk)
    return connection


@write_action
def do_disconnect(connection: CalendarConnection, *, actor: Actor) -> None:
    """Forget the calendar: its synced events, its password and the connection itself."""
    events = connection.events.count()
    audit.record(
        Event.CALENDAR_DISCONNECTED,
        actor=actor,
        subject=connection.user,
        target=connection,
        data={"kind": connection.kind, "events": events},
    )
    connection.events.all().delete()
    connection.delete()


@write_action
def do_request_sync(connection: CalendarConnection, *, actor: Actor) -> None:
    audit.record(Event.CALENDAR_SYNC_REQUESTED, actor=actor, subject=connection.user, target=connection)
    sync_calendar.enqueue(connection_id=connection.pk)


# --- Events and applications ------------------------------------------------------------------------------


@write_action
def do_link_event(event: CalendarEvent, application: Application, *, actor: Actor) -> None:
    """Confirm that `event` belongs to `application` (an interview with that company, say)."""
    user = event.connection.user
    if application.user_id != user.pk:
        raise CalendarRefused("not_yours", _("Choose one of your applications."))
    if event.application_id == application.pk:
        return
    event.application = application
    event.save(update_fields=["application"])
    audit.record(
        Event.CALENDAR_EVENT_LINKED,
        actor=actor,
        subject=user,
        target=event,
        data={"application": application.pk},
    )


@write_action
def do_unlink_event(event: CalendarEvent, *, actor: Actor) -> None:
    if event.application_id is None:
        return
    old = event.application_id
    event.application = None
    event.save(update_fields=["application"])
    audit.record(
        Event.CALENDAR_EVENT_UNLINKED,
        actor=actor,
        subject=event.connection.user,
        target=event,
        data={"application": old},
    )


def interview_item(application: Application, starts_at: dt.datetime, minutes: int) -> ics.FeedItem:
    title = _("Interview: %(title)s") % {"title": application.title}
    if application.company:
        title = _("Interview: %(title)s at %(company)s") % {
            "title": application.title,
            "company": application.company,
        }
    return ics.FeedItem(
        uid=f"{uuid.uuid4()}@omoikane",
        summary=str(title),
        starts=starts_at.astimezone(dt.UTC),
        ends=(starts_at + dt.timedelta(minutes=minutes)).astimezone(dt.UTC),
    )


def do_add_interview(
    application: Application,
    connection: CalendarConnection,
    *,
    starts_at: dt.datetime,
    minutes: int,
    actor: Actor,
) -> CalendarEvent:
    """Write the interview into the connected calendar, then keep it among the synced events, linked to
    `application` (the next sync finds it there and keeps the link)."""
    user = application.user
    if connection.user_id != user.pk:
        raise CalendarRefused("not_yours", _("Choose one of your calendars."))
    if not connection.writable:
        raise CalendarRefused("read_only")
    item = interview_item(application, starts_at, minutes)
    data = ics.single_event(item, stamp=timezone.now())
    href, etag = caldav_client.put_event(
        server_for(connection), connection.calendar_url, item.uid.split("@")[0], data
    )
    return writes.run(_store_interview, connection, application, item, href, etag, actor=actor)


def _store_interview(
    connection: CalendarConnection,
    application: Application,
    item: ics.FeedItem,
    href: str,
    etag: str,
    *,
    actor: Actor,
) -> CalendarEvent:
    if not isinstance(item.starts, dt.datetime) or not isinstance(item.ends, dt.datetime):
        raise TypeError("An interview has a start and an end time.")
    event = CalendarEvent.objects.create(
        connection=connection,
        href=href,
        # No ETag from the server (some omit it on PUT): left empty, so the next sync reads the event again.
        resource_etag=etag[:500],
        uid=item.uid,
        summary=item.summary,
        starts_at=item.starts,
        ends_at=item.ends,
        application=application,
        added_by_us=True,
    )
    audit.record(
        Event.CALENDAR_EVENT_WRITTEN,
        actor=actor,
        subject=application.user,
        target=event,
        data={"application": application.pk},
    )
    return event


# --- The private feed -------------------------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def feed_token(feed: CalendarFeed) -> str | None:
    return decrypt(feed.token_encrypted)


def _new_token() -> tuple[str, str, str]:
    token = secrets.token_urlsafe(32)
    return token, token_hash(token), encrypt(token)


@write_action
def do_create_feed(user: User, *, actor: Actor) -> CalendarFeed:
    """Make the user's feed address, or a new one in place of the old (which stops working at once)."""
    _token, hashed, encrypted = _new_token()
    feed = CalendarFeed.objects.filter(user=user).first()
    if feed is None:
        feed = CalendarFeed.objects.create(user=user, token_hash=hashed, token_encrypted=encrypted)
        audit.record(Event.CALENDAR_FEED_CREATED, actor=actor, subject=user, target=feed)
        return feed
    feed.token_hash, feed.token_encrypted, feed.created_at = hashed, encrypted, timezone.now()
    feed.save(update_fields=["token_hash", "token_encrypted", "created_at"])
    audit.record(Event.CALENDAR_FEED_ROTATED, actor=actor, subject=user, target=feed, data={"why": "asked"})
    return feed


@write_action
def do_rotate_feed_after_password_change(user: User, *, actor: Actor) -> None:
    """A new password is a fresh start: an address handed out before it stops working."""
    feed = CalendarFeed.objects.filter(user=user).first()
    if feed is None:
        return
    _token, feed.token_hash, feed.token_encrypted = _new_token()
    feed.created_at = timezone.now()
    feed.save(update_fields=["token_hash", "token_encrypted", "created_at"])
    audit.record(
        Event.CALENDAR_FEED_ROTATED, actor=actor, subject=user, target=feed, data={"why": "password_changed"}
    )


@write_action
def do_revoke_feed(feed: CalendarFeed, *, actor: Actor) -> None:
    audit.record(Event.CALENDAR_FEED_REVOKED, actor=actor, subject=feed.user, target=feed)
    feed.delete()


@write_action
def do_record_feed_fetch(feed: CalendarFeed, *, actor: Actor) -> None:
    """Every read of the feed is the user's to see: it is their data, read by whoever has the address."""
    feed.last_fetched_at = timezone.now()
    feed.save(update_fields=["last_fetched_at"])
    audit.record(Event.CALENDAR_FEED_FETCHED, actor=actor, subject=feed.user, target=feed)
