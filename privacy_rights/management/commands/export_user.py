from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from privacy_kernel.audit import Actor
from privacy_kernel.models import ExportRequest
from privacy_rights.actions import do_request_export
from privacy_rights.jobs import run_export


class Command(BaseCommand):
    help = "Build a user's export now, for a request received in writing; emails them the link as usual."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email__iexact=options["email"].strip()).first()
        if user is None:
            raise CommandError("No account has this address.")
        export = do_request_export(user, actor=Actor.system("export_user command"), rate_limited=False)
        # The queued task finds it done and stops; building here lets the operator confirm it worked.
        status = run_export(export.pk)
        export.refresh_from_db()
        if export.status != ExportRequest.Status.READY:
            raise CommandError(f"The export did not finish: {status}.")
        self.stdout.write(f"{export.file.name} ({export.size} bytes, in the archive storage)")
