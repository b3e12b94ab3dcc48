"""A reply's .eml at, just above and far above its limit, and one the multipart parser cannot read: a message
on the reply form each time, never a 500 or the generic error page, and no reply stored."""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from applications.models import Reply
from applications.replies.parse import MAX_EML_BYTES
from applications.tests.factories import add_application
from materials.tests.test_upload_limits import multipart
from omoikane.testing import BaseTestCase
from omoikane.uploads import MULTIPART_OVERHEAD

TOO_LARGE = "This email is larger than 5 MB."
HEADERS = (
    b"From: Kari Nordmann <kari@fjordpay.example>\r\nSubject: Intervju\r\n"
    b"Date: Tue, 24 Nov 2026 10:00:00 +0100\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n"
    b"Vi vil gjerne invitere deg til intervju tirsdag kl. 10.\r\n"
)


def eml_of_size(size: int) -> bytes:
    """A real mail padded with quoted lines to exactly `size` bytes."""
    line = b"> " + b"x" * 76 + b"\r\n"
    padding = size - len(HEADERS)
    return HEADERS + line * (padding // len(line)) + b"y" * (padding % len(line))


class ReplyUploadLimitTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.application = add_application(self.alice)
        self.client.force_login(self.alice)
        self.url = reverse("applications:add_reply", args=[self.application.pk])

    def post_eml(self, data: bytes) -> object:
        return self.client.post(self.url, {"eml": SimpleUploadedFile("reply.eml", data)})

    def test_it_reads_an_email_of_exactly_the_limit(self) -> None:
        data = eml_of_size(MAX_EML_BYTES)
        self.assertEqual(len(data), MAX_EML_BYTES)
        response = self.post_eml(data)
        self.assertNotContains(response, TOO_LARGE, status_code=response.status_code)  # type: ignore[attr-defined,arg-type]
        self.assertEqual(Reply.objects.get().sender_email, "kari@fjordpay.example")

    def test_it_refuses_one_byte_over_on_the_form(self) -> None:
        response = self.post_eml(eml_of_size(MAX_EML_BYTES + 1))
        self.assertContains(response, TOO_LARGE, status_code=400)  # type: ignore[arg-type]
        self.assertFalse(Reply.objects.exists())

    def test_it_refuses_a_body_just_over_what_it_reads_without_a_500(self) -> None:
        response = self.post_eml(eml_of_size(MAX_EML_BYTES + MULTIPART_OVERHEAD + 1))
        self.assertContains(response, TOO_LARGE, status_code=413)  # type: ignore[arg-type]
        self.assertContains(response, 'name="eml"', status_code=413)  # type: ignore[arg-type]
        self.assertFalse(Reply.objects.exists())

    def test_it_refuses_a_body_far_over_the_limit(self) -> None:
        response = self.post_eml(b"x" * (4 * MAX_EML_BYTES))
        self.assertContains(response, TOO_LARGE, status_code=413)  # type: ignore[arg-type]
        self.assertFalse(Reply.objects.exists())

    def test_it_answers_an_unreadable_upload_on_the_form(self) -> None:
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.alice)
        client.get(self.application.get_absolute_url())
        token = client.cookies[settings.CSRF_COOKIE_NAME].value
        body, content_type = multipart({"csrfmiddlewaretoken": token}, "r" * 2000 + ".eml", HEADERS)
        response = client.post(self.url, body, content_type=content_type)
        self.assertContains(response, "We could not read this upload.", status_code=400)
        self.assertFalse(Reply.objects.exists())

    def test_it_checks_ownership_before_refusing(self) -> None:
        self.client.force_login(self.charlie)
        self.assertEqual(self.post_eml(b"x" * (2 * MAX_EML_BYTES)).status_code, 404)  # type: ignore[attr-defined]
