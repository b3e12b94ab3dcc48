# CVs and letters are written with en dashes and in Greek: the look-alike characters are meant.
from __future__ import annotations

from materials.chunking import ChunkDraft, chunk_text, embedding_text, sentence_spans
from materials.tests.extraction.documents import ROLE_1, cv_markdown


def test_it_makes_one_chunk_per_bullet_under_its_role() -> None:
    chunks = chunk_text(cv_markdown())
    bullets = [chunk for chunk in chunks if chunk.kind == "bullet"]
    assert len(bullets) == 5
    assert [chunk.section for chunk in bullets[:3]] == [ROLE_1] * 3
    assert bullets[0].text.startswith("Led a team of four engineers")
    assert [chunk.ordinal for chunk in chunks] == list(range(len(chunks)))


def test_it_keeps_the_document_title_out_of_the_sections() -> None:
    chunks = chunk_text(cv_markdown())
    assert all("Ingrid Solberg" not in chunk.section for chunk in chunks)
    assert chunks[0] == ChunkDraft(
        0, "line", "", "Backend engineer · Trondheim, Norway · ingrid.solberg@example.org · +47 400 00 000"
    )


def test_it_uses_every_heading_level_when_there_is_no_single_title() -> None:
    chunks = chunk_text("# Experience\n\n- Built things.\n\n# Education\n\nMSc, NTNU.")
    assert [chunk.section for chunk in chunks] == ["Experience", "Education"]


def test_it_groups_short_lines_and_lists_of_items_as_one_line_chunk() -> None:
    text = (
        "## Contact\n\nStorgata 1\n\n7011 Trondheim\n\n+47 400 00 000\n\n## Skills\n\nPython, Django, Kafka."
    )
    chunks = chunk_text(text)
    assert [(chunk.kind, chunk.section, chunk.text) for chunk in chunks] == [
        ("line", "Contact", "Storgata 1\n7011 Trondheim\n+47 400 00 000"),
        ("line", "Skills", "Python, Django, Kafka."),
    ]


def test_it_splits_a_long_paragraph_only_between_sentences() -> None:
    sentences = [
        f"In project {number} I moved the ledger service to PostgreSQL 16, e.g. with logical replication, "
        f"and kept availability at 99.95% while traffic grew by {number}.5 times."
        for number in range(1, 9)
    ]
    paragraph = " ".join(sentences)
    chunks = chunk_text(f"## Summary\n\n{paragraph}", max_chars=500)
    assert len(chunks) > 1
    assert all(chunk.kind == "paragraph" and len(chunk.text) <= 500 for chunk in chunks)
    assert " ".join(chunk.text for chunk in chunks) == paragraph
    assert all(chunk.text.startswith("In project") and chunk.text.endswith("times.") for chunk in chunks)


def test_it_splits_a_long_bullet_into_bullet_chunks() -> None:
    bullet = " ".join(f"Sentence number {number} about the migration to Kubernetes." for number in range(30))
    chunks = chunk_text(f"### Role\n\n- {bullet}", max_chars=300)
    assert len(chunks) > 1 and {chunk.kind for chunk in chunks} == {"bullet"}
    assert {chunk.section for chunk in chunks} == {"Role"}


def test_it_keeps_a_single_overlong_sentence_whole() -> None:
    sentence = "Designed " + ", ".join(f"service {number}" for number in range(200)) + "."
    assert [chunk.text for chunk in chunk_text(sentence, max_chars=100)] == [sentence]


def test_it_does_not_end_sentences_at_decimals_abbreviations_or_initials() -> None:
    text = (
        "Kept a 99.95% SLO for 1.2 million users, e.g. during Black Friday. Worked with Ms. Larsen and "
        "J. Smith, z.B. an der API. Jeg brukte f.eks. Kafka. Ποιο είναι το επόμενο βήμα; Η μετάβαση. "
        "我们完成了迁移。然后"
    )
    assert sentence_spans(text) == [
        "Kept a 99.95% SLO for 1.2 million users, e.g. during Black Friday.",
        "Worked with Ms. Larsen and J. Smith, z.B. an der API.",
        "Jeg brukte f.eks. Kafka.",
        "Ποιο είναι το επόμενο βήμα;",
        "Η μετάβαση.",
        "我们完成了迁移。",
        "然后",
    ]


def test_it_prefixes_the_text_to_embed_with_the_innermost_heading() -> None:
    chunk = chunk_text(cv_markdown())[2]
    assert embedding_text(chunk) == (
        "Senior Backend Engineer — Fjordpay AS, Trondheim (2021–present): Led a team of four engineers that "
        "rebuilt the card-settlement pipeline in Python and Django; settlement lag fell from 6 hours to 12 "
        "minutes."
    )
    assert embedding_text(ChunkDraft(0, "line", "", "Oslo")) == "Oslo"


def test_it_caps_the_section_path() -> None:
    chunks = chunk_text(f"## {'A' * 250}\n\n### {'B' * 250}\n\n- Did it.")
    assert len(chunks[0].section) == 300 and chunks[0].section.endswith("…")


def test_it_is_deterministic() -> None:
    assert chunk_text(cv_markdown()) == chunk_text(cv_markdown())
