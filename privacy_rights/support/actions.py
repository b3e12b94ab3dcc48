"""Granting and revoking support access. Both are audited on the user's own chain."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from privacy_kernel import audit
from privacy_kernel.audit import Actor
from privacy_kernel.events import Event
from privacy_kernel.models import SupportGrant
from privacy_kernel.writes import write_action

REASON_MAX_LENGTH = 500
# What the settings page offers; only those within the configured bounds are shown or accepted.
OFFERED_DURATIONS = (
    timedelta(hours=1),
    timedelta(hours=4),
    timedelta(days=1),
    timedelta(days=3),
    timedelta(days=7),
)


def shortest_duration() -> timedelta:
    return timedelta(hours=settings.SUPPORT_GRANT_MIN_HOURS)


def longest_duration() -> timedelta:
    return timedelta(days=settings.SUPPORT_GRANT_MAX_DAYS)


def allowed_durations() -> list[timedelta]:
    return [d for d in OFFERED_DURATIONS if shortest_duration() <= d <= longest_duration()]


def describe_duration(duration: timedelta) -> str:
    hours = int(duration.total_seconds() // 3600)
    if hours % 24 == 0:
        return ngettext("%(count)d day", "%(count)d days", hours // 24) % {"count": hours // 24}
    return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}


def _check(duration: timedelta, reason: str) -> str:
    if duration not in allowed_durations():
        # The form offers only these; anything else is a forged or stale request, refused the same way.
        raise ValidationError(
            _("Choose one of the offered durations: support access lasts from %(shortest)s to %(longest)s.")
            % {
                "shortest": describe_duration(shortest_duration()),
                "longest": describe_duration(longest_duration()),
            },
            code="duration",
        )
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say what support should help you with."), code="reason")
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            _("Keep the reason under %(limit)d characters.") % {"limit": REASON_MAX_LENGTH}, code="reason"
        )
    return reason


@write_action
def do_grant_support(user: User, *, duration: timedelta, reason: str, actor: Actor) -> SupportGrant:
    """Give support read-only access for `duration`. A user has at most one active grant: a new grant
    replaces the current one (which ends now), so the newest choice of time and reason is what holds."""
    reason = _check(duration, reason)
    # Locking the account row serialises two grants sent at once, so both cannot stay active.
    User.objects.select_for_update().filter(pk=user.pk).first()
    now = timezone.now()
    replaced = list(SupportGrant.objects.active().owned_by(user).values_list("pk", flat=True))
    if replaced:
        SupportGrant.objects.filter(pk__in=replaced).update(revoked_at=now)
    grant = SupportGrant.objects.create(user=user, reason=reason, granted_at=now, expires_at=now + duration)
    audit.record(
        Event.SUPPORT_GRANTED,
        actor=actor,
        subject=user,
        target=grant,
        data={
            # The reason is the user's own words to support; it stays with their record.
            "reason": reason,
            "duration_hours": int(duration.total_seconds() // 3600),
            "expires_at": grant.expires_at.isoformat(),
            "replaced": replaced,
        },
    )
    return grant


@write_action
def do_revoke_support(grant: SupportGrant, *, actor: Actor) -> None:
    """End a grant now. Revoking a grant that already ended changes nothing and records nothing."""
    now = timezone.now()
    ended = SupportGrant.objects.filter(pk=grant.pk, revoked_at__isnull=True, expires_at__gt=now).update(
        revoked_at=now
    )
    if not ended:
        grant.refresh_from_db(fields=["revoked_at"])
        return
    grant.revoked_at = now
    audit.record(
        Event.SUPPORT_REVOKED,
        actor=actor,
        subject=grant.user,
        target=grant,
        data={"expires_at": grant.expires_at.isoformat(), "revoked_at": now.isoformat()},
    )
