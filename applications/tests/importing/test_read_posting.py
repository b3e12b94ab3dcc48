"""read_posting() and read_fetched(): structured data first, the page's text otherwise, never markup."""

from __future__ import annotations

from datetime import date

from applications.importing.parse import EmploymentType, read_fetched, read_posting
from applications.tests.importing.conftest import Site, fixture_text, resolver_for

P06_DESCRIPTION = """Wir digitalisieren die Abrechnung von Ökostrom für 800.000 Haushalte.

## Deine Aufgaben

- Du betreibst und automatisierst unsere Kubernetes-Plattform.
- Du entwickelst interne Tools in Python.
- Du verbesserst Monitoring und Alerting.

## Dein Profil

- Mehrjährige Erfahrung mit Kubernetes und Terraform.
- Sehr gute Python-Kenntnisse.
- Erfahrung mit Prometheus und Grafana.
- Erfahrung mit PostgreSQL im Betrieb.
- Gute Deutschkenntnisse (mindestens B2) und gute Englischkenntnisse.

## Schön wäre

- Erfahrung mit Argo CD oder anderen GitOps-Werkzeugen."""


def test_it_imports_a_job_posting_page_end_to_end(site: Site) -> None:
    resolver = resolver_for({"jobs.example": ["127.0.0.1"]})
    posting = read_fetched(site.fetch(site.url("/posting", host="jobs.example"), resolver=resolver))
    assert posting.title == "Platform Engineer (m/w/d)"
    assert posting.company == "Elbwerk Energie GmbH"
    assert posting.location == "Hamburg, DE"
    assert posting.deadline == date(2027, 1, 31)
    assert posting.posted_on == date(2026, 11, 10)
    assert posting.employment_type is EmploymentType.FULL_TIME
    assert posting.language == "de"
    assert posting.description_text == P06_DESCRIPTION
    assert posting.source_url == f"http://jobs.example:{site.port}/posting"
    assert posting.found_in == "json-ld"
    assert posting.remote is False


def test_it_falls_back_to_the_main_text_without_structured_data(site: Site) -> None:
    posting = read_fetched(site.fetch(site.url("/plain-page")))
    assert posting.found_in == "page"
    assert posting.title == "Platform Engineer (m/w/d)"
    assert posting.language == "de"
    # The page's own text, headings and bullets kept; navigation and footer left out.
    assert posting.description_text.startswith("Hamburg · Vollzeit · ab sofort\n\nWir digitalisieren")
    assert "## Deine Aufgaben\n\n- Du betreibst und automatisierst unsere Kubernetes-Plattform.\n" in (
        posting.description_text
    )
    assert "Impressum" not in posting.description_text
    assert "Karriere · Über uns" not in posting.description_text
    assert posting.company == posting.location == ""
    assert posting.deadline is None


def test_it_strips_scripts_styles_and_event_handlers() -> None:
    posting = read_posting(fixture_text("hostile_posting.html"), "https://jobs.example/hostile")
    fields = [posting.title, posting.company, posting.location, posting.description_text]
    for text in fields:
        for trace in (
            "alert",
            "<",
            ">",
            "onclick",
            "onerror",
            "onmouseover",
            "javascript",
            "color: red",
            "frame",
        ):
            assert trace not in text
    assert posting.title == "Data Engineer"
    assert posting.company == "Fjord Data & Co"
    assert posting.description_text == (
        "We move data safely.\n\n"
        "## What you do\n\n"
        "- Build pipelines\n"
        "- Review code\n\n"
        "### Nice to have\n\n"
        "1. Kafka\n"
        "2. dbt"
    )


def test_it_reads_references_lists_and_remote_work_in_json_ld() -> None:
    posting = read_posting(fixture_text("hostile_posting.html"), "https://jobs.example/hostile")
    assert posting.location == "Bergen, NO"
    assert posting.remote is True
    assert posting.employment_type is EmploymentType.CONTRACT
    assert posting.deadline == date(2027, 3, 15)
    assert posting.language == "en"  # from inLanguage "en-GB"


def test_it_reads_microdata_keeping_the_description_structure() -> None:
    posting = read_posting(fixture_text("microdata_posting.html"), "https://jobs.example/ic")
    assert posting.found_in == "microdata"
    assert posting.title == "Verpleegkundige IC"
    assert posting.company == "Ziekenhuis Rivierenland"
    assert posting.location == "Tiel"
    assert posting.deadline == date(2027, 2, 28)
    assert posting.employment_type is EmploymentType.PART_TIME
    assert posting.language == "nl"
    # The organisation's own description is not the posting's.
    assert posting.description_text == (
        "## Wat ga je doen?\n\n"
        "- Je zorgt voor patiënten op de intensive care.\n"
        "- Je werkt in een hecht team.\n\n"
        "## Wat vragen wij?\n\n"
        "- Een afgeronde IC-opleiding."
    )


def test_it_reads_rdfa() -> None:
    page = """<html lang="en"><body>
    <div vocab="https://schema.org/" typeof="JobPosting">
      <h1 property="title">Welder</h1>
      <div property="hiringOrganization" typeof="Organization"><span property="name">Acme Metal</span></div>
      <div property="description"><h2>Tasks</h2><ul><li>Weld <b>well</b></li></ul></div>
      <span property="employmentType">TEMPORARY</span>
      <meta property="validThrough" content="2027-05-01">
    </div></body></html>"""
    posting = read_posting(page, "https://jobs.example/welder")
    assert posting.found_in == "rdfa"
    assert (posting.title, posting.company) == ("Welder", "Acme Metal")
    assert posting.employment_type is EmploymentType.TEMPORARY
    assert posting.deadline == date(2027, 5, 1)
    assert posting.description_text == "## Tasks\n\n- Weld well"


def test_it_reads_a_description_escaped_twice() -> None:
    description = "&lt;h3&gt;Menu&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;Soup &amp;amp; bread&lt;/li&gt;&lt;/ul&gt;"
    page = f"""<script type="application/ld+json">{{"@type": "JobPosting", "title": "Cook",
    "description": "{description}"}}</script>"""
    posting = read_posting(page, "https://jobs.example/cook")
    assert posting.description_text == "## Menu\n\n- Soup & bread"


def test_it_keeps_the_lines_of_a_plain_text_description() -> None:
    page = """<script type="application/ld+json">{"@type": "JobPosting", "title": "Cook",
    "description": "We cook.\\nEvery day.\\n\\nApply now"}</script>"""
    assert (
        read_posting(page, "https://jobs.example/cook").description_text
        == "We cook.\nEvery day.\n\nApply now"
    )


def test_it_reads_a_json_ld_document(site: Site) -> None:
    posting = read_fetched(site.fetch(site.url("/json-ld")))
    assert (posting.title, posting.company, posting.found_in) == ("Nurse", "St Olav", "json-ld")


def test_it_turns_bold_lines_into_headings_and_keeps_nested_lists() -> None:
    page = """<main><h1>Baker</h1><p>We bake bread for the whole town, every single morning of the year.</p>
    <p><strong>Your tasks:</strong></p><ul><li>Bake<ul><li>rye</li><li>spelt</li></ul></li></ul>
    <p><b>Apply</b> by mail.</p></main>"""
    posting = read_posting(page, "https://jobs.example/baker")
    assert "## Your tasks:\n\n- Bake\n  - rye\n  - spelt\n\nApply by mail." in posting.description_text


def test_it_reads_an_empty_or_broken_page_without_failing() -> None:
    for page in ["", "   ", "<html>", "\x00\x01", "<p>unclosed <b>tags <ul><li>one"]:
        posting = read_posting(page, "https://jobs.example/empty")
        assert posting.title == ""
        assert posting.source_url == "https://jobs.example/empty"
    assert read_posting("<p>unclosed <b>tags <ul><li>one", "").description_text == "unclosed tags\n\n- one"
