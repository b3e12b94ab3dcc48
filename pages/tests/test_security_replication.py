from __future__ import annotations

from django.test import TestCase, override_settings
from django.urls import reverse


class SecurityPageReplicationTests(TestCase):
    """The tests run on one database (SQLite, or one PostgreSQL server): the page must not claim copies it
    does not have. The replicated case is shown on a real three-node cluster by `make test-failover`."""

    url = reverse("pages:security")

    @override_settings(REPLICATION_FACTOR=3)
    def test_it_says_a_single_database_is_not_replicated(self) -> None:
        response = self.client.get(self.url)
        self.assertContains(response, "This installation is not replicated")
        self.assertNotContains(response, "replicated synchronously to")
        self.assertContains(response, "read from the database for this page: 1 (promised: 3)")

    @override_settings(REPLICATION_FACTOR=1)
    def test_it_never_claims_replication_even_when_only_one_copy_is_promised(self) -> None:
        response = self.client.get(self.url)
        self.assertContains(response, "This installation is not replicated")
        self.assertNotContains(response, "the loss of one host loses nothing")

    def test_it_says_so_in_the_visitors_language(self) -> None:
        response = self.client.get(self.url, HTTP_ACCEPT_LANGUAGE="de")
        self.assertContains(response, "Diese Installation ist nicht repliziert")
