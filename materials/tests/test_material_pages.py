from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from materials.models import Chunk, Material
from materials.tasks import embed_material
from materials.tests.factories import CV_TEXT, LETTER_TEXT, add_material
from omoikane.testing import BaseTestCase
from privacy_kernel.events import Event
from privacy_kernel.models import AuditEvent


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


class AddMaterialTests(BaseTestCase):
    url = reverse("materials:add")

    def setUp(self) -> None:
        super().setUp()
        self.client.force_login(self.alice)

    def assert_nothing_stored(self) -> None:
        self.assertFalse(Material.objects.exists())
        self.assertFalse(Chunk.objects.exists())
        self.assertFalse(AuditEvent.objects.filter(event=Event.MATERIAL_ADDED).exists())

    def test_it_adds_an_uploaded_cv_with_chunks_and_embeddings(self) -> None:
        response = self.client.post(
            self.url, {"kind": "cv", "title": "", "file": upload("cv.md", CV_TEXT.encode())}
        )
        material = Material.objects.get(user=self.alice)
        self.assertRedirects(response, material.get_absolute_url(), fetch_redirect_response=False)
        self.assertEqual(
            (material.title, material.original_name, material.content_type),
            ("cv.md", "cv.md", "text/markdown"),
        )
        self.assertTrue(material.is_primary)
        self.assertEqual(material.language, "en")
        self.assertNotIn("cv.md", str(material.original.name))  # server-generated object name
        chunks = list(material.chunks.all())
        self.assertTrue(any("card-settlement pipeline" in c.text for c in chunks))
        # The page answered before the embedding: the worker adds the vectors.
        self.assertEqual(material.search, Material.Search.QUEUED)
        self.assertFalse(any(c.embedding for c in chunks))
        embed_material.call(user_id=self.alice.pk, material_id=material.pk)
        material.refresh_from_db()
        self.assertEqual(material.search, Material.Search.READY)
        self.assertTrue(all(c.embedding and c.model_name for c in material.chunks.all()))
        self.assertTrue(AuditEvent.objects.filter(event=Event.MATERIAL_ADDED, subject=self.alice).exists())

    def test_it_adds_pasted_text(self) -> None:
        self.client.post(self.url, {"kind": "letter", "title": "Letter to Fjordpay", "text": LETTER_TEXT})
        material = Material.objects.get(user=self.alice)
        self.assertEqual(material.kind, "letter")
        self.assertFalse(material.original)
        self.assertEqual(material.letter_parts["salutation"], "Dear Ms Berg,")
        self.assertIn("Kind regards", material.letter_parts["closing"])

    def test_it_keeps_only_one_primary_cv(self) -> None:
        add_material(self.alice, title="CV one")
        second = add_material(self.alice, title="CV two")
        self.assertFalse(second.is_primary)
        self.client.post(reverse("materials:primary", args=[second.pk]))
        self.assertEqual(
            list(Material.objects.filter(is_primary=True).values_list("title", flat=True)), ["CV two"]
        )

    def test_it_refuses_a_file_that_is_not_a_document(self) -> None:
        response = self.client.post(
            self.url, {"kind": "cv", "file": upload("cv.pdf", b"\x7fELF\x02\x01\x01" + bytes(200))}
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "PDF", status_code=400)
        self.assert_nothing_stored()

    def test_it_refuses_an_empty_file(self) -> None:
        response = self.client.post(self.url, {"kind": "cv", "file": upload("cv.txt", b"")})
        self.assertEqual(response.status_code, 400)
        self.assert_nothing_stored()

    @override_settings(MATERIAL_MAX_BYTES=2048)
    def test_it_refuses_an_oversize_upload(self) -> None:
        response = self.client.post(
            self.url, {"kind": "cv", "file": upload("cv.md", b"# CV\n" + b"x" * 4000)}
        )
        self.assertContains(response, "larger than", status_code=400)
        self.assert_nothing_stored()

    @override_settings(MATERIALS_QUOTA_BYTES=len(CV_TEXT.encode()) + 100)
    def test_it_refuses_uploads_beyond_the_quota(self) -> None:
        add_material(self.alice, as_file=True)
        response = self.client.post(self.url, {"kind": "cv", "file": upload("cv2.md", CV_TEXT.encode())})
        self.assertContains(response, "exceed your storage", status_code=400)
        self.assertEqual(Material.objects.count(), 1)

    def test_it_keeps_a_safe_file_name(self) -> None:
        self.client.post(
            self.url, {"kind": "cv", "file": upload("../../etc/pass\x07wd\u202e.md", CV_TEXT.encode())}
        )
        material = Material.objects.get()
        self.assertEqual(material.original_name, "passwd.md")

    def test_it_asks_for_a_file_or_text(self) -> None:
        response = self.client.post(self.url, {"kind": "cv", "title": "Nothing"})
        self.assertContains(response, "Upload a file or paste the text", status_code=400)
        self.assert_nothing_stored()

    def test_it_keeps_text_in_mixed_scripts(self) -> None:
        text = (
            "# Ελένη Παπαδοπούλου\n\n- Εμπειρία με Python και PostgreSQL στην Αθήνα.\n"
            "- Работала в Москве 😀 مرحبا"
        )
        self.client.post(self.url, {"kind": "other", "title": "Mixed", "text": text})
        material = Material.objects.get()
        self.assertIn("Ελένη", material.text)
        self.assertIn("مرحبا", material.text)


class MaterialPagesTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.material = add_material(self.alice, as_file=True)
        self.client.force_login(self.alice)

    def test_it_lists_materials(self) -> None:
        response = self.client.get(reverse("materials:list"))
        self.assertContains(response, self.material.title)
        self.assertContains(response, "Primary CV")
        self.assertTrue(AuditEvent.objects.filter(event=Event.MATERIALS_LISTED).exists())

    def test_it_shows_extracted_text_and_chunks(self) -> None:
        response = self.client.get(self.material.get_absolute_url())
        self.assertContains(response, "card-settlement pipeline")
        self.assertContains(response, "Senior Backend Engineer")
        self.assertTrue(
            AuditEvent.objects.filter(event=Event.MATERIAL_VIEWED, target_id=str(self.material.pk))
        )

    def test_it_corrects_the_text_and_reindexes(self) -> None:
        url = reverse("materials:edit", args=[self.material.pk])
        new_text = CV_TEXT + "\n## Certificates\n- Certified Kubernetes Administrator (CKA), 2024.\n"
        response = self.client.post(url, {"text": new_text})
        self.assertRedirects(response, self.material.get_absolute_url(), fetch_redirect_response=False)
        self.material.refresh_from_db()
        self.assertTrue(self.material.text_was_corrected)
        self.assertEqual(self.material.version, 2)
        self.assertTrue(self.material.chunks.filter(text__contains="CKA").exists())
        self.assertTrue(AuditEvent.objects.filter(event=Event.MATERIAL_TEXT_EDITED).exists())

    def test_it_refuses_an_empty_correction(self) -> None:
        response = self.client.post(reverse("materials:edit", args=[self.material.pk]), {"text": "   "})
        self.assertEqual(response.status_code, 400)
        self.material.refresh_from_db()
        self.assertEqual(self.material.version, 1)

    def test_it_downloads_the_original_as_an_attachment(self) -> None:
        response = self.client.get(reverse("materials:download", args=[self.material.pk]))
        self.assertEqual(b"".join(response.streaming_content), CV_TEXT.encode())  # type: ignore[attr-defined]
        self.assertTrue(response["Content-Disposition"].startswith("attachment;"))
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertTrue(AuditEvent.objects.filter(event=Event.MATERIAL_DOWNLOADED).exists())

    def test_it_deletes_file_chunks_and_embeddings(self) -> None:
        storage, name = self.material.original.storage, str(self.material.original.name)
        self.assertTrue(storage.exists(name))
        response = self.client.post(reverse("materials:delete", args=[self.material.pk]))
        self.assertRedirects(response, reverse("materials:list"), fetch_redirect_response=False)
        self.assertFalse(storage.exists(name))
        self.assertFalse(Material.objects.exists())
        self.assertFalse(Chunk.objects.exists())
        self.assertTrue(AuditEvent.objects.filter(event=Event.MATERIAL_DELETED).exists())
