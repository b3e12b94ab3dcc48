"""Materials benchmark: extraction, chunking and embedding of an upload, the model's load, and search.

`.venv/bin/python bench/materials.py` (`--help` for the options) measures, on one thread:

1. the upload path, `materials.actions.do_add_material` end to end, for the demo backend CV as Markdown,
   DOCX and PDF, and each of its stages on its own (sandboxed and in-process extraction, chunking,
   embedding), in chunks per second, with the peak memory of the process and of the sandbox's child;
2. the embedding model's import and first embedding in a fresh process, with its resident memory;
3. `coach.retrieval.UserIndex.load` and `.search` / `.search_many` for a user with 5,000 chunks (and
   300), the query's embedding timed apart from the scoring over the chunks.

bench/README.md ("Materials: extraction, embedding and search") says what the numbers mean. Like
bench/run.py, the run never touches var/: it migrates a throwaway SQLite file in a temporary directory,
or a scratch database beside BENCH_DATABASE_URL. bench/embeddings.py benchmarks the model itself.
"""

from __future__ import annotations

import argparse
import gc
import html
import json
import os
import platform
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from accounts.models import User
    from coach.retrieval import UserIndex

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
DEMO_DIR = REPO_DIR / "ops" / "demo_data"
CV_FILE = DEMO_DIR / "materials" / "cv_backend_en.md"

# Run as a script, this file's folder comes first on sys.path, where this very file would stand in for
# the `materials` app: the repository takes its place.
if sys.path and Path(sys.path[0] or ".").resolve() == BENCH_DIR:
    sys.path[0] = str(REPO_DIR)
elif str(REPO_DIR) not in sys.path:
    sys.path.insert(0, str(REPO_DIR))

# One thread for BLAS and OpenMP. Set before numpy is first imported (it is imported lazily below); the
# run never sets OPENBLAS_CORETYPE, which the machine's environment may pin (see the machine's docs).
THREAD_VARIABLES = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
FORMATS = ("md", "docx", "pdf")


# --- Helpers ------------------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    from bench.run import positive_int, result_name

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--chunks", type=positive_int, default=5000, help="chunks of the search user (5000)")
    parser.add_argument(
        "--compare-chunks", type=positive_int, default=300, help="chunks of the smaller user (300)"
    )
    parser.add_argument(
        "--distinct",
        type=positive_int,
        default=1000,
        help="chunk texts embedded for real; the other rows reuse their vectors (1000; --distinct 5000 "
        "embeds every row, about 3 minutes more)",
    )
    parser.add_argument("--queries", type=positive_int, default=200, help="requirement lines searched (200)")
    parser.add_argument("--load-runs", type=positive_int, default=20, help="UserIndex.load runs (20)")
    parser.add_argument(
        "--repeat", type=positive_int, default=5, help="measured uploads and stage runs per format (5)"
    )
    parser.add_argument(
        "--model-runs", type=positive_int, default=3, help="fresh processes loading the model"
    )
    parser.add_argument(
        "--name", type=result_name, default="materials", help="writes bench/results/NAME.json (materials)"
    )
    parser.add_argument(
        "--search-only",
        action="store_true",
        help="only the search part (3): no uploads, stages or model loads",
    )
    parser.add_argument("--seed", type=int, default=1, help="random seed, for repeatable data (default 1)")
    parser.add_argument(
        "--uploads-only",
        action="store_true",
        help="measure only the uploads (to the page, and the worker's embedding); about a minute",
    )
    # The model's load is measured by this file in a fresh process: that process's entry point.
    parser.add_argument("--model-load-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--sandbox-peak-child", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def status_mb() -> dict[str, float]:
    """Resident memory now (VmRSS) and at its peak (VmHWM) in MB, from /proc/self/status."""
    values: dict[str, float] = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = round(int(rest.split()[0]) / 1024, 1)
    return {"rss_mb": values.get("VmRSS", 0.0), "peak_mb": values.get("VmHWM", 0.0)}


def reset_peak() -> bool:
    """Start VmHWM again from the current resident size (Linux 4.0+), so a stage's own peak shows."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def maxrss_mb(who: int) -> float:
    """ru_maxrss (kB on Linux) of this process or of its largest waited-for child, in MB."""
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def pct(values: Sequence[float], fraction: float) -> float:
    from bench.run import percentile

    return percentile(values, fraction)


def timing(values_ms: Sequence[float]) -> dict[str, float]:
    return {
        "p50_ms": round(pct(values_ms, 0.5), 3),
        "p95_ms": round(pct(values_ms, 0.95), 3),
        "mean_ms": round(statistics.fmean(values_ms), 3),
        "max_ms": round(max(values_ms), 3),
    }


@dataclass
class Timed:
    """Wall and CPU time of repeated runs of one thing, with the chunks each run handled."""

    wall_ms: list[float]
    cpu_seconds: float
    chunks_per_run: int

    def summary(self) -> dict[str, Any]:
        total_chunks = self.chunks_per_run * len(self.wall_ms)
        wall_seconds = sum(self.wall_ms) / 1000
        return {
            "runs": len(self.wall_ms),
            "chunks_per_run": self.chunks_per_run,
            **timing(self.wall_ms),
            "chunks_per_second": round(total_chunks / wall_seconds, 1) if wall_seconds else None,
            "chunks_per_cpu_second": round(total_chunks / self.cpu_seconds, 1) if self.cpu_seconds else None,
        }


def run_timed(action: Callable[[], object], runs: int, chunks_per_run: int) -> Timed:
    """`runs` calls of `action`; CPU time is this process's and that of the children it waited for."""
    wall: list[float] = []
    cpu_before, children_before = time.process_time(), children_cpu()
    for _ in range(runs):
        started = time.perf_counter()
        action()
        wall.append((time.perf_counter() - started) * 1000)
    cpu = time.process_time() - cpu_before + children_cpu() - children_before
    return Timed(wall, cpu, chunks_per_run)


# --- Documents ----------------------------------------------------------------------------------------------


def cv_structure(markdown: str) -> list[tuple[str, str]]:
    """The demo CV's Markdown as (kind, text): title, section, role, bullet, para."""
    kinds = {"# ": "title", "## ": "section", "### ": "role", "- ": "bullet"}
    items: list[tuple[str, str]] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            items.append(("para", " ".join(paragraph)))
            paragraph.clear()

    for line in markdown.splitlines():
        stripped = line.strip()
        mark = next((mark for mark in kinds if stripped.startswith(mark)), None)
        if mark is not None:
            flush()
            items.append((kinds[mark], stripped[len(mark) :]))
        elif stripped:
            paragraph.append(stripped)
        else:
            flush()
    flush()
    return items


def cv_as_docx(items: list[tuple[str, str]]) -> bytes:
    import docx

    from materials.tests.extraction.documents import docx_bytes

    document = docx.Document()
    levels = {"title": 0, "section": 1, "role": 2}
    for kind, text in items:
        if kind in levels:
            document.add_heading(text, levels[kind])
        elif kind == "bullet":
            document.add_paragraph(text, style="List Bullet")
        else:
            document.add_paragraph(text)
    return docx_bytes(document)


def cv_as_pdf(items: list[tuple[str, str]]) -> bytes:
    from materials.tests.extraction.documents import PdfLayout

    layout = PdfLayout()
    for kind, text in items:
        if kind == "title":
            layout.line(text, size=20, bold=True)
        elif kind == "section":
            layout.line(text, size=14, bold=True, gap=10)
        elif kind == "role":
            layout.line(text, size=11.5, bold=True, gap=6)
        elif kind == "bullet":
            layout.bullet(text)
        else:
            layout.paragraph(text)
    return layout.pdf()


def sample_documents() -> dict[str, bytes]:
    """The demo backend CV as a user would upload it, in each measured format."""
    markdown = CV_FILE.read_bytes()
    items = cv_structure(markdown.decode())
    return {"md": markdown, "docx": cv_as_docx(items), "pdf": cv_as_pdf(items)}


def requirement_lines() -> dict[str, list[str]]:
    """Each demo posting's bullet lines ("- " lines of the text ones, <li> of the page's body)."""
    postings: dict[str, list[str]] = {}
    for path in sorted((DEMO_DIR / "postings").iterdir()):
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".html":
            body = text.split("<body", 1)[-1]
            lines = [
                html.unescape(re.sub(r"<[^>]+>", "", item)).strip()
                for item in re.findall(r"<li>(.*?)</li>", body)
            ]
        else:
            lines = [line[2:].strip() for line in text.splitlines() if line.startswith("- ")]
        postings[path.stem] = [line for line in lines if line]
    return postings


# --- Generated chunks ---------------------------------------------------------------------------------------

PROGRAMMING_LANGUAGES = ["Python", "Go", "Java", "Kotlin", "TypeScript", "Rust", "C#", "Scala"]
FRAMEWORKS = ["Django", "FastAPI", "Flask", "Spring Boot", "Express", "ASP.NET Core", "Ktor", "Gin"]
DATABASES = ["PostgreSQL", "MySQL", "MariaDB", "SQL Server", "Oracle", "CockroachDB", "ClickHouse"]
QUEUES = ["Kafka", "RabbitMQ", "NATS", "Amazon SQS", "Google Pub/Sub", "Redis Streams"]
PLATFORMS = ["Kubernetes (EKS)", "Kubernetes (GKE)", "Kubernetes (AKS)", "Nomad", "Amazon ECS", "OpenShift"]
OLD_HOSTS = ["self-managed VMs", "bare-metal servers", "a Heroku setup", "hand-built Docker hosts"]
IAC = ["Terraform", "Pulumi", "CloudFormation", "Ansible", "OpenTofu"]
DELIVERY = ["Argo CD", "Flux", "GitLab CI", "GitHub Actions", "Jenkins", "Spinnaker"]
TEST_TOOLS = ["Hypothesis", "pytest", "Pact", "JUnit 5", "Testcontainers", "Playwright"]
OBSERVABILITY = [
    "Prometheus and Grafana",
    "OpenTelemetry",
    "Datadog",
    "New Relic",
    "Honeycomb",
    "the ELK stack",
]
CLOUDS = ["AWS", "Google Cloud", "Azure", "Hetzner Cloud", "OVHcloud"]
ML_TOOLS = ["pandas and scikit-learn", "statsmodels", "PyTorch", "LightGBM", "Prophet", "XGBoost"]
MARKETING_TOOLS = ["HubSpot", "Marketo", "Salesforce Pardot", "ActiveCampaign", "Mailchimp"]
AD_TOOLS = ["Google Ads, LinkedIn Ads", "Meta Ads", "Microsoft Advertising", "Google Ads"]
COMPANIES = [
    "Fjordpay AS", "Helsepunkt", "Kode & Kaffe", "GroenGoed B.V.", "Stroomlijn Software", "Nordlys Bank",
    "Krone Pay", "Vidda Retail", "Elbwerk Energie GmbH", "Pasientlinken AS", "Zonnewerk Installaties",
    "Havbris Logistics", "Polarlys Health", "Brugwerk B.V.", "Alpenstrom AG", "Tindra Data",
    "Aegean Payments", "Skagen Analytics",
]  # fmt: skip
CITIES = ["Oslo", "Trondheim", "Bergen", "Utrecht", "Amsterdam", "Hamburg", "Berlin", "Stockholm", "Athens"]
SYSTEMS = [
    "card-settlement pipeline", "billing engine", "loyalty platform", "booking service",
    "invoice pipeline", "search backend", "reporting warehouse", "claims-processing system",
    "pricing service", "identity service",
]  # fmt: skip
ENTITIES = ["ledger", "invoice", "order", "appointment", "payment", "shipment", "claim", "meter-reading"]
DOMAINS = ["patient-booking", "grocery-delivery", "e-learning", "energy-billing", "ticketing", "insurance"]
HOSPITALS = [
    "St. Olav University Hospital", "Oslo University Hospital", "Haukeland University Hospital",
    "UMC Utrecht", "Charité Berlin",
]  # fmt: skip
ROLES = [
    "Backend Engineer", "Senior Backend Engineer", "Platform Engineer", "Data Scientist", "Marketing Manager",
    "Registered Nurse", "Site Reliability Engineer", "Tech Lead", "Data Engineer", "Online Marketeer",
]  # fmt: skip
SKILLS = sorted(
    {
        *PROGRAMMING_LANGUAGES,
        *FRAMEWORKS,
        *DATABASES,
        *QUEUES,
        *IAC,
        *DELIVERY,
        *TEST_TOOLS,
        *CLOUDS,
        *MARKETING_TOOLS,
    }
    | {"Docker", "Redis", "Celery", "GraphQL", "REST", "gRPC", "HL7 FHIR", "PCI DSS", "GDPR", "SEO", "SQL"}
)

# (chunk kind, template) in the shapes of the demo CVs and letters, in four of the five languages.
TEMPLATES: list[tuple[str, str]] = [
    ("bullet", "Led a team of {n} engineers that rebuilt the {system} in {lang} and {framework}; "
     "{entity} lag fell from {hours} hours to {minutes} minutes."),
    ("bullet", "Designed the {db} schema and partitioning for {big} million {entity} rows; p95 query time "
     "dropped from {ms_high} ms to {ms_low} ms."),
    ("bullet", "Introduced contract tests and property-based tests ({test_tool}) for the {entity} API; "
     "production incidents fell by {percent}% in a year."),
    ("bullet", "Ran the migration from {old} to {platform} with {iac} and {delivery}; zero-downtime "
     "cutover."),
    ("bullet", "Mentored {n} junior engineers; {k} were promoted within {months} months."),
    ("bullet", "Built REST and GraphQL APIs in {lang} ({framework}) for a {domain} platform serving "
     "{users} million users."),
    ("bullet", "Wrote the event pipeline on {queue} that synchronised {entity} records with {partner}'s "
     "systems."),
    ("bullet", "On-call for a {slo}% availability SLO at {company}; wrote most of the runbooks."),
    ("bullet", "Built demand-forecasting models in {lang} ({ml}) for {stores} stores; forecast error fell by "
     "{percent}%."),
    ("bullet", "Ran {n} A/B experiments a quarter with the commercial team and presented the results to "
     "the board of {company}."),
    ("bullet", "Cared for up to {k} ventilated patients per shift in a {beds}-bed intensive care unit at "
     "{hospital}."),
    ("bullet", "Managed a marketing budget of €{budget} and a team of {n}; qualified leads grew by "
     "{percent}% in {months} months."),
    ("bullet", "Set up marketing automation in {marketing}; organic traffic rose by {percent}% in {years} "
     "years."),
    ("bullet", "Cut {cloud} costs by {percent}% by rightsizing {n} services and moving batch jobs to spot "
     "instances."),
    ("bullet", "Introduced {observability} dashboards and alerting for {n} services; mean time to recovery "
     "fell from {hours} hours to {minutes} minutes."),
    ("bullet", "Implemented GDPR data-export and deletion flows across {n} services at {company}, "
     "including audit logging."),
    ("paragraph", "{role} with {years} years of experience building {domain} services in {lang}. I like "
     "boring, well-tested systems, careful data modelling and on-call rotations that stay quiet."),
    ("paragraph", "At {company} I led the rebuild of our {system}. The old batch job ran every {hours} "
     "hours and failed quietly; the new one streams {entity} entries through a small set of {framework} "
     "services and finishes in about {minutes} minutes."),
    ("paragraph", "Your posting mentions {db} at scale and a team that is still forming. I designed the "
     "partitioning for our {big}-million-row {entity} store and I have mentored {k} engineers into senior "
     "roles, so both parts feel familiar."),
    ("line", "MSc Computer Science — {university}, {city} ({year}). Thesis: {thesis}."),
    ("line", "{skills}."),
    ("paragraph", "Dear Hiring Team at {company}, I am writing about the {role} post in {city}."),
    ("bullet", "Verantwoordelijk voor een marketingbudget van € {budget} en een team van {n} bij {company}."),
    ("bullet", "Nieuwe contentstrategie opgezet; organisch verkeer steeg in {years} jaar met {percent}%."),
    ("bullet", "SEA-campagnes beheerd ({ads}) met een jaarbudget van € {budget}; CPA daalde met {percent}%."),
    ("bullet", "Utviklet og driftet API-er i {lang} for en {domain}-plattform med {users} millioner "
     "brukere."),
    ("bullet", "Ledet et team på {n} utviklere som flyttet {system} fra {old} til {platform}."),
    ("bullet", "Betrieb und Automatisierung einer {platform}-Plattform mit {n} Clustern und {iac}."),
    ("bullet", "Aufbau von Monitoring und Alerting mit {observability} für {n} Dienste; die Ausfallzeit sank "
     "um {percent} %."),
]  # fmt: skip
UNIVERSITIES = ["NTNU", "University of Oslo", "Universiteit van Amsterdam", "TU Delft", "TU München", "KTH"]
THESES = [
    "consistency models for replicated ledgers", "forecasting demand under promotions",
    "privacy-preserving record linkage", "scheduling for renewable energy", "fault-tolerant event streams",
]  # fmt: skip


def fillers(rng: random.Random) -> dict[str, object]:
    hours = rng.randint(2, 12)
    return {
        "n": rng.randint(2, 12),
        "k": rng.randint(1, 4),
        "lang": rng.choice(PROGRAMMING_LANGUAGES),
        "framework": rng.choice(FRAMEWORKS),
        "db": rng.choice(DATABASES),
        "queue": rng.choice(QUEUES),
        "platform": rng.choice(PLATFORMS),
        "old": rng.choice(OLD_HOSTS),
        "iac": rng.choice(IAC),
        "delivery": rng.choice(DELIVERY),
        "test_tool": rng.choice(TEST_TOOLS),
        "observability": rng.choice(OBSERVABILITY),
        "cloud": rng.choice(CLOUDS),
        "ml": rng.choice(ML_TOOLS),
        "marketing": rng.choice(MARKETING_TOOLS),
        "ads": rng.choice(AD_TOOLS),
        "company": rng.choice(COMPANIES),
        "partner": rng.choice(COMPANIES),
        "city": rng.choice(CITIES),
        "system": rng.choice(SYSTEMS),
        "entity": rng.choice(ENTITIES),
        "domain": rng.choice(DOMAINS),
        "hospital": rng.choice(HOSPITALS),
        "role": rng.choice(ROLES),
        "university": rng.choice(UNIVERSITIES),
        "thesis": rng.choice(THESES),
        "hours": hours,
        "minutes": rng.randint(5, 55),
        "big": rng.randint(20, 900),
        "ms_high": rng.randint(300, 2500),
        "ms_low": rng.randint(8, 120),
        "percent": rng.randint(10, 90),
        "months": rng.randint(6, 30),
        "years": rng.randint(2, 15),
        "users": f"{rng.randint(2, 60) / 10:.1f}",
        "slo": rng.choice(["99.9", "99.95", "99.99"]),
        "stores": rng.randint(20, 900),
        "beds": rng.randint(8, 40),
        "budget": f"{rng.randint(2, 60) * 50_000:,}".replace(",", "."),
        "year": rng.randint(1998, 2024),
        "skills": ", ".join(rng.sample(SKILLS, rng.randint(8, 16))),
    }


# As many as the demo backend CV has; a material's texts are about as long as its chunks together.
CHUNKS_PER_MATERIAL = 16


@dataclass(frozen=True)
class GeneratedChunk:
    kind: str
    section: str
    text: str
    # The row of the distinct texts whose vector this chunk stores (its own, when it is one of them).
    vector_of: int


def generate_chunks(count: int, distinct: int, seed: int) -> list[GeneratedChunk]:
    """`count` chunk texts, all different; each beyond the first `distinct` is the template of one of
    those with other names and numbers, and will store that one's vector."""
    from materials.chunking import SECTION_SEPARATOR

    rng = random.Random(seed)
    seen: set[str] = set()
    chunks: list[GeneratedChunk] = []
    for row in range(count):
        base = row if row < distinct else row % distinct
        # The base's template with new names and numbers; the next template when those run out.
        for attempt in range(1000):
            kind, template = TEMPLATES[(base + attempt // 100) % len(TEMPLATES)]
            text = template.format(**fillers(rng))
            if text not in seen:
                break
        else:
            raise RuntimeError("the templates ran out of different texts")
        seen.add(text)
        # One heading per material.
        values = fillers(random.Random(f"{seed}-{row // CHUNKS_PER_MATERIAL}"))
        section = SECTION_SEPARATOR.join(
            ["Experience", f"{values['role']} — {values['company']}, {values['city']} ({values['year']})"]
        )
        chunks.append(GeneratedChunk(kind, section, text, base))
    return chunks


def embed_generated(chunks: list[GeneratedChunk]) -> tuple[list[bytes], Timed, int]:
    """Real vectors for the distinct texts (the rows whose vector is their own), timed."""
    from coach.indexing import vectors_for
    from materials.chunking import ChunkDraft, embedding_text

    own = [chunk for row, chunk in enumerate(chunks) if chunk.vector_of == row]
    texts = [embedding_text(ChunkDraft(ordinal=0, kind=c.kind, section=c.section, text=c.text)) for c in own]
    vectors: list[bytes] = []

    def run() -> None:
        vectors.extend(vectors_for(texts))

    timed = run_timed(run, 1, len(texts))
    return vectors, timed, round(statistics.fmean(map(len, texts)))


def store_user(label: str, chunks: list[GeneratedChunk], vectors: list[bytes]) -> User:
    """A user holding `chunks` in materials of CHUNKS_PER_MATERIAL, written straight to the database."""
    from accounts.models import User
    from coach import embeddings
    from materials.models import Chunk, Material

    user = User.objects.create_user(f"{label}@example.org", None, name=f"Bench {label}", language="en")
    size = CHUNKS_PER_MATERIAL
    groups = [chunks[start : start + size] for start in range(0, len(chunks), size)]
    materials = Material.objects.bulk_create(
        [
            Material(
                user=user,
                kind=Material.Kind.CV if number % 5 == 0 else Material.Kind.OTHER,
                title=f"Material {number + 1}",
                content_type="text/markdown",
                size=sum(len(c.text.encode()) for c in group),
                language="en",
                extracted_text="\n".join(f"- {c.text}" for c in group),
                text="\n".join(f"- {c.text}" for c in group),
                is_primary=number == 0,
            )
            for number, group in enumerate(groups)
        ]
    )
    Chunk.objects.bulk_create(
        [
            Chunk(
                material=material,
                user=user,
                ordinal=ordinal,
                kind=chunk.kind,
                section=chunk.section[:300],
                text=chunk.text,
                embedding=vectors[chunk.vector_of],
                model_name=embeddings.MODEL_NAME,
                model_version=embeddings.MODEL_VERSION,
            )
            for material, group in zip(materials, groups, strict=True)
            for ordinal, chunk in enumerate(group)
        ],
        batch_size=500,
    )
    return user


# --- 1. Upload and stages -----------------------------------------------------------------------------------


def bench_user(label: str) -> User:
    from accounts.models import User

    return User.objects.create_user(f"{label}@example.org", None, name=f"Bench {label}", language="en")


# The stages do_add_material calls, by their names in materials.actions. The embedding is not one of them any
# more: the worker does it after the page has answered (materials.search.do_embed_material, timed apart).
UPLOAD_PARTS = ("extract", "chunk_text")


@contextmanager
def timed_parts(totals: dict[str, float]) -> Iterator[None]:
    """Time the stages inside do_add_material: materials.actions' names for them are wrapped meanwhile."""
    from materials import actions

    originals: dict[str, Callable[..., Any]] = {name: getattr(actions, name) for name in UPLOAD_PARTS}

    def wrapped(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                totals[name] = totals.get(name, 0.0) + (time.perf_counter() - started) * 1000

        return timed

    for name, function in originals.items():
        setattr(actions, name, wrapped(name, function))
    try:
        yield
    finally:
        for name, function in originals.items():
            setattr(actions, name, function)


def measure_uploads(documents: dict[str, bytes], repeat: int) -> dict[str, Any]:
    """do_add_material end to end (what the page waits for), per format, then the worker's embedding of the
    same uploads (do_embed_material), timed apart: one warm-up upload each, then `repeat` measured.

    `inline_p50_ms` is the p50 of the two together, upload by upload: what the page waited for when the
    request embedded the chunks itself."""
    from materials.actions import do_add_material
    from materials.search import do_embed_material
    from privacy_kernel.audit import Actor

    results: dict[str, Any] = {}
    for fmt, data in documents.items():
        user = bench_user(f"upload-{fmt}")
        added: list[Any] = []

        def upload(fmt: str = fmt, data: bytes = data, user: User = user, added: list[Any] = added) -> None:
            added.append(
                do_add_material(
                    user,
                    kind="cv",
                    title=f"CV ({fmt})",
                    actor=Actor.system("bench"),
                    data=data,
                    file_name=f"cv.{fmt}",
                )
            )

        upload()  # warm-up: the first one also loads the model (in the worker's embedding below)
        do_embed_material(added.pop())
        totals: dict[str, float] = {}
        reset_peak()
        with timed_parts(totals):
            timed = run_timed(upload, repeat, 0)
        chunks = added[-1].chunks.count()
        timed.chunks_per_run = chunks
        worker_ms = []
        for material in added:
            started = time.perf_counter()
            do_embed_material(material)
            worker_ms.append((time.perf_counter() - started) * 1000)
        summary = timed.summary()
        breakdown = {name: round(totals.get(name, 0.0) / repeat, 2) for name in UPLOAD_PARTS}
        breakdown["rest"] = round(summary["mean_ms"] - sum(breakdown.values()), 2)
        inline = [page + worker for page, worker in zip(timed.wall_ms, worker_ms, strict=True)]
        results[fmt] = {
            "bytes": len(data),
            **summary,
            "breakdown_mean_ms": breakdown,
            "worker_embedding": {**timing(worker_ms), "chunks": chunks},
            "inline_p50_ms": round(pct(inline, 0.5), 3),
            "process_peak_mb": status_mb()["peak_mb"],
        }
        print(
            f"  upload {fmt}: {results[fmt]['p50_ms']:.0f} ms to the page, then "
            f"{results[fmt]['worker_embedding']['p50_ms']:.0f} ms in the worker for {chunks} chunks "
            f"(both inline: {results[fmt]['inline_p50_ms']:.0f} ms)"
        )
    return results


def sandbox_peak_child() -> dict[str, float]:
    """In a small fresh process: extract() the file on stdin and report its sandbox child's ru_maxrss.

    A child's ru_maxrss starts from its parent's high-water mark (exec keeps it), so measured from the
    web process it only repeats that process's size. From here the floor is this small process's peak.
    """
    from materials.extraction import extract

    data = sys.stdin.buffer.read()
    floor = status_mb()["peak_mb"]
    extract(data)
    return {"launcher_peak_mb": floor, "children_maxrss_mb": maxrss_mb(resource.RUSAGE_CHILDREN)}


def sandbox_child_peak(data: bytes) -> dict[str, Any]:
    completed = subprocess.run(  # noqa: S603 - this very file, with fixed arguments
        [sys.executable, str(Path(__file__).resolve()), "--sandbox-peak-child"],
        input=data,
        capture_output=True,
        env={**os.environ, **THREAD_VARIABLES},
        cwd=REPO_DIR,
        check=True,
    )
    measured: dict[str, float] = json.loads(completed.stdout.decode().strip().splitlines()[-1])
    # At or below the floor, the child's own peak is not known, only that it was no higher.
    own = measured["children_maxrss_mb"] > measured["launcher_peak_mb"] + 1
    return {**measured, "child_peak_mb": measured["children_maxrss_mb"] if own else None}


def measure_stages(documents: dict[str, bytes], repeat: int) -> dict[str, Any]:
    from coach.indexing import vectors_for
    from materials.chunking import chunk_text, embedding_text
    from materials.extraction import extract, extract_in_process

    stages: dict[str, Any] = {
        "sandbox_extract": {},
        "extract_in_process": {},
        "chunk_text": {},
        "vectors_for": {},
    }
    for fmt, data in documents.items():
        extracted = extract_in_process(data)
        drafts = chunk_text(extracted.text)
        texts = [embedding_text(draft) for draft in drafts]
        count = len(drafts)
        measured: list[tuple[str, Callable[[], object], int]] = [
            ("sandbox_extract", partial(extract, data), repeat),
            ("extract_in_process", partial(extract_in_process, data), repeat),
            # Quick: more runs for a steady number.
            ("chunk_text", partial(chunk_text, extracted.text), repeat * 20),
            ("vectors_for", partial(vectors_for, texts), repeat),
        ]
        for stage, action, runs in measured:
            action()
            reset_peak()
            timed = run_timed(action, runs, count)
            stages[stage][fmt] = {**timed.summary(), "process_peak_mb": status_mb()["peak_mb"]}
        stages["sandbox_extract"][fmt].update(sandbox_child_peak(data))
        stages["vectors_for"][fmt]["characters_per_chunk"] = round(statistics.fmean(map(len, texts)))
        stages["sandbox_extract"][fmt]["content_type"] = extracted.content_type
        print(f"  stages {fmt}: {count} chunks")
    return stages


# --- 2. Model load ------------------------------------------------------------------------------------------


def model_load_child() -> dict[str, Any]:
    """In a fresh process: import, first embedding (the model's load), a second one, the hub vector."""
    before = status_mb()
    started = time.perf_counter()
    import numpy

    numpy_seconds = time.perf_counter() - started
    after_numpy = status_mb()
    started = time.perf_counter()
    from coach import embeddings

    import_seconds = time.perf_counter() - started
    after_import = status_mb()
    line = "Designed the PostgreSQL schema and partitioning for 400 million ledger rows."
    started = time.perf_counter()
    chunk = embeddings.embed([line])
    first_seconds = time.perf_counter() - started
    after_first = status_mb()
    started = time.perf_counter()
    embeddings.embed([line])
    second_seconds = time.perf_counter() - started
    started = time.perf_counter()
    embeddings.relevance(embeddings.embed(["Deep knowledge of PostgreSQL."], query=True), chunk)
    hub_seconds = time.perf_counter() - started
    after_hub = status_mb()
    # The upload path also detects the material's language: py3langid loads its own model on first use.
    from materials.language import detect_language

    started = time.perf_counter()
    detect_language(CV_FILE.read_text(encoding="utf-8"))
    language_seconds = time.perf_counter() - started
    return {
        "numpy_import_seconds": round(numpy_seconds, 3),
        "import_seconds": round(import_seconds, 3),
        "first_embed_seconds": round(first_seconds, 3),
        "second_embed_ms": round(second_seconds * 1000, 1),
        "first_relevance_seconds": round(hub_seconds, 3),
        "first_detect_language_seconds": round(language_seconds, 3),
        "rss_mb": {
            "start": before["rss_mb"],
            "after_numpy": after_numpy["rss_mb"],
            "after_import": after_import["rss_mb"],
            "after_first_embed": after_first["rss_mb"],
            "after_hub_vector": after_hub["rss_mb"],
            "after_detect_language": status_mb()["rss_mb"],
        },
        "peak_mb": after_hub["peak_mb"],
        "peak_with_language_mb": status_mb()["peak_mb"],
        "numpy": numpy.__version__,
    }


def measure_model_load(runs: int) -> dict[str, Any]:
    env = {**os.environ, **THREAD_VARIABLES}
    samples = []
    for _ in range(runs):
        completed = subprocess.run(  # noqa: S603 - this very file, with fixed arguments
            [sys.executable, str(Path(__file__).resolve()), "--model-load-child"],
            capture_output=True,
            text=True,
            env=env,
            cwd=REPO_DIR,
            check=True,
        )
        samples.append(json.loads(completed.stdout.strip().splitlines()[-1]))

    def median(path: Sequence[str]) -> float:
        values = []
        for sample in samples:
            value: Any = sample
            for key in path:
                value = value[key]
            values.append(float(value))
        return round(statistics.median(values), 3)

    first = samples[0]
    return {
        "runs": runs,
        "numpy_import_seconds": median(["numpy_import_seconds"]),
        "import_seconds": median(["import_seconds"]),
        "first_embed_seconds": median(["first_embed_seconds"]),
        "second_embed_ms": median(["second_embed_ms"]),
        "first_relevance_seconds": median(["first_relevance_seconds"]),
        "first_detect_language_seconds": median(["first_detect_language_seconds"]),
        "rss_mb": {key: median(["rss_mb", key]) for key in first["rss_mb"]},
        "peak_mb": median(["peak_mb"]),
        "peak_with_language_mb": median(["peak_with_language_mb"]),
        "samples": samples,
    }


# --- 3. Search ----------------------------------------------------------------------------------------------


def traced(action: Callable[[], object]) -> tuple[float, float]:
    """MB of Python and NumPy memory that `action`'s result holds, and the peak while it ran."""
    gc.collect()
    tracemalloc.start()
    try:
        result = action()
        held, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del result
    return round(held / 2**20, 1), round(peak / 2**20, 1)


# What UserIndex.load reads of each chunk's material, besides its own row: with select_related, every
# chunk brings its own copy of the whole material, full texts included. Measured as an alternative.
MATERIAL_TEXT_FIELDS = ("material__text", "material__extracted_text", "material__letter_parts")


def measure_load(user: User, runs: int) -> dict[str, Any]:
    """UserIndex.load end to end (warm in memory, from its file, from the database), then the parts of
    a load from the database (the same steps, each timed) and its memory."""
    from coach import embeddings, warm_index
    from coach.lexical import LexicalIndex
    from coach.retrieval import UserIndex
    from materials.models import Chunk

    UserIndex.load(user)
    whole, whole_cpu = [0.0] * runs, [0.0] * runs
    for run in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        UserIndex.load(user)
        whole[run] = (time.perf_counter() - started) * 1000
        whole_cpu[run] = (time.process_time() - started_cpu) * 1000
    cold: dict[str, list[float]] = {"from_file": [], "from_database": []}
    for _ in range(max(3, runs // 2)):
        for name, forget in (
            ("from_file", warm_index.clear_memory),
            ("from_database", lambda: warm_index.forget(user.pk)),
        ):
            forget()
            started = time.perf_counter()
            UserIndex.load(user)
            cold[name].append((time.perf_counter() - started) * 1000)
    queryset = (
        Chunk.objects.filter(user=user, embedding__isnull=False)
        .select_related("material")
        .order_by("material_id", "ordinal")
    )
    fetch, fetch_deferred, matrix, lexical = [], [], [], []
    for _ in range(max(3, runs // 4)):
        started = time.perf_counter()
        chunks = list(queryset.all())
        fetched = time.perf_counter()
        embeddings.matrix_from_bytes([bytes(c.embedding) for c in chunks if c.embedding is not None])
        built = time.perf_counter()
        LexicalIndex([c.text for c in chunks])
        done = time.perf_counter()
        list(queryset.defer(*MATERIAL_TEXT_FIELDS))
        deferred = time.perf_counter()
        fetch.append((fetched - started) * 1000)
        matrix.append((built - fetched) * 1000)
        lexical.append((done - built) * 1000)
        fetch_deferred.append((deferred - done) * 1000)

    def load_from_database() -> UserIndex:
        warm_index.forget(user.pk)
        return UserIndex.load(user)

    index_held, index_peak = traced(load_from_database)
    rows_held, _ = traced(lambda: list(queryset.all()))
    deferred_held, _ = traced(lambda: list(queryset.defer(*MATERIAL_TEXT_FIELDS)))
    return {
        "runs": runs,
        **timing(whole),
        "cpu_p50_ms": round(pct(whole_cpu, 0.5), 3),
        "from_file": timing(cold["from_file"]),
        "from_database": timing(cold["from_database"]),
        "parts": {"fetch_rows": timing(fetch), "matrix": timing(matrix), "lexical_index": timing(lexical)},
        "fetch_rows_without_material_texts": timing(fetch_deferred),
        "chunks": queryset.count(),
        # tracemalloc: what one loaded index holds, and the most it held while loading.
        "index_held_mb": index_held,
        "index_peak_mb": index_peak,
        "rows_held_mb": rows_held,
        "rows_without_material_texts_held_mb": deferred_held,
    }


def measure_search(index: UserIndex, queries: list[str]) -> dict[str, Any]:
    """search() per query end to end, and the same query's parts: its embedding, the semantic score over
    every chunk (matrix product with the hub correction), the lexical score, the blend and sort."""
    import numpy as np

    from coach import embeddings
    from coach.retrieval import LEXICAL_WEIGHT, SEMANTIC_WEIGHT

    index.search("Warm-up: the hub vector's first computation")
    index.embedded.clear()
    whole, whole_cpu, embed, semantic, lexical, rank = [], [], [], [], [], []
    first: list[float] = []
    repeated: list[float] = []
    for query in queries:
        asked_before = (True, query) in index.embedded
        started, started_cpu = time.perf_counter(), time.process_time()
        index.search(query)
        whole.append((time.perf_counter() - started) * 1000)
        whole_cpu.append((time.process_time() - started_cpu) * 1000)
        # The index keeps a query's vector: a line asked again (a posting scored again) is not embedded.
        (repeated if asked_before else first).append(whole[-1])
        started = time.perf_counter()
        vector = embeddings.embed([query], query=True)
        embedded = time.perf_counter()
        row = embeddings.relevance(vector, index.matrix)[0]
        scored = time.perf_counter()
        wording = index.lexical.scores(query)
        worded = time.perf_counter()
        combined = SEMANTIC_WEIGHT * row + LEXICAL_WEIGHT * wording
        np.argsort(-combined, kind="stable")[:3]
        ranked = time.perf_counter()
        embed.append((embedded - started) * 1000)
        semantic.append((scored - embedded) * 1000)
        lexical.append((worded - scored) * 1000)
        rank.append((ranked - worded) * 1000)
    scoring = [s + w + r for s, w, r in zip(semantic, lexical, rank, strict=True)]
    return {
        "queries": len(queries),
        "search": {**timing(whole), "cpu_p50_ms": round(pct(whole_cpu, 0.5), 3)},
        "search_first_ask": timing(first),
        "search_asked_again": timing(repeated) if repeated else None,
        "query_embedding": timing(embed),
        "scoring": timing(scoring),
        "scoring_parts": {"semantic": timing(semantic), "lexical": timing(lexical), "rank": timing(rank)},
    }


def measure_search_many(index: UserIndex, postings: dict[str, list[str]], runs: int = 3) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for name, lines in postings.items():
        index.search_many(lines)
        wall = []
        for _ in range(runs):
            # Without the vectors the index keeps: the cost of a posting seen for the first time.
            index.embedded.clear()
            started = time.perf_counter()
            index.search_many(lines)
            wall.append((time.perf_counter() - started) * 1000)
        p50 = pct(wall, 0.5)
        results[name] = {
            "lines": len(lines),
            "runs": runs,
            **timing(wall),
            "ms_per_line": round(p50 / len(lines), 2),
        }
    return results


def measure_user(
    user: User, args: argparse.Namespace, queries: list[str], postings: dict[str, list[str]]
) -> dict[str, Any]:
    from coach.retrieval import UserIndex

    load = measure_load(user, args.load_runs)
    index = UserIndex.load(user)
    search = measure_search(index, queries)
    many = measure_search_many(index, postings)
    return {"chunks": len(index.chunks), "load": load, **search, "search_many": many}


# --- Reporting ----------------------------------------------------------------------------------------------


def blas_info() -> list[dict[str, Any]]:
    from threadpoolctl import threadpool_info  # type: ignore[import-untyped]

    keys = ("user_api", "internal_api", "version", "architecture", "num_threads", "threading_layer")
    return [{key: pool.get(key) for key in keys} for pool in threadpool_info()]


def cpu_model() -> str | None:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return None


def metadata(args: argparse.Namespace, *, load_before: float, seconds: float) -> dict[str, Any]:
    import django
    import numpy
    from django.db import connection

    from bench.run import git_revision
    from coach import embeddings

    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "django": django.get_version(),
        "numpy": numpy.__version__,
        "model": {"name": embeddings.MODEL_NAME, "version": embeddings.MODEL_VERSION},
        "database": {
            "vendor": connection.vendor,
            "version": ".".join(str(part) for part in connection.get_database_version()),
        },
        "blas": blas_info(),
        "thread_variables": {key: os.environ.get(key) for key in [*THREAD_VARIABLES, "OPENBLAS_CORETYPE"]},
        "options": {
            "chunks": args.chunks,
            "compare_chunks": args.compare_chunks,
            "distinct": args.distinct,
            "queries": args.queries,
            "load_runs": args.load_runs,
            "repeat": args.repeat,
            "model_runs": args.model_runs,
            "seed": args.seed,
        },
        "cpu_count": os.process_cpu_count(),
        "cpu_model": cpu_model(),
        "load_average_1m": {"before": round(load_before, 2), "after": round(os.getloadavg()[0], 2)},
        "platform": platform.platform(),
        "seconds_total": round(seconds, 1),
        **git_revision(),
    }


def print_table(title: str, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    print(f"\n{title}")
    lines = [list(header), *[list(row) for row in rows]]
    widths = [max(len(line[column]) for line in lines) for column in range(len(header))]
    for number, line in enumerate(lines):
        cells = [
            cell.ljust(width) if column < 2 else cell.rjust(width)
            for column, (cell, width) in enumerate(zip(line, widths, strict=True))
        ]
        print("  ".join(cells).rstrip())
        if number == 0:
            print("  ".join("-" * width for width in widths))


def number(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def report(results: dict[str, Any]) -> None:
    if results["stages"] is not None:
        report_uploads(results)
    report_search(results)


def report_uploads(results: dict[str, Any]) -> None:
    stages = results["stages"]
    names = {
        "upload": "upload: do_add_material",
        "sandbox_extract": "extract (sandbox child)",
        "extract_in_process": "extract_in_process",
        "chunk_text": "chunk_text",
        "vectors_for": "vectors_for",
    }
    rows = []
    for key, label in names.items():
        per_format = results["uploads"] if key == "upload" else stages[key]
        for fmt in FORMATS:
            row = per_format[fmt]
            peak = number(row["process_peak_mb"], 0)
            if key == "sandbox_extract":
                own = row["child_peak_mb"]
                peak = number(own, 0) if own is not None else f"<={row['launcher_peak_mb']:.0f}"
            rows.append(
                [
                    label,
                    fmt,
                    str(row["runs"]),
                    str(row["chunks_per_run"]),
                    number(row["p50_ms"], 2),
                    number(row["p95_ms"], 2),
                    number(row["chunks_per_second"]),
                    number(row["chunks_per_cpu_second"]),
                    peak,
                ]
            )
    generated = results["embedding_generated"]
    rows.append(
        [
            "vectors_for (generated)",
            "-",
            "1",
            str(generated["chunks_per_run"]),
            number(generated["p50_ms"], 0),
            "-",
            number(generated["chunks_per_second"]),
            number(generated["chunks_per_cpu_second"]),
            number(generated.get("process_peak_mb"), 0),
        ]
    )
    print_table(
        "1. Upload and stages, one thread (ms per document; peak MB: the process's VmHWM during the stage; "
        "for the sandbox, its child's own ru_maxrss)",
        ("stage", "fmt", "runs", "chunks", "p50 ms", "p95 ms", "chunks/s", "chunks/CPU s", "peak MB"),
        rows,
    )
    characters = ", ".join(f"{fmt} {stages['vectors_for'][fmt]['characters_per_chunk']}" for fmt in FORMATS)
    print(f"Characters per embedded chunk: {characters}, generated {generated['characters_per_chunk']}.")
    rows = []
    for fmt in FORMATS:
        upload = results["uploads"][fmt]
        parts = upload["breakdown_mean_ms"]
        rows.append(
            [fmt, "", *(number(parts[key], 1) for key in UPLOAD_PARTS), number(parts["rest"], 1),
             number(upload["mean_ms"], 1)]
        )  # fmt: skip
    print_table(
        "1b. Where an upload's time goes: mean ms per upload, timed inside the same uploads",
        ("fmt", "", "extract (sandbox)", "chunk_text", "rest", "total"),
        rows,
    )
    print(
        "Rest: storage of the original, the rows, the audit event, the queued embedding, language detection, "
        "transaction."
    )
    rows = [
        [
            fmt,
            number(results["uploads"][fmt]["p50_ms"], 1),
            number(results["uploads"][fmt]["worker_embedding"]["p50_ms"], 1),
            number(results["uploads"][fmt]["inline_p50_ms"], 1),
        ]
        for fmt in FORMATS
    ]
    print_table(
        "1c. The page and the worker: p50 ms per upload (inline: both in the request, as before)",
        ("fmt", "to the page", "worker embedding", "inline"),
        rows,
    )
    memory = results["memory"]
    print(
        f"ru_maxrss: this process {memory['process_maxrss_mb']:.0f} MB at the end, "
        f"{memory['process_maxrss_at_uploads_mb']:.0f} MB after the uploads; their largest child "
        f"(RUSAGE_CHILDREN) {memory['upload_children_maxrss_mb']:.0f} MB, which is the parent's peak "
        "inherited through exec, not the sandbox's own."
    )
    model = results["model_load"]
    rss = model["rss_mb"]
    print_table(
        f"2. Model load in a fresh process (median of {model['runs']})",
        ("step", "", "seconds", "RSS after MB"),
        [
            ["start (interpreter, stdlib)", "", "", number(rss["start"])],
            ["import numpy", "", number(model["numpy_import_seconds"], 3), number(rss["after_numpy"])],
            ["import coach.embeddings", "", number(model["import_seconds"], 3), number(rss["after_import"])],
            [
                "first embed (loads the model)",
                "",
                number(model["first_embed_seconds"], 3),
                number(rss["after_first_embed"]),
            ],
            ["second embed, one line", "", number(model["second_embed_ms"] / 1000, 3), ""],
            [
                "first relevance (hub vector)",
                "",
                number(model["first_relevance_seconds"], 3),
                number(rss["after_hub_vector"]),
            ],
            [
                "first detect_language (py3langid)",
                "",
                number(model["first_detect_language_seconds"], 3),
                number(rss["after_detect_language"]),
            ],
            [
                "peak (VmHWM): model / with py3langid",
                "",
                "",
                f"{model['peak_mb']:.1f} / {model['peak_with_language_mb']:.1f}",
            ],
        ],
    )


def report_search(results: dict[str, Any]) -> None:
    searches = results["search"]
    rows = []
    for user in searches:
        load = user["load"]
        parts = load["parts"]
        rows.append(
            [
                str(user["chunks"]),
                "",
                number(load["p50_ms"]),
                number(load["p95_ms"]),
                number(load["cpu_p50_ms"]),
                number(load["from_file"]["p50_ms"]) if "from_file" in load else "",
                number(load["from_database"]["p50_ms"]) if "from_database" in load else "",
                number(parts["fetch_rows"]["p50_ms"]),
                number(parts["matrix"]["p50_ms"], 2),
                number(parts["lexical_index"]["p50_ms"]),
                number(load["index_held_mb"]),
                number(load["index_peak_mb"]),
                number(load["rows_held_mb"]),
                number(load["fetch_rows_without_material_texts"]["p50_ms"]),
                number(load["rows_without_material_texts_held_mb"]),
            ]
        )
    print_table(
        f"3a. UserIndex.load ({searches[0]['load']['runs']} runs warm; file/db: cold from the index file or "
        "the database; parts: p50 of the steps of a load from the database run apart; "
        "held/peak: tracemalloc; lean: the rows without their materials' texts, not what the code does)",
        ("chunks", "", "p50 ms", "p95 ms", "CPU p50", "file p50", "db p50", "fetch ms", "matrix ms",
         "lexical ms", "held MB", "peak MB", "rows MB", "lean fetch ms", "lean rows MB"),
        rows,
    )  # fmt: skip
    rows = []
    for user in searches:
        rows.append(
            [
                str(user["chunks"]),
                "",
                number(user["search"]["p50_ms"]),
                number(user["search"]["p95_ms"]),
                number(user["search"]["cpu_p50_ms"]),
                number(user["search_first_ask"]["p50_ms"]) if "search_first_ask" in user else "",
                number(user["search_asked_again"]["p50_ms"]) if user.get("search_asked_again") else "",
                number(user["query_embedding"]["p50_ms"]),
                number(user["query_embedding"]["p95_ms"]),
                number(user["scoring"]["p50_ms"], 2),
                number(user["scoring"]["p95_ms"], 2),
                number(user["scoring_parts"]["semantic"]["p50_ms"], 2),
                number(user["scoring_parts"]["lexical"]["p50_ms"], 2),
            ]
        )
    print_table(
        f"3b. search(), {searches[0]['queries']} requirement lines (scoring = semantic + lexical + rank)",
        ("chunks", "", "p50 ms", "p95 ms", "CPU p50", "1st ask p50", "again p50", "embed p50", "embed p95",
         "score p50", "score p95", "semantic", "lexical"),
        rows,
    )  # fmt: skip
    rows = []
    for user in searches:
        for name, row in user["search_many"].items():
            rows.append(
                [
                    str(user["chunks"]),
                    name,
                    str(row["lines"]),
                    number(row["p50_ms"]),
                    number(row["ms_per_line"]),
                    number(user["load"]["p50_ms"] + row["p50_ms"]),
                ]
            )
    print_table(
        "3c. search_many(), all bullet lines of a posting seen for the first time (p50 of 3; with load: + "
        "UserIndex.load p50)",
        ("chunks", "posting", "lines", "p50 ms", "ms/line", "with load ms"),
        rows,
    )


# --- Main ---------------------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.model_load_child:
        print(json.dumps(model_load_child()))
        return 0
    if args.sandbox_peak_child:
        print(json.dumps(sandbox_peak_child()))
        return 0
    if "numpy" in sys.modules:
        print("numpy was imported before the thread limits were set; BLAS may use more threads.")
    os.environ.update(THREAD_VARIABLES)
    from bench.run import configure_environment, scratch_database

    started_run = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="omoikane-bench-materials-") as temporary:
        workdir = Path(temporary)
        configure_environment(workdir)
        import django

        django.setup()
        with scratch_database(workdir):
            load_before = os.getloadavg()[0]
            memory: dict[str, Any] = {"after_setup": status_mb()}
            documents = sample_documents()
            uploads: dict[str, Any] | None = None
            stages: dict[str, Any] | None = None
            model: dict[str, Any] | None = None
            if not args.search_only:
                print(f"Uploading the demo CV as {', '.join(FORMATS)}, {args.repeat} times each...")
                uploads = measure_uploads(documents, args.repeat)
                if args.uploads_only:
                    results_only: dict[str, Any] = {
                        "name": args.name,
                        "metadata": metadata(
                            args, load_before=load_before, seconds=time.perf_counter() - started_run
                        ),
                        "documents": {fmt: len(data) for fmt, data in documents.items()},
                        "uploads": uploads,
                    }
                    RESULTS_DIR.mkdir(exist_ok=True)
                    output = RESULTS_DIR / f"{args.name}.json"
                    output.write_text(
                        json.dumps(results_only, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
                    )
                    print(f"\nWrote {output.relative_to(REPO_DIR)}")
                    return 0
                # The largest sandbox child of the uploads, as ru_maxrss has it, read before any other
                # child. It repeats this process's own peak (see sandbox_peak_child): kept to show that.
                memory["upload_children_maxrss_mb"] = maxrss_mb(resource.RUSAGE_CHILDREN)
                memory["process_maxrss_at_uploads_mb"] = maxrss_mb(resource.RUSAGE_SELF)
                memory["after_uploads"] = status_mb()
                print("Measuring each stage...")
                stages = measure_stages(documents, args.repeat)
                print(f"Loading the model in {args.model_runs} fresh processes...")
                model = measure_model_load(args.model_runs)

            distinct = min(args.distinct, args.chunks)
            print(f"Generating {args.chunks} chunks; embedding {distinct} distinct texts for real...")
            chunks = generate_chunks(args.chunks, distinct, args.seed)
            reset_peak()
            vectors, timed, characters = embed_generated(chunks)
            embedding_generated = {
                **timed.summary(),
                "characters_per_chunk": characters,
                "process_peak_mb": status_mb()["peak_mb"],
            }
            print(f"  {embedding_generated['chunks_per_second']} chunks/s")
            small = min(args.compare_chunks, args.chunks)
            users = [
                store_user("search-small", chunks[:small], vectors),
                store_user("search-large", chunks, vectors),
            ]
            postings = requirement_lines()
            lines = [line for posting in postings.values() for line in posting]
            random.Random(args.seed).shuffle(lines)
            queries = [lines[number % len(lines)] for number in range(args.queries)]
            search = []
            for user in users:
                print(f"Searching {user.email}...")
                search.append(measure_user(user, args, queries, postings))
            memory["after_search"] = status_mb()
            memory["process_maxrss_mb"] = maxrss_mb(resource.RUSAGE_SELF)
            results: dict[str, Any] = {
                "name": args.name,
                "metadata": metadata(
                    args, load_before=load_before, seconds=time.perf_counter() - started_run
                ),
                "documents": {fmt: len(data) for fmt, data in documents.items()},
                "uploads": uploads,
                "stages": stages,
                "embedding_generated": embedding_generated,
                "model_load": model,
                "memory": memory,
                "search": search,
            }
    report(results)
    RESULTS_DIR.mkdir(exist_ok=True)
    output = RESULTS_DIR / f"{args.name}.json"
    output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nWrote {output.relative_to(REPO_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
