from __future__ import annotations

from django.urls import reverse

from materials.models import Material
from materials.tests.factories import CV_TEXT, add_material
from omoikane.testing import BaseTestCase


class MaterialNamesTests(BaseTestCase):
    def test_it_names_pasted_text_without_a_title_by_its_first_line(self) -> None:
        material = add_material(self.alice, title="  ", text=CV_TEXT)
        self.assertEqual(material.title, "Alice Andersen")

    def test_it_cuts_a_long_first_line_on_a_word(self) -> None:
        line = (
            "Backend engineer with many years of payments experience in Oslo, Bergen and Trondheim and more"
        )
        material = add_material(self.alice, title="", text=f"{line}\n\nPython, Django, PostgreSQL.")
        self.assertEqual(
            material.title, "Backend engineer with many years of payments experience in Oslo, Bergen and…"
        )

    def test_it_keeps_a_title_without_spaces_within_the_field(self) -> None:
        material = add_material(self.alice, title="", text="x" * 400 + "\n\nPython, Django, PostgreSQL.")
        self.assertLessEqual(len(material.title), 200)

    def test_it_shows_a_human_file_type_and_size(self) -> None:
        material = add_material(self.alice, as_file=True, title="CV")
        self.client.force_login(self.alice)
        response = self.client.get(reverse("materials:detail", args=[material.pk]))
        self.assertContains(response, "<dd>Markdown text</dd>", html=False)
        self.assertNotContains(response, "text/markdown")
        listing = self.client.get(reverse("materials:list"))
        self.assertContains(listing, f"You use {len(CV_TEXT.encode())}\u00a0bytes of your 100.0\u00a0MB.")

    def test_it_names_the_material_kind_when_the_text_has_no_usable_line(self) -> None:
        from materials.actions import pasted_title

        self.assertEqual(pasted_title(Material.Kind.LETTER, "\n  \n#\n"), "Letter sample")
