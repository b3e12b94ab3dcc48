"""Signals other apps listen to, so materials need not know who depends on them."""

from __future__ import annotations

from django.dispatch import Signal

# Sent after a transaction that added, corrected or deleted a user's material has committed.
# Arguments: user_id.
materials_changed = Signal()
