"""The one entry point for the audit log, and the decorators that tie views to it.

Every view either is audited (`@audited`) or says why it needs none (`@public`); a test walks the URL
configuration and fails for any view that does neither. A change of data is recorded by the action that
makes it, inside its write (privacy_kernel/writes.py); a view records only what it showed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import wraps
from typing import TYPE_CHECKING, Any, ParamSpec

from django.db import connection, models
from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone

from privacy_kernel import chain, chain_encoding, writes
from privacy_kernel.events import ActorKind, Event
from privacy_kernel.masking import mask

if TYPE_CHECKING:
    from accounts.models import User
    from privacy_kernel.models import AuditEvent

P = ParamSpec("P")
View = Callable[..., HttpResponseBase]

# The object a view showed, for the row @audited writes after it.
_TARGET = "_omoikane_audit_target"


def set_target(request: HttpRequest, target: models.Model) -> None:
    """Name the object this request is about, so the access event points at it."""
    setattr(request, _TARGET, target)


@dataclass(frozen=True)
class Actor:
    kind: ActorKind
    user: User | None = None
    label: str = ""
    request: HttpRequest | None = None

    @classmethod
    def from_request(cls, request: HttpRequest) -> Actor:
        user = request.user if request.user.is_authenticated else None
        kind = ActorKind.USER
        return cls(kind=kind, user=user, request=request)

    @classmethod
    def operator(cls, request: HttpRequest) -> Actor:
        return cls(kind=ActorKind.OPERATOR, user=request.user, request=request)  # type: ignore[arg-type]

    @classmethod
    def system(cls, label: str) -> Actor:
        return cls(kind=ActorKind.SYSTEM, label=label)

    @classmethod
    def sub_processor(cls, name: str) -> Actor:
        return cls(kind=ActorKind.SUB_PROCESSOR, label=name)


def client_ip(request: HttpRequest) -> str | None:
    # Behind HAProxy, omoikane.middleware.TrustedProxyMiddleware has already put the client's address here,
    # and only for requests that came from the edge: X-Forwarded-For is never read past that point.
    return request.META.get("REMOTE_ADDR") or None


def record(
    event: Event,
    *,
    actor: Actor,
    subject: User | None,
    target: models.Model | None = None,
    data: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Write one audit row: inside the write of the change it describes, or on its own for an access.

    Never inside a transaction that no write owns: appending to the chain can lose a conflict there, and
    only the code that opened the transaction could run it again.
    """
    # Inside: the models module imports this one (the descriptions of events), so the model comes late.
    from privacy_kernel.models import AuditEvent

    if not writes.active() and _in_unowned_transaction():
        raise RuntimeError(f"{event} recorded inside a transaction no write owns; use @write_action.")
    request = actor.request
    # Every field the chain hashes is set here, in the form the database gives back (an aware time to the
    # microsecond, metadata after a JSON round trip), so a later read recomputes the same hash.
    row = AuditEvent(
        created_at=timezone.now(),
        event=event,
        actor_kind=actor.kind,
        actor=actor.user,
        actor_ref=actor.user.pk if actor.user is not None else None,
        actor_label=actor.label,
        subject=subject,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        metadata=chain_encoding.storable(mask(dict(data or {}))),
        ip=client_ip(request) if request is not None else None,
        user_agent=request.headers.get("User-Agent", "")[:300] if request is not None else "",
    )
    # Inserts it as the next entry of the subject's chain, trying again if another writer got there first
    # (see chain.append).
    chain.append(row)
    return row


def _in_unowned_transaction() -> bool:
    # A test case's own transaction (Django marks it) stands in for "no transaction": the test has nothing
    # to retry, and the code under test behaves as it would outside one.
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def audited(event: Event | None = None, *, writes: Iterable[Event] = ()) -> Callable[[View], View]:
    """Mark a view as audited.

    `event` is what the view shows: recorded after every response that showed a page or a file (2xx) to a
    signed-in user. A view that changes data does it through actions, which record their own events
    (`writes` names them, for the reader and the coverage test) and then redirect: a redirect records
    nothing more, so one change is one event.
    """
    write_events = tuple(writes)
    if event is None and not write_events:
        raise ValueError("An audited view records an event or names the events its actions write.")

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            response = view(request, *args, **kwargs)
            user = request.user
            if event is not None and user.is_authenticated and 200 <= response.status_code < 300:
                match = request.resolver_match
                record(
                    event,
                    actor=Actor.from_request(request),
                    subject=user,
                    target=getattr(request, _TARGET, None),
                    data={"page": match.view_name if match else request.path, "method": request.method},
                )
            return response

        wrapper.audit_event = event or write_events[0]  # type: ignore[attr-defined]
        wrapper.audit_writes = write_events  # type: ignore[attr-defined]
        return wrapper

    return decorator


def public(reason: str) -> Callable[[View], View]:
    """Mark a view as needing no audit event, with the reason a reviewer would accept."""
    if not reason.strip():
        raise ValueError("A public view needs a reason.")

    def decorator(view: View) -> View:
        # A wrapper rather than an attribute on `view`: third-party views are shared objects.
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            return view(request, *args, **kwargs)

        wrapper.public_reason = reason  # type: ignore[attr-defined]
        return wrapper

    return decorator


def audit_status(view: Callable[..., Any]) -> str | None:
    """How a view is covered: 'audited: <event>', 'public: <reason>', or None when it is neither."""
    seen: set[int] = set()
    current: Any = view
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if event := getattr(current, "audit_event", None):
            return f"audited: {event}"
        if reason := getattr(current, "public_reason", None):
            return f"public: {reason}"
        current = getattr(current, "__wrapped__", None) or getattr(current, "view_class", None)
    return None
