from __future__ import annotations

import ast
import inspect
import textwrap
from collections.abc import Callable
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import OperationalError, connection, transaction
from django.test import SimpleTestCase

from materials.models import Material
from omoikane.testing import BaseTestCase, BaseTransactionTestCase
from privacy_kernel import audit, writes
from privacy_kernel.audit import Actor
from privacy_kernel.events import Event
from privacy_kernel.models import AuditEvent
from privacy_kernel.tests.actions import production_actions
from privacy_kernel.writes import write_action


class Conflict(OperationalError):
    """What PostgreSQL and YugabyteDB raise when a transaction loses a serialization conflict."""

    sqlstate = "40001"


def _calls(function: Callable[..., Any]) -> set[str]:
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    return {ast.unparse(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}


class EveryActionIsAWriteTests(SimpleTestCase):
    def test_it_finds_the_actions(self) -> None:
        names = {function.__name__ for function in production_actions()}
        self.assertGreaterEqual(len(names), 30)
        self.assertIn("do_add_material", names)

    def test_every_action_runs_as_a_write(self) -> None:
        actions = {function.__name__: function for function in production_actions()}

        def is_write(function: Callable[..., Any]) -> bool:
            if writes.is_write_action(function):
                return True
            # An action with slow work first hands its rows to writes.run; one that only delegates calls
            # another action, which is then checked the same way.
            calls = _calls(function)
            if "writes.run" in calls:
                return True
            delegates = [
                actions[call.rsplit(".", 1)[-1]] for call in calls if call.rsplit(".", 1)[-1] in actions
            ]
            return bool(delegates) and all(is_write(other) for other in delegates if other is not function)

        self.assertEqual(sorted(name for name, function in actions.items() if not is_write(function)), [])


class WriteTests(BaseTestCase):
    def test_it_refuses_an_audit_row_in_a_transaction_no_write_owns(self) -> None:
        with self.assertRaisesMessage(RuntimeError, "no write owns"), transaction.atomic():
            audit.record(Event.PAGE_VIEWED, actor=Actor.system("test"), subject=self.alice)
        self.assertFalse(AuditEvent.objects.exists())

    def test_it_records_on_its_own_outside_any_transaction(self) -> None:
        audit.record(Event.PAGE_VIEWED, actor=Actor.system("test"), subject=self.alice)
        self.assertEqual(AuditEvent.objects.get().event, Event.PAGE_VIEWED)

    def test_an_inner_write_joins_the_outer_one(self) -> None:
        @write_action
        def inner() -> None:
            audit.record(Event.PAGE_VIEWED, actor=Actor.system("test"), subject=self.alice)

        @write_action
        def outer() -> None:
            inner()
            raise ValueError("the outer write fails after the inner one")

        with self.assertRaises(ValueError):
            outer()
        self.assertFalse(AuditEvent.objects.exists())

    def test_helpers_refuse_to_run_outside_a_write(self) -> None:
        with self.assertRaisesMessage(RuntimeError, "outside a write"):
            writes.on_commit(lambda: None)


class RetryTests(BaseTransactionTestCase):
    """Real commits and rollbacks: the write owns the outermost transaction here."""

    def test_it_runs_the_write_again_after_a_conflict_and_keeps_one_result(self) -> None:
        runs: list[int] = []

        @write_action
        def act() -> None:
            runs.append(1)
            audit.record(Event.PAGE_VIEWED, actor=Actor.system("test"), subject=self.alice)
            if len(runs) == 1:
                raise Conflict("lost a serialization conflict")

        with self.assertLogs("privacy_kernel.writes", "INFO") as logs:
            act()
        self.assertEqual(len(runs), 2)
        self.assertEqual(AuditEvent.objects.filter(subject=self.alice).count(), 1)
        self.assertIn("running it again (attempt 2)", logs.output[0])

    def test_it_gives_up_after_its_attempts(self) -> None:
        @write_action
        def act() -> None:
            raise Conflict("always")

        with self.assertRaises(Conflict), self.assertLogs("privacy_kernel.writes", "INFO") as logs:
            act()
        self.assertEqual(len(logs.output), writes.ATTEMPTS - 1)

    def test_it_does_not_retry_other_errors(self) -> None:
        runs: list[int] = []

        @write_action
        def act() -> None:
            runs.append(1)
            raise OperationalError("disk full")

        with self.assertRaises(OperationalError):
            act()
        self.assertEqual(runs, [1])

    def test_it_removes_the_files_of_a_failed_run_and_keeps_the_last(self) -> None:
        runs: list[Material] = []

        @write_action
        def act() -> Material:
            material = Material(user=self.alice, kind="cv", title="CV", size=1)
            writes.store_file(material.original, f"materials/cv-{len(runs)}.txt", ContentFile(b"x"))
            material.save()
            runs.append(material)
            if len(runs) == 1:
                raise Conflict("lost")
            return material

        with self.assertLogs("privacy_kernel.writes", "INFO"):
            kept = act()
        first, second = (str(run.original.name) for run in runs)
        self.assertFalse(default_storage.exists(first))
        self.assertTrue(default_storage.exists(second))
        self.assertEqual(list(Material.objects.values_list("original", flat=True)), [kept.original.name])

    def test_it_runs_effects_only_after_the_commit(self) -> None:
        effects: list[str] = []

        @write_action
        def act(fail: bool) -> None:
            writes.on_commit(lambda: effects.append("sent"))
            if fail:
                raise ValueError("rolled back")

        with self.assertRaises(ValueError):
            act(True)
        self.assertEqual(effects, [])
        act(False)
        self.assertEqual(effects, ["sent"])

    def test_a_rerun_starts_from_what_the_database_holds(self) -> None:
        # The first run changed the row in memory and then lost: the rerun must not see that change.
        seen: list[str] = []

        @write_action
        def rename(user: Any) -> None:
            seen.append(user.name)
            user.name = "Changed"
            user.save(update_fields=["name"])
            if len(seen) == 1:
                raise Conflict("lost")

        with self.assertLogs("privacy_kernel.writes", "INFO"):
            rename(self.alice)
        self.assertEqual(seen, ["Alice Andersen", "Alice Andersen"])

    def test_it_leaves_a_transaction_it_does_not_own_to_its_owner(self) -> None:
        runs: list[int] = []

        @write_action
        def act() -> None:
            runs.append(1)
            raise Conflict("lost")

        with self.assertRaises(Conflict), transaction.atomic():
            act()
        self.assertEqual(runs, [1])
        self.assertFalse(connection.in_atomic_block)
