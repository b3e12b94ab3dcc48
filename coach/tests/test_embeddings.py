"""The embedding model (coach.embeddings) and the lexical signal (coach.lexical). No database needed."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from coach import embeddings, lexical

REPO_DIR = Path(__file__).resolve().parents[2]

CV_LINES = [
    "Ran the migration from self-managed VMs to Kubernetes (EKS) with Terraform; zero-downtime cutover.",
    "Wrote the event pipeline on Kafka that synchronised appointments with hospital systems (HL7 FHIR).",
    "Designed the PostgreSQL schema and partitioning for 400 million ledger rows.",
    "Mentored two junior engineers; both were promoted within 18 months.",
    "Maintained Django sites for local businesses.",
    "Norwegian (native), English (fluent), German (intermediate).",
    "Dear Hiring Team at Nordlys Bank,",
    "Kind regards, Ingrid Solberg",
]


def best_line(requirement: str) -> str:
    query = embeddings.embed([requirement], query=True)
    scores = embeddings.relevance(query, embeddings.embed(CV_LINES))[0]
    return CV_LINES[int(np.argmax(scores))]


def test_it_returns_unit_float32_rows() -> None:
    vectors = embeddings.embed(["Python", "Εμπειρία", "Erfahrung mit Kubernetes", ""])

    assert vectors.dtype == np.float32
    assert vectors.shape == (4, embeddings.dimension())
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_it_is_deterministic_whatever_the_batch() -> None:
    texts = ["Experience with payment systems.", "Erfaring med HL7 FHIR.", "Gute Deutschkenntnisse."]

    first = embeddings.embed(texts)
    again = embeddings.embed(texts)
    alone = np.vstack([embeddings.embed([text]) for text in texts])
    reversed_batch = embeddings.embed(texts[::-1])[::-1]

    assert np.array_equal(first, again)
    np.testing.assert_allclose(alone, first, atol=1e-5)
    np.testing.assert_allclose(reversed_batch, first, atol=1e-5)


def test_it_embeds_no_texts_as_an_empty_matrix() -> None:
    assert embeddings.embed([]).shape == (0, embeddings.dimension())


def test_it_rejects_a_bare_string_and_non_strings() -> None:
    with pytest.raises(TypeError):
        embeddings.embed("one string")
    with pytest.raises(TypeError):
        embeddings.embed(["text", 3])  # type: ignore[list-item]


def test_it_embeds_a_text_longer_than_the_model_window() -> None:
    long_text = " ".join(["Designed and ran payment services in Python and PostgreSQL."] * 120)

    vector = embeddings.embed([long_text])

    assert vector.shape == (1, embeddings.dimension())
    assert abs(float(np.linalg.norm(vector)) - 1.0) < 1e-5


def test_it_scores_a_matching_pair_above_an_unrelated_one() -> None:
    query = embeddings.embed(["Experience running services on Kubernetes."], query=True)[0]
    matching, unrelated = embeddings.embed(
        [
            "Ran the migration from self-managed VMs to Kubernetes.",
            "Enjoys baking sourdough bread on Sundays.",
        ]
    )

    # A small model's cosines are crowded: the gap is a few hundredths, but it is there.
    assert float(query @ matching) > float(query @ unrelated)


@pytest.mark.parametrize(
    ("requirement", "expected"),
    [
        ("Erfaring med drift av tjenester på Kubernetes.", CV_LINES[0]),
        ("Erfahrung im Betrieb von Diensten auf Kubernetes.", CV_LINES[0]),
        ("Erfaring med meldingskøer som Kafka eller RabbitMQ.", CV_LINES[1]),
        ("Erfahrung mit Message-Queues wie Kafka oder RabbitMQ.", CV_LINES[1]),
        ("Fundierte Kenntnisse in PostgreSQL.", CV_LINES[2]),
        ("Inngående kunnskap om PostgreSQL.", CV_LINES[2]),
        ("Erfahrung in der Betreuung und Förderung von Nachwuchsentwicklern.", CV_LINES[3]),
        ("Svært gode norskkunnskaper, muntlig og skriftlig.", CV_LINES[5]),
        ("Εμπειρία με PostgreSQL.", CV_LINES[2]),
    ],
)
def test_it_ranks_the_right_english_cv_line_first_for_a_requirement_in_another_language(
    requirement: str, expected: str
) -> None:
    assert best_line(requirement) == expected


def test_it_takes_more_off_lines_that_resemble_every_requirement() -> None:
    query = embeddings.embed(["Erfaring med å skrive automatiserte tester."], query=True)
    specific = [
        "Introduced contract tests and property-based tests (Hypothesis) for the payments API.",
        "Designed the PostgreSQL schema and partitioning for 400 million ledger rows.",
    ]
    generic = ["Dear Hiring Team at Nordlys Bank,", "Kind regards, Ingrid Solberg"]
    chunks = embeddings.embed(specific + generic)

    penalty = (chunks @ query[0]) - embeddings.relevance(query, chunks)[0]

    assert penalty.shape == (4,)
    assert min(penalty[2:]) > max(penalty[:2])
    assert int(np.argmax(embeddings.relevance(query, chunks)[0])) == 0


def test_it_stores_vectors_as_float32_bytes_and_reads_them_back() -> None:
    vectors = embeddings.embed(["Kubernetes", "Kafka"])

    stored = [embeddings.to_bytes(row) for row in vectors]

    assert all(len(blob) == 4 * embeddings.dimension() for blob in stored)
    assert np.array_equal(embeddings.matrix_from_bytes([stored[0]])[0], vectors[0])
    # PostgreSQL hands a BinaryField back as a memoryview.
    assert np.array_equal(embeddings.matrix_from_bytes([memoryview(stored[1])])[0], vectors[1])
    assert np.array_equal(embeddings.matrix_from_bytes([memoryview(blob) for blob in stored]), vectors)


def test_it_refuses_bytes_that_are_not_float32_vectors() -> None:
    with pytest.raises(ValueError, match="float32"):
        embeddings.matrix_from_bytes([b"\x00\x01\x02"])
    with pytest.raises(ValueError, match="one vector"):
        embeddings.to_bytes(np.zeros((2, 3), dtype=np.float32))
    with pytest.raises(ValueError, match="expected 2 vectors"):
        embeddings.matrix_from_bytes([b"\x00" * 8, b"\x00" * 8])


def test_it_names_the_weights_in_the_model_version() -> None:
    weights = embeddings._WEIGHTS_PATH
    digest = hashlib.sha256(weights.read_bytes()).hexdigest()

    assert embeddings.MODEL_NAME == "multilingual-e5-small-q4"
    assert digest[:16] in embeddings.MODEL_VERSION
    assert len(embeddings.MODEL_VERSION) <= 100  # materials.Chunk.model_version


def test_it_refuses_weights_that_differ_from_the_installed_package(tmp_path: Path) -> None:
    copy = tmp_path / "weights.bin"
    copy.write_bytes(embeddings._WEIGHTS_PATH.read_bytes()[:4096])

    with pytest.raises(RuntimeError, match="sha256"):
        embeddings._load(copy, embeddings._WEIGHTS_SHA256)


def test_it_loads_the_model_offline_with_no_network() -> None:
    # A fresh interpreter in which any attempt to resolve or connect fails, and Hugging Face's libraries
    # (should anything import them) are told to stay offline.
    script = textwrap.dedent(
        """
        import socket

        def refuse(*args, **kwargs):
            raise OSError("network access attempted")

        socket.socket.connect = refuse
        socket.socket.connect_ex = refuse
        socket.create_connection = refuse
        socket.getaddrinfo = refuse

        from coach import embeddings

        vectors = embeddings.embed(["Erfaring med Kubernetes."], query=True)
        print(vectors.shape[1])
        """
    )
    environment = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(REPO_DIR)}
    completed = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=environment,
        cwd=REPO_DIR,
        timeout=300,
        check=False,
    )

    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == str(embeddings.dimension())


# --- lexical ------------------------------------------------------------------------------------------

DOCUMENTS = [
    "Designed the PostgreSQL schema and partitioning for 400 million ledger rows.",
    "Ran the migration to Kubernetes (EKS) with Terraform.",
    "Built REST APIs in Python for a patient-booking platform.",
    "Ik stuur graag kleine teams aan.",
    "Άριστη γνώση της αγγλικής γλώσσας.",
]


def test_it_ranks_the_document_sharing_the_technical_term_highest() -> None:
    for query, expected in [
        ("Deep knowledge of PostgreSQL", 0),
        ("Mehrjährige Erfahrung mit Kubernetes und Terraform", 1),
        ("Erfaring med Python-utvikling", 2),
    ]:
        scores = lexical.lexical_scores(query, DOCUMENTS)
        assert int(np.argmax(scores)) == expected, (query, scores)


def test_it_scores_between_zero_and_one() -> None:
    scores = lexical.lexical_scores("PostgreSQL PostgreSQL partitioning", DOCUMENTS)

    assert scores.shape == (len(DOCUMENTS),)
    assert np.all(scores >= 0.0)
    assert np.all(scores <= 1.0)
    assert lexical.lexical_scores(DOCUMENTS[1], DOCUMENTS)[1] == pytest.approx(1.0)


def test_it_matches_greek_whatever_the_accents_and_case() -> None:
    scores = lexical.lexical_scores("ΆΡΙΣΤΗ ΓΝΩΣΗ ΑΓΓΛΙΚΗΣ", DOCUMENTS)

    assert int(np.argmax(scores)) == 4
    assert scores[4] > 0.5


def test_it_gives_zero_for_nothing_in_common_and_for_empty_input() -> None:
    assert not lexical.lexical_scores("Zzyzx", DOCUMENTS).any()
    assert not lexical.lexical_scores("", DOCUMENTS).any()
    assert lexical.lexical_scores("Python", []).shape == (0,)
    assert lexical.lexical_scores("Python", ["", "   "]).tolist() == [0.0, 0.0]


def test_it_is_deterministic_and_one_index_answers_many_queries() -> None:
    index = lexical.LexicalIndex(DOCUMENTS)

    for query in ("Kubernetes", "PostgreSQL", "kleine teams"):
        assert np.array_equal(index.scores(query), lexical.lexical_scores(query, DOCUMENTS))
        assert np.array_equal(index.scores(query), index.scores(query))
