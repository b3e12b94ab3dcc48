"""The one exception for "we will not do this": an input or a request refused, with a reason for the user.

Actions and readers raise it; views catch it and show `message` next to the form field or as a message.
It imports nothing from Django at run time: the sandboxed extraction worker raises it too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from django.utils.functional import Promise


class Refused(Exception):
    """`code` is stable, for machines and tests ("empty", "too_large"); `message` says why in words the
    user can act on, in the language active when it is read.

    A kind of refusal whose message only depends on its code (a reader's "not_an_email", "tls") is raised
    with the code alone and gives its messages in `messages`, or overrides `message_for`.
    """

    messages: ClassVar[Mapping[str, str | Promise]] = {}

    def __init__(self, code: str, message: str | Promise | None = None) -> None:
        super().__init__(code)
        self.code = code
        self._message = message

    @property
    def message(self) -> str:
        return str(self._message if self._message is not None else self.message_for(self.code))

    def message_for(self, code: str) -> str | Promise:
        return self.messages[code]
