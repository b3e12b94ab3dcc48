"""What one Stripe webhook delivery costs: signature check, the read of the subscription from Stripe, and the
write that stores it with the event's id, through Django's request handling (middleware included).

    .venv/bin/python bench/billing_webhooks.py --events 300

Runs against the tests' local Stripe (localstripe in a thread, billing/testing.py), so the Stripe call is a
loopback HTTP round trip; against Stripe itself add its network latency (tens to hundreds of ms from the
EEA). Three kinds: a new event (read from Stripe, then a write), a redelivered one (answered from the event
table, no call), and one for a customer we do not hold (no call). Prints a table and writes
bench/results/billing_webhooks.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO_DIR = Path(__file__).resolve().parent.parent
RESULTS = REPO_DIR / "bench" / "results" / "billing_webhooks.json"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=300)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO_DIR))
    from bench.run import HOST, configure_environment, run_metadata

    with tempfile.TemporaryDirectory(prefix="omoikane-bench-billing-") as temporary:
        configure_environment(Path(temporary))
        from billing import testing

        stripe = testing.local_stripe()
        os.environ.update(
            STRIPE_SECRET_KEY=testing.SECRET_KEY,
            STRIPE_API_BASE=stripe.api_base,
            STRIPE_WEBHOOK_SECRET=testing.WEBHOOK_SECRET,
            STRIPE_PRICE_PAID=testing.PAID_PRICE,
        )
        import django

        django.setup()
        from django.core.management import call_command
        from django.test import Client
        from django.urls import reverse

        from billing.actions import start_checkout
        from omoikane.testing import make_user
        from privacy_kernel.audit import Actor

        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        user = make_user("bench-billing@example.org")
        url = start_checkout(
            user, success_url="http://x/ok", cancel_url="http://x/no", actor=Actor.system("bench")
        )
        stripe.call(lambda: stripe.complete_checkout(url.rsplit("/", 1)[1]))
        customer = user.billing.customer_id
        client = Client(HTTP_HOST=HOST)
        endpoint = reverse("billing:webhook")

        def deliver(event: dict[str, Any]) -> float:
            payload, signature = testing.signed(event)
            began = time.perf_counter()
            response = client.post(
                endpoint, payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
            )
            took = time.perf_counter() - began
            assert response.status_code == 200, response.content
            return took * 1000

        invoice = {"object": "invoice", "customer": customer}
        kinds: dict[str, list[float]] = {"new": [], "redelivered": [], "unknown customer": []}
        for _ in range(args.events):
            event = testing.event("invoice.paid", invoice)
            kinds["new"].append(deliver(event))
            kinds["redelivered"].append(deliver(event))
            kinds["unknown customer"].append(
                deliver(testing.event("invoice.paid", {**invoice, "customer": "cus_x"}))
            )

    rows = {
        kind: {
            "n": len(values),
            "p50_ms": round(statistics.median(values), 2),
            "p95_ms": round(percentile(values, 0.95), 2),
            "max_ms": round(max(values), 2),
        }
        for kind, values in kinds.items()
    }
    print(f"{'kind':<18}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
    for kind, row in rows.items():
        print(f"{kind:<18}{row['n']:>6}{row['p50_ms']:>10}{row['p95_ms']:>10}{row['max_ms']:>10}")
    results = {
        "metadata": run_metadata(),
        "webhook": rows,
    }
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
