"""Uploads at, just above and far above every limit, unreadable uploads and names that contradict the bytes:
each gets a message on the form, never a 500 or the generic error page, and nothing is stored."""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.test.client import RequestFactory
from django.urls import reverse

from materials.models import Chunk, Material
from materials.tests.factories import CV_TEXT
from omoikane.testing import BaseTestCase
from omoikane.uploads import MULTIPART_OVERHEAD, UploadGuardMiddleware
from privacy_kernel.models import AuditEvent

TOO_LARGE = "This file is larger than 10 MB."
UNREADABLE = "We could not read this upload."


def multipart(fields: dict[str, str], file_name: str, content: bytes) -> tuple[bytes, str]:
    """A body built by hand: the test client's own upload helper shortens long file names."""
    boundary = "----probe-boundary"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{file_name}"\r\n'
        "Content-Type: text/markdown\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


class UploadSizeTests(BaseTestCase):
    url = reverse("materials:add")

    def setUp(self) -> None:
        super().setUp()
        self.client.force_login(self.alice)

    def assert_nothing_stored(self) -> None:
        self.assertFalse(Material.objects.exists())
        self.assertFalse(Chunk.objects.exists())
        self.assertFalse(AuditEvent.objects.filter(subject=self.alice, event="material.added").exists())

    def post_file(self, size: int, name: str = "cv.txt") -> object:
        return self.client.post(self.url, {"kind": "cv", "file": SimpleUploadedFile(name, b"\0" * size)})

    def test_it_reads_a_file_of_exactly_the_limit(self) -> None:
        # Zero bytes are no document: the refusal is about the contents, so the size was accepted.
        response = self.post_file(settings.MATERIAL_MAX_BYTES)
        self.assertEqual(response.status_code, 400)  # type: ignore[attr-defined]
        self.assertNotContains(response, TOO_LARGE, status_code=400)  # type: ignore[arg-type]
        self.assert_nothing_stored()

    @override_settings(MATERIAL_MAX_BYTES=len(CV_TEXT.encode()))
    def test_it_stores_a_real_file_of_exactly_the_limit(self) -> None:
        self.client.post(self.url, {"kind": "cv", "file": SimpleUploadedFile("cv.md", CV_TEXT.encode())})
        self.assertEqual(Material.objects.get().size, settings.MATERIAL_MAX_BYTES)

    def test_it_refuses_one_byte_over_the_limit_on_the_form(self) -> None:
        response = self.post_file(settings.MATERIAL_MAX_BYTES + 1)
        self.assertContains(response, TOO_LARGE, status_code=400)  # type: ignore[arg-type]
        self.assert_nothing_stored()

    def test_it_refuses_a_body_just_over_what_it_reads_without_a_500(self) -> None:
        response = self.post_file(settings.MATERIAL_MAX_BYTES + MULTIPART_OVERHEAD + 1)
        self.assertContains(response, TOO_LARGE, status_code=413)  # type: ignore[arg-type]
        self.assertContains(response, 'name="kind"', status_code=413)  # type: ignore[arg-type]  # the form is back
        self.assert_nothing_stored()

    def test_it_refuses_a_body_far_over_the_limit(self) -> None:
        response = self.post_file(3 * settings.MATERIAL_MAX_BYTES)
        self.assertContains(response, TOO_LARGE, status_code=413)  # type: ignore[arg-type]
        self.assert_nothing_stored()

    def test_it_refuses_pasted_text_beyond_what_a_form_may_hold(self) -> None:
        # Over DATA_UPLOAD_MAX_MEMORY_SIZE in a plain field, which Django refuses with its generic 400.
        text = "a" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
        response = self.client.post(self.url, {"kind": "cv", "text": text})
        self.assertContains(response, TOO_LARGE, status_code=413)
        self.assert_nothing_stored()

    def test_it_refuses_a_declared_length_over_the_limit_without_reading_the_body(self) -> None:
        from materials.views import material_add  # the view itself, as the middleware is handed it

        request = RequestFactory().post(self.url, {"kind": "cv", "text": CV_TEXT})
        request.META["CONTENT_LENGTH"] = str(settings.MATERIAL_MAX_BYTES * 100)
        request.user = self.alice
        request.session = self.client.session
        request._dont_enforce_csrf_checks = True  # type: ignore[attr-defined]
        UploadGuardMiddleware(lambda r: None).process_view(request, material_add, (), {})  # type: ignore[arg-type,return-value]
        self.assertFalse(hasattr(request, "_post"))  # the body was never parsed
        response = material_add(request)
        self.assertEqual(response.status_code, 413)
        self.assert_nothing_stored()


class UploadNameTests(BaseTestCase):
    url = reverse("materials:add")

    def setUp(self) -> None:
        super().setUp()
        self.client = Client(enforce_csrf_checks=True)
        self.client.force_login(self.alice)
        self.client.get(reverse("materials:list"))
        self.token = self.client.cookies[settings.CSRF_COOKIE_NAME].value

    def test_it_answers_a_2000_character_file_name_on_the_form(self) -> None:
        body, content_type = multipart(
            {"csrfmiddlewaretoken": self.token, "kind": "cv"}, "a" * 2000 + ".md", CV_TEXT.encode()
        )
        response = self.client.post(self.url, body, content_type=content_type)
        self.assertContains(response, UNREADABLE, status_code=400)
        self.assertContains(response, 'name="kind"', status_code=400)
        self.assertNotContains(response, "Bad request", status_code=400)
        self.assertFalse(Material.objects.exists())

    def test_it_keeps_a_long_name_that_can_be_read_short(self) -> None:
        body, content_type = multipart(
            {"csrfmiddlewaretoken": self.token, "kind": "cv"}, "b" * 600 + ".md", CV_TEXT.encode()
        )
        self.client.post(self.url, body, content_type=content_type)
        self.assertLessEqual(len(Material.objects.get().original_name), 200)

    def test_it_still_refuses_a_readable_upload_without_the_csrf_token(self) -> None:
        body, content_type = multipart({"kind": "cv"}, "cv.md", CV_TEXT.encode())
        self.assertEqual(self.client.post(self.url, body, content_type=content_type).status_code, 403)
        self.assertFalse(Material.objects.exists())

    def test_it_refuses_a_pdf_name_on_a_web_page(self) -> None:
        page = (
            b"<!doctype html><html><body><h1>Alice Andersen</h1><p>"
            + CV_TEXT.encode()
            + b"</p></body></html>"
        )
        body, content_type = multipart({"csrfmiddlewaretoken": self.token, "kind": "cv"}, "cv.pdf", page)
        response = self.client.post(self.url, body, content_type=content_type)
        self.assertContains(
            response,
            "The name of this file ends in “.pdf”, but its contents are plain text.",
            status_code=400,
        )
        self.assertFalse(Material.objects.exists())

    def test_it_refuses_a_text_name_on_a_pdf(self) -> None:
        from materials.actions import check_name_fits
        from omoikane.errors import Refused

        with self.assertRaises(Refused) as caught:
            check_name_fits("cv.txt", "application/pdf")
        self.assertIn("its contents are a PDF", caught.exception.message)
        check_name_fits("cv.txt", "text/markdown")  # Markdown in a .txt is still text
        check_name_fits("cv", "application/pdf")  # no ending promises nothing
        check_name_fits("cv.PDF", "application/pdf")

    def test_it_checks_sign_in_before_refusing(self) -> None:
        anonymous = Client()
        response = anonymous.post(
            self.url, {"kind": "cv", "file": SimpleUploadedFile("cv.md", b"\0" * (11 * 2**20))}
        )
        self.assertEqual(response.status_code, 302)
