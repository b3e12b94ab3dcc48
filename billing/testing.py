"""A local Stripe for tests and browser journeys: localstripe (a stateful fake of Stripe's API) in a thread,
plus what it lacks, served by us: Checkout and customer-portal sessions on its API port, and their hosted
pages on a second port (Stripe hosts them on other domains too).

The real `stripe` SDK talks to it over HTTP. `clock_*` functions stand in for Stripe's test clocks: they move
a subscription to its next period and charge it, as Stripe would when time passes.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import secrets
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from localstripe import resources, server

SECRET_KEY = "sk_test_omoikane"  # noqa: S105  (the local Stripe takes any sk_ key)
WEBHOOK_SECRET = "whsec_test_omoikane"  # noqa: S105  (signs the tests' own events)
PAID_PRICE = "price_omoikane_paid"
GOOD_CARD = "4242424242424242"
# Attaches, then every charge fails: a renewal with it sends the subscription into dunning.
FAILING_CARD = "4000000000000341"
PORTS = range(28400, 28500)

# localstripe saves its whole store to one file in /tmp after every change, shared by every process on the
# machine; the tests keep their store in memory.
resources.Store.dump_to_disk = lambda self: None


def _free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("No free port for the local Stripe.")


@dataclass
class Sessions:
    checkout: dict[str, dict[str, Any]] = field(default_factory=dict)
    portal: dict[str, dict[str, Any]] = field(default_factory=dict)


class LocalStripe:
    def __init__(self) -> None:
        self.sessions = Sessions()
        self.loop = asyncio.new_event_loop()
        self.api_port = _free_port()
        self.api_base = f"http://127.0.0.1:{self.api_port}"
        self._hosted_app = web.Application()
        self._install_routes()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True, name="local-stripe")
        self.thread.start()
        self.run(self._start_sites())

    # --- plumbing ---------------------------------------------------------------------------------------
    def run(self, coroutine: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=30)

    def call(self, func: Callable[[], Any]) -> Any:
        """Run `func` on the server's loop: localstripe schedules its own webhooks there."""

        async def wrapped() -> Any:
            return func()

        return self.run(wrapped())

    async def _start_sites(self) -> None:
        api = web.AppRunner(server.app)
        await api.setup()
        await web.TCPSite(api, "127.0.0.1", self.api_port).start()
        self.hosted_port = _free_port()
        self.hosted_base = f"http://127.0.0.1:{self.hosted_port}"
        hosted = web.AppRunner(self._hosted_app)
        await hosted.setup()
        await web.TCPSite(hosted, "127.0.0.1", self.hosted_port).start()

    def reset(self) -> None:
        self.call(resources.store.clear)
        self.sessions = Sessions()
        self.call(
            lambda: resources.Plan(id=PAID_PRICE, amount=900, currency="eur", interval="month", name="Paid")
        )

    # --- what localstripe lacks: Checkout and portal sessions --------------------------------------------
    def _install_routes(self) -> None:
        server.app.router.add_post("/v1/checkout/sessions", self._create_checkout)
        server.app.router.add_get("/v1/checkout/sessions/{id}", self._get_checkout)
        server.app.router.add_post("/v1/billing_portal/sessions", self._create_portal)
        self._hosted_app.router.add_get("/c/pay/{id}", self._checkout_page)
        self._hosted_app.router.add_post("/c/pay/{id}", self._pay)
        self._hosted_app.router.add_get("/p/session/{id}", self._portal_page)
        self._hosted_app.router.add_post("/p/session/{id}/cancel", self._portal_cancel)

    async def _create_checkout(self, request: web.Request) -> web.Response:
        data = server.unflatten_data(await request.post())
        customer = data.get("customer")
        resources.Customer._api_retrieve(customer)
        prices = [item.get("price") for item in data.get("line_items") or []]
        if data.get("mode") != "subscription" or len(prices) != 1:
            raise server.UserError(400, "Only one subscription price per session here")
        resources.Plan._api_retrieve(prices[0])
        session_id = "cs_test_" + secrets.token_hex(12)
        session = {
            "id": session_id,
            "object": "checkout.session",
            "mode": "subscription",
            "customer": customer,
            "status": "open",
            "payment_status": "unpaid",
            "subscription": None,
            "success_url": data["success_url"],
            "cancel_url": data.get("cancel_url"),
            "automatic_tax": {
                "enabled": str((data.get("automatic_tax") or {}).get("enabled")).lower() == "true"
            },
            "url": f"{self.hosted_base}/c/pay/{session_id}",
            "_price": prices[0],
        }
        self.sessions.checkout[session_id] = session
        return self._json(session)

    async def _get_checkout(self, request: web.Request) -> web.Response:
        session = self.sessions.checkout.get(request.match_info["id"])
        if session is None:
            raise server.UserError(404, "Not Found")
        return self._json(session)

    async def _create_portal(self, request: web.Request) -> web.Response:
        data = server.unflatten_data(await request.post())
        resources.Customer._api_retrieve(data.get("customer"))
        session_id = "bps_" + secrets.token_hex(12)
        session = {
            "id": session_id,
            "object": "billing_portal.session",
            "customer": data["customer"],
            "return_url": data.get("return_url"),
            "url": f"{self.hosted_base}/p/session/{session_id}",
        }
        self.sessions.portal[session_id] = session
        return self._json(session)

    @staticmethod
    def _json(body: dict[str, Any]) -> web.Response:
        return web.json_response({k: v for k, v in body.items() if not k.startswith("_")})

    # --- the hosted pages --------------------------------------------------------------------------------
    async def _checkout_page(self, request: web.Request) -> web.Response:
        session = self.sessions.checkout.get(request.match_info["id"])
        if session is None:
            raise web.HTTPNotFound
        html = (
            "<!doctype html><title>Local Stripe Checkout</title><h1>Subscribe</h1>"
            f'<form method="post"><label>Card number <input name="card" value="{GOOD_CARD}"></label>'
            '<button type="submit">Subscribe</button></form>'
        )
        return web.Response(text=html, content_type="text/html")

    async def _pay(self, request: web.Request) -> web.Response:
        session = self.sessions.checkout.get(request.match_info["id"])
        if session is None or session["status"] != "open":
            raise web.HTTPNotFound
        card = str((await request.post()).get("card") or GOOD_CARD)
        self.complete_checkout(session["id"], card=card)
        raise web.HTTPSeeOther(session["success_url"])

    def complete_checkout(self, session_id: str, *, card: str = GOOD_CARD) -> dict[str, Any]:
        """What paying on Checkout does at Stripe: a card on the customer, a subscription charged for its
        first period, the session complete. Must run on the server's loop (see `call`)."""
        session = self.sessions.checkout[session_id]
        customer = session["customer"]
        self.attach_card(customer, card)
        subscription = resources.Subscription(customer=customer, items=[{"plan": session["_price"]}])
        session.update(status="complete", payment_status="paid", subscription=subscription.id)
        return session

    @staticmethod
    def attach_card(customer: str, card: str) -> None:
        method = resources.PaymentMethod(
            type="card", card={"number": card, "exp_month": "12", "exp_year": "2040", "cvc": "123"}
        )
        resources.PaymentMethod._api_attach(method.id, customer=customer)
        resources.Customer._api_update(customer, invoice_settings={"default_payment_method": method.id})

    async def _portal_page(self, request: web.Request) -> web.Response:
        session = self.sessions.portal.get(request.match_info["id"])
        if session is None:
            raise web.HTTPNotFound
        html = (
            "<!doctype html><title>Local Stripe billing portal</title><h1>Your subscription</h1>"
            f'<form method="post" action="/p/session/{session["id"]}/cancel"><button type="submit">'
            f'Cancel subscription</button></form><p><a href="{session["return_url"]}">Return</a></p>'
        )
        return web.Response(text=html, content_type="text/html")

    async def _portal_cancel(self, request: web.Request) -> web.Response:
        session = self.sessions.portal.get(request.match_info["id"])
        if session is None:
            raise web.HTTPNotFound
        for subscription in self.subscriptions_of(session["customer"]):
            resources.Subscription._api_delete(subscription.id)
        raise web.HTTPSeeOther(session["return_url"])

    # --- Stripe's clock and its state --------------------------------------------------------------------
    @staticmethod
    def subscriptions_of(customer: str) -> list[Any]:
        return [
            s
            for key, s in list(resources.store.items())
            if key.startswith("subscription:") and s.customer == customer and s.status != "canceled"
        ]

    def clock_renew(self, subscription_id: str, *, card: str | None = None) -> None:
        """A month passes: the subscription enters its next period and Stripe charges it (with `card` put on
        the customer first, to make the charge fail or succeed)."""

        def renew() -> None:
            subscription = resources.Subscription._api_retrieve(subscription_id)
            if card is not None:
                self.attach_card(subscription.customer, card)
            # localstripe's period is one interval from start_date: the next period starts where this ends.
            subscription.start_date = subscription.current_period_end
            subscription._create_invoice()

        self.call(renew)

    def set_status(self, subscription_id: str, status: str) -> None:
        """Where Stripe's dunning ends after its retries: "unpaid" or "canceled", as the account says."""
        self.call(lambda: setattr(resources.Subscription._api_retrieve(subscription_id), "status", status))

    def change_price(self, subscription_id: str, price: str) -> None:
        def change() -> None:
            subscription = resources.Subscription._api_retrieve(subscription_id)
            item = subscription.items._list[0]
            resources.Subscription._api_update(subscription_id, items=[{"id": item.id, "plan": price}])

        self.call(change)

    def retrieve(self, kind: str, object_id: str) -> Any:
        return resources.store.get(f"{kind}:{object_id}")


def event(
    kind: str, obj: dict[str, Any], *, event_id: str | None = None, created: int | None = None
) -> dict[str, Any]:
    return {
        "id": event_id or "evt_" + secrets.token_hex(12),
        "object": "event",
        "type": kind,
        "created": created or int(time.time()),
        "data": {"object": obj},
        "livemode": False,
        "api_version": "2025-01-01",
    }


def signed(
    body: dict[str, Any], *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None
) -> tuple[bytes, str]:
    """The body as Stripe sends it, and its Stripe-Signature header, made with Stripe's algorithm
    (HMAC-SHA256 over "<timestamp>.<body>" with the endpoint's secret)."""
    payload = json.dumps(body).encode()
    timestamp = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256).hexdigest()
    return payload, f"t={timestamp},v1={mac}"


_instance: list[LocalStripe] = []


def local_stripe() -> LocalStripe:
    """The process's one local Stripe (its aiohttp app can be served once), emptied for each caller."""
    if not _instance:
        _instance.append(LocalStripe())
    stripe_server = _instance[0]
    stripe_server.reset()
    return stripe_server
