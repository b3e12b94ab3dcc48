from __future__ import annotations

import pytest

from materials.extraction import MARKDOWN, PLAIN, extract_in_process, extract_pasted
from materials.tests.extraction.documents import cv_docx, cv_markdown, cv_odt, cv_pdf


def test_it_normalises_line_ends_and_control_characters_and_trims() -> None:
    pasted = (
        "\r\n  Dear Ms Berg,\r\n\r\n\r\n\r\nI would\x07 like\u00a0to\u200b join.\x00\rKind regards,\r\n"
        "\tAlice  \r\n"
    )
    extracted = extract_pasted(pasted)
    assert extracted.text == "Dear Ms Berg,\n\nI would like to join.\nKind regards,\nAlice"
    assert (extracted.content_type, extracted.pages) == (PLAIN, None)


def test_it_keeps_markdown() -> None:
    pasted = "# Alice Andersen\n\n## Skills\n\n* **Python**, Django\n* [Kafka](https://kafka.apache.org)\n"
    extracted = extract_pasted(pasted)
    assert extracted.content_type == MARKDOWN
    assert (
        extracted.text
        == "# Alice Andersen\n\n## Skills\n\n- **Python**, Django\n- [Kafka](https://kafka.apache.org)"
    )


def test_it_returns_empty_text_for_blank_input() -> None:
    assert extract_pasted("").text == ""
    assert extract_pasted(" \n\t\r\n ").text == ""


@pytest.mark.parametrize("build", [lambda: cv_markdown().encode(), cv_docx, cv_odt, cv_pdf])
def test_it_leaves_extracted_text_unchanged_so_saving_it_again_is_a_no_op(build: object) -> None:
    text = extract_in_process(build()).text  # type: ignore[operator]
    assert extract_pasted(text).text == text


def test_it_is_stable_on_text_it_has_normalised_before() -> None:
    messy = (
        "Title\n=====\n\n* one\n  continued\n+ two\n\n1. first\n2. second\n\n---\n\nplain line\nnext line\n"
    )
    once = extract_pasted(messy).text
    assert extract_pasted(once).text == once
