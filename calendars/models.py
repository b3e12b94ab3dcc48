"""A user's calendar connections, the events synced from them, and their private ICS feed."""

from __future__ import annotations

import icalendar
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from privacy_kernel.ownership import OwnedQuerySet


class ConnectionQuerySet(OwnedQuerySet["CalendarConnection"]):
    pass


class CalendarConnection(models.Model):
    """A calendar the user connected: a CalDAV calendar (read and written) or an ICS address (read only)."""

    class Kind(models.TextChoices):
        CALDAV = "caldav", _("CalDAV calendar")
        ICS = "ics", _("ICS address (read only)")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the first sync")
        OK = "ok", _("Synced")
        FAILING = "failing", _("Sync failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_connections"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    # What the user typed: the server's address (CalDAV) or the ICS address.
    url = models.URLField(_("address"), max_length=2000)
    username = models.CharField(_("user name"), max_length=200, blank=True)
    # The app password, encrypted (calendars/credentials.py); never shown, exported or logged.
    secret = models.TextField(blank=True)
    # Found by discovery: the calendar collection events are read from and written to.
    calendar_url = models.URLField(max_length=2000, blank=True)
    name = models.CharField(_("calendar"), max_length=200, blank=True)
    # What the server said the last time, so that an unchanged calendar costs one request (CTag, sync-token)
    # and an unchanged ICS file no download (ETag).
    ctag = models.CharField(max_length=500, blank=True)
    sync_token = models.CharField(max_length=500, blank=True)
    etag = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    # The last error in plain words (what the user can do about it), never the server's own text.
    status_message = models.CharField(max_length=500, blank=True)
    last_synced_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ConnectionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("calendar connection")
        verbose_name_plural = _("calendar connections")

    def __str__(self) -> str:
        return self.name or self.url

    @property
    def writable(self) -> bool:
        return self.kind == self.Kind.CALDAV and bool(self.calendar_url)


class EventQuerySet(OwnedQuerySet["CalendarEvent"]):
    def upcoming(self, *, limit: int) -> EventQuerySet:
        return self.filter(ends_at__gte=timezone.now()).order_by("starts_at", "id")[:limit]


class CalendarEvent(models.Model):
    """One occurrence of an event in a connected calendar, inside the sync window. A recurring event is one
    row per occurrence (`recurrence_id` tells them apart), expanded in the user's time zone."""

    connection = models.ForeignKey(CalendarConnection, on_delete=models.CASCADE, related_name="events")
    # The resource on the server (CalDAV) it came from, with its ETag: a changed ETag is a changed event.
    href = models.CharField(max_length=2000, blank=True)
    resource_etag = models.CharField(max_length=500, blank=True)
    uid = models.CharField(max_length=500)
    recurrence_id = models.CharField(max_length=64, blank=True)
    summary = models.CharField(_("title"), max_length=500, blank=True)
    location = models.CharField(_("location"), max_length=500, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    all_day = models.BooleanField(_("all day"), default=False)
    # The application the user confirmed this event belongs to (suggested by company and title).
    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("application"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="calendar_events",
    )
    # Written by us ("add to calendar" from an interview invitation), not only read.
    added_by_us = models.BooleanField(default=False)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["connection", "starts_at"], name="calendar_event_conn_start"),
            models.Index(fields=["connection", "href"], name="calendar_event_conn_href"),
        ]
        verbose_name = _("calendar event")
        verbose_name_plural = _("calendar events")

    def __str__(self) -> str:
        return self.summary or self.uid

    def as_ical_event(self) -> icalendar.Event:
        """The occurrence as the export's calendar.ics has it (privacy_rights/export.py)."""
        event = icalendar.Event()
        event.add("uid", f"{self.uid}{'-' + self.recurrence_id if self.recurrence_id else ''}")
        event.add("summary", self.summary)
        if self.location:
            event.add("location", self.location)
        if self.all_day:
            zone = self.connection.user.zone
            event.add("dtstart", self.starts_at.astimezone(zone).date())
            event.add("dtend", self.ends_at.astimezone(zone).date())
        else:
            event.add("dtstart", self.starts_at)
            event.add("dtend", self.ends_at)
        return event


class FeedQuerySet(OwnedQuerySet["CalendarFeed"]):
    pass


class CalendarFeed(models.Model):
    """The user's private ICS feed: deadlines, follow-ups and interviews, at a secret address. Deleting the
    row revokes it; a new token rotates it (on every password change, too)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    # The feed is found by a SHA-256 of its token; the token itself is kept encrypted (credentials.py), so
    # the settings page can show the address again while a database dump alone does not give it away.
    token_hash = models.CharField(max_length=64, unique=True)
    token_encrypted = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    last_fetched_at = models.DateTimeField(null=True, blank=True)

    objects = FeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("private calendar feed")
        verbose_name_plural = _("private calendar feeds")

    def __str__(self) -> str:
        return f"calendar feed of {self.user_id}"
