from __future__ import annotations

from django.contrib.auth import get_user_model
from django.http import Http404
from django.test import RequestFactory, TestCase

from privacy_kernel.models import AuditEvent, ExportRequest
from privacy_kernel.shortcuts import owned_or_404


class OwnedOr404Tests(TestCase):
    def setUp(self) -> None:
        users = get_user_model().objects
        self.alice = users.create_user("alice@example.org", "a long enough password 1")
        self.charlie = users.create_user("charlie@example.org", "a long enough password 2")
        # A bare row is enough here: the helper only reads it.
        self.export = ExportRequest.objects.create(user=self.alice)

    def test_it_returns_what_the_user_owns(self) -> None:
        request = RequestFactory().get("/")
        request.user = self.alice
        self.assertEqual(owned_or_404(request, ExportRequest, pk=self.export.pk), self.export)

    def test_it_takes_a_queryset(self) -> None:
        request = RequestFactory().get("/")
        request.user = self.alice
        found = owned_or_404(request, ExportRequest.objects.filter(status="pending"), pk=self.export.pk)
        self.assertEqual(found, self.export)

    def test_it_checks_ownership(self) -> None:
        request = RequestFactory().get("/")
        request.user = self.charlie
        with self.assertRaises(Http404):
            owned_or_404(request, ExportRequest, pk=self.export.pk)

    def test_it_refuses_a_model_that_has_no_owner(self) -> None:
        request = RequestFactory().get("/")
        request.user = self.alice
        with self.assertRaises(TypeError):
            owned_or_404(request, AuditEvent, pk=1)
