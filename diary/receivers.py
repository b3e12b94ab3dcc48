"""The diary writes itself from what happens elsewhere; DiaryConfig.ready() connects these receivers."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django.utils.translation import gettext as _

from applications.models import SentVersion
from applications.signals import letter_sent
from diary.actions import do_add_entry
from diary.models import Kind
from privacy_kernel.audit import Actor


@receiver(letter_sent, dispatch_uid="diary.letter_sent")
def add_letter_sent_entry(
    sender: type[SentVersion], *, sent: SentVersion, actor: Actor, **kwargs: Any
) -> None:
    """A letter marked as sent is a diary entry, written in the same transaction as the send."""
    do_add_entry(
        sent.application.user,
        kind=Kind.LETTER_SENT,
        text=_("Sent the letter (version %(number)d) by %(channel)s.")
        % {"number": sent.version.number, "channel": sent.get_channel_display()},
        application=sent.application,
        actor=actor,
    )
