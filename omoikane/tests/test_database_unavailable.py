"""A request whose database connection is cut (a failover) gets a clear 503, not a 500. The connection is
really cut (pg_terminate_backend), so these run on PostgreSQL; CI runs the suite there too."""

from __future__ import annotations

import unittest

from django.db import ProgrammingError, connection
from django.http import HttpRequest, HttpResponse
from django.test import TransactionTestCase, override_settings
from django.urls import path

from omoikane.testing import cut_own_connection
from privacy_kernel import writes


def _query_after_cut(request: HttpRequest) -> HttpResponse:
    cut_own_connection()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("unreachable")


def _commit_cut(request: HttpRequest) -> HttpResponse:
    # The write's last step cuts its connection: its COMMIT is what meets the cut.
    writes.run(cut_own_connection)
    return HttpResponse("unreachable")


def _wrong_statement(request: HttpRequest) -> HttpResponse:
    raise ProgrammingError("relation does not exist")


urlpatterns = [
    path("cut/", _query_after_cut),
    path("commit-cut/", _commit_cut),
    path("wrong/", _wrong_statement),
]


@override_settings(ROOT_URLCONF=__name__, DATABASE_FAILOVER_WAIT_SECONDS=0)
class DatabaseUnavailableTests(TransactionTestCase):
    def tearDown(self) -> None:
        # A served request closes a broken connection on request_finished; the test client does not.
        connection.close()
        super().tearDown()

    @unittest.skipUnless(connection.vendor == "postgresql", "cuts a real PostgreSQL connection")
    def test_it_answers_503_when_the_database_went_away(self) -> None:
        response = self.client.get("/cut/")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response["Retry-After"], "30")
        self.assertContains(response, "Your change was not saved", status_code=503)

    @unittest.skipUnless(connection.vendor == "postgresql", "cuts a real PostgreSQL connection")
    def test_it_says_when_it_cannot_tell_whether_the_change_was_saved(self) -> None:
        response = self.client.get("/commit-cut/")
        self.assertEqual(response.status_code, 503)
        self.assertContains(response, "we cannot tell whether it was saved", status_code=503)

    @unittest.skipUnless(connection.vendor == "postgresql", "cuts a real PostgreSQL connection")
    def test_it_speaks_the_visitors_language(self) -> None:
        response = self.client.get("/cut/", HTTP_ACCEPT_LANGUAGE="nl")
        self.assertContains(response, "De database schakelt over", status_code=503)

    def test_it_leaves_other_database_errors_to_the_error_page(self) -> None:
        self.client.raise_request_exception = True
        with self.assertRaises(ProgrammingError):
            self.client.get("/wrong/")
