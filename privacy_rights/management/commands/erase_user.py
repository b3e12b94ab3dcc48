from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from privacy_kernel.audit import Actor
from privacy_rights.actions import do_request_erasure
from privacy_rights.erasure import receipt_lines, run_erasure


class Command(BaseCommand):
    help = "Erase an account now, for a request received in writing; the user gets the receipt by email."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email__iexact=options["email"].strip()).first()
        if user is None:
            raise CommandError("No account has this address.")
        if not options["yes"]:
            answer = input(f"Erase {user.email} and everything it holds, irreversibly? Type 'yes': ")
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing was erased.")
        erasure = do_request_erasure(user, actor=Actor.system("erase_user command"))
        counts = run_erasure(erasure.pk)
        for what, number in receipt_lines(counts):
            self.stdout.write(f"{what}: {number}")
        self.stdout.write("Erased; the receipt was emailed.")
