"""A real SMTP server for tests (aiosmtpd) on a free port, and the settings that send mail to it."""

from __future__ import annotations

import asyncio
import email
import email.policy
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from typing import Any, cast

from aiosmtpd.controller import Controller
from django.test import override_settings


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        return "250 OK"


class _FreePortController(Controller):
    """Binds port 0 and learns which port it got before aiosmtpd connects to check it is up."""

    def _trigger_server(self) -> None:
        server = cast(asyncio.Server, self.server)
        self.port = server.sockets[0].getsockname()[1]
        # aiosmtpd has no type hints for this method.
        super()._trigger_server()  # type: ignore[no-untyped-call]


class MailServer:
    def __init__(self) -> None:
        self.inbox = _Inbox()
        self.controller = _FreePortController(self.inbox, hostname="127.0.0.1", port=0)

    @property
    def messages(self) -> list[EmailMessage]:
        return self.inbox.messages

    def mailers(self) -> dict[str, Any]:
        return {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": self.controller.port, "timeout": 5},
            }
        }


@contextmanager
def mail_server() -> Iterator[MailServer]:
    """A running SMTP server, with Django's default mailer pointed at it."""
    server = MailServer()
    server.controller.start()
    try:
        with override_settings(MAILERS=server.mailers()):
            yield server
    finally:
        server.controller.stop()


def body_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    # SMTP carries lines ending in CRLF; the tests read them as Python text.
    return str(part.get_content()).replace("\r\n", "\n")
