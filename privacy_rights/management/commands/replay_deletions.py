from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from accounts.models import User
from privacy_kernel.models import DeletionLedger, ErasureRequest
from privacy_rights.erasure import run_erasure
from privacy_rights.ledger import ledger_id


class Command(BaseCommand):
    help = "After restoring a backup: erase again every account the deletion ledger says was erased."

    def handle(self, *args: Any, **options: Any) -> None:
        erased = set(DeletionLedger.objects.values_list("ledger_id", flat=True))
        replayed = 0
        for user in User.objects.order_by("pk").iterator(chunk_size=1000):
            found = ledger_id(user)
            if found not in erased:
                continue
            # No receipt: the person was told when their account was first erased.
            erasure, _ = ErasureRequest.objects.get_or_create(
                account_id=user.pk,
                defaults={
                    "email": user.email,
                    "language": user.language,
                    "ledger_id": found,
                    "send_receipt": False,
                },
            )
            run_erasure(erasure.pk, wait_for_running_tasks=False)
            replayed += 1
            self.stdout.write(f"Erased again: ledger id {found[:12]}…")
        self.stdout.write(f"{replayed} account(s) erased again; {len(erased)} in the ledger.")
