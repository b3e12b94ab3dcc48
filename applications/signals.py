"""Signals other apps listen to, so applications need not know who follows what happens to them."""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside the transaction that marks a letter as sent (applications.drafting.actions.do_mark_sent), so a
# receiver's writes commit or roll back with the send, and an exception in a receiver undoes the send.
# Arguments: sent (the SentVersion, with its version and application), actor (the audit Actor).
letter_sent = Signal()
