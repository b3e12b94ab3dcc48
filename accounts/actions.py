from __future__ import annotations

import zoneinfo

from accounts.models import User
from privacy_kernel import audit
from privacy_kernel.audit import Actor
from privacy_kernel.events import Event
from privacy_kernel.writes import write_action


@write_action
def do_update_profile(
    user: User, *, name: str, language: str, time_zone: str | None = None, actor: Actor
) -> None:
    """Change the user's name, language and time zone (None keeps it); each change is its own audit event."""
    changed: list[str] = []
    if name != user.name:
        user.name = name
        changed.append("name")
        audit.record(Event.PROFILE_UPDATED, actor=actor, subject=user, data={"fields": ["name"]})
    if time_zone and time_zone != user.time_zone:
        if time_zone not in zoneinfo.available_timezones():
            raise ValueError(f"Unknown time zone: {time_zone!r}")
        user.time_zone = time_zone
        changed.append("time_zone")
        audit.record(Event.PROFILE_UPDATED, actor=actor, subject=user, data={"fields": ["time_zone"]})
    if language != user.language:
        old_language, user.language = user.language, language
        changed.append("language")
        audit.record(
            Event.LANGUAGE_CHANGED, actor=actor, subject=user, data={"old": old_language, "new": language}
        )
    if changed:
        user.save(update_fields=[*changed, "updated_at"])


def do_change_language(user: User, language: str, *, actor: Actor) -> None:
    do_update_profile(user, name=user.name, language=language, actor=actor)
