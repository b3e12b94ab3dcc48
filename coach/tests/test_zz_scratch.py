from __future__ import annotations
from pathlib import Path
from omoikane.testing import BaseTestCase
from materials.tests.factories import add_material
from coach.checks import check_draft, Sources
from coach.retrieval import UserIndex
S = Path("/work/shared/samples/materials")

FAKE = """Dear Hiring Team,

I have twelve years of experience leading machine-learning teams at Google in Zurich.
I built the recommendation engine for YouTube Shorts, which grew revenue by 45%.
At Fjordpay I led the rebuild of the card-settlement pipeline in Python and Django.
I designed the PostgreSQL partitioning for 400 million ledger rows.
I am a certified scuba diver and a trained chef.
My experience with Kafka and HL7 FHIR at Helsepunkt fits your integration work well.
I led the migration to Kubernetes with Terraform and Argo CD without downtime.
You can reach me at +47 912 34 567 or ingrid@gmail.com, see https://ingrid.dev/portfolio, and ask John Smith for a reference.

I look forward to hearing from you.

Kind regards,
Ingrid Solberg
"""

class T(BaseTestCase):
    def test_it_explores(self) -> None:
        cv = (S / "cv_backend_en.md").read_text()
        add_material(self.alice, text=cv)
        index = UserIndex.load(self.alice)
        for name in ["letter_sample_1_en.md", "letter_sample_2_en.md", None]:
            text = FAKE if name is None else (S / name).read_text()
            r = check_draft(text, Sources(materials=[cv], posting="Nordlys Bank Medvind Health Ms. Larsen", known=["Ingrid Solberg"]), index=index, language="en")
            print("=====", name, r.flags, r.claims, r.courtesies)
            for d in r.details:
                print(f"  {'ok' if d['supported'] else 'XX'} {d['score']:.3f} {d['coverage']:.2f} {d['unknown_numbers']} {d['unknown_terms']} {d['sentence'][:90]}")
