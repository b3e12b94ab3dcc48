"""The account journey in a real browser: sign up, confirm the address, sign in, switch to Dutch, turn on
two-factor authentication, sign out, and sign in again with the authenticator code.

One test on purpose: every step starts from the state the previous one left, as it does for a user.
"""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, Response, expect

from accounts.models import User
from privacy_kernel.events import Event
from privacy_kernel.models import AuditEvent

EMAIL = "noor.de.vries@example.org"
NAME = "Noor de Vries"
PASSWORD = "a long and unguessable passphrase 7"
SCREENSHOT = "/tmp/omoikane-nl.png"  # noqa: S108 - a fixed place a person can open after the run

# A code is refused in the last moments of its time step if the step is over by the time the form
# arrives; starting on a fresh step costs at most this many seconds.
TOTP_MARGIN_SECONDS = 3


def totp_code(secret: str, *, used: set[str]) -> str:
    """The authenticator app's current code, as a user would read it off their phone.

    allauth accepts only the current 30-second step (MFA_TOTP_TOLERANCE = 0) and refuses a code that
    already signed someone in, so this waits for the next step when the current one is about to end
    or its code was used before.
    """
    period = mfa_settings.TOTP_PERIOD
    while True:
        now = time.time()
        left = period - now % period
        code = format_hotp_value(hotp_value(secret, int(now // period)))
        if left > TOTP_MARGIN_SECONDS and code not in used:
            used.add(code)
            return code
        time.sleep(left + 0.1)


def submit(page: Page) -> Response | None:
    """Press the page's main form button (not the footer's language switch or the header's sign-out)."""
    with page.expect_navigation() as navigation:
        page.locator("main form button[type=submit]").first.click()
    return navigation.value


def sign_in(page: Page, base_url: str) -> None:
    page.goto(base_url + reverse("account_login"))
    page.locator("#id_login").fill(EMAIL)
    page.locator("#id_password").fill(PASSWORD)
    submit(page)


def reauthenticate_if_asked(page: Page) -> None:
    # allauth asks for the password again before adding a second factor when the last sign-in is not
    # recent; right after signing in it usually is, but the journey must not depend on the clock.
    if reverse("account_reauthenticate") in page.url:
        page.locator("#id_password").fill(PASSWORD)
        submit(page)


def confirmation_link(outbox: list[Any]) -> str:
    assert len(outbox) == 1, [m.subject for m in outbox]
    message = outbox[0]
    assert message.to == [EMAIL]
    match = re.search(r"https?://\S+/account/confirm-email/\S+/", message.body)
    assert match, message.body
    return match.group(0)


@pytest.mark.browser
def test_it_signs_up_confirms_switches_to_dutch_and_signs_in_with_totp(
    live_server: Any, page: Page, mailoutbox: list[Any]
) -> None:
    base = live_server.url
    static_responses: dict[str, int] = {}
    page.on(
        "response", lambda r: static_responses.__setitem__(r.url, r.status) if "/static/" in r.url else None
    )
    csp_violations: list[str] = []
    page.on(
        "console",
        lambda m: csp_violations.append(m.text) if "Content Security Policy" in m.text else None,
    )

    # Sign up. Mandatory verification: no session yet, only the email.
    page.goto(base + reverse("account_signup"))
    page.locator("#id_email").fill(EMAIL)
    page.locator("#id_name").fill(NAME)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    submit(page)
    assert page.url.endswith(reverse("account_email_verification_sent")), page.url
    css = base + "/static/omoikane/omoikane.css"
    assert static_responses.get(css) == 200, static_responses
    # The stylesheet applied, not only loaded: body is a flex column only through omoikane.css.
    assert page.evaluate("getComputedStyle(document.body).display") == "flex"

    # Confirm the address from the emailed link, then sign in.
    page.goto(confirmation_link(mailoutbox))
    submit(page)
    sign_in(page, base)
    # Signing in lands on the home page, which shows a new account its first steps.
    assert page.url.endswith(reverse("pages:start")), page.url
    expect(page.locator("main")).to_contain_text("Your first steps")
    page.get_by_role("link", name="Settings", exact=True).click()
    assert page.url.endswith(reverse("accounts:settings")), page.url
    expect(page.locator("main")).to_contain_text(EMAIL)

    # Switch to Dutch with the footer's language switch (its script submits the form on change).
    with page.expect_navigation() as navigation:
        page.locator("#footer-language").select_option("nl")
    response = navigation.value
    assert response is not None and response.ok
    assert response.headers.get("content-language") == "nl"
    assert page.url.endswith(reverse("accounts:settings")), page.url
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    # Our own words come from locale/nl (whatever of it is translated); the language names in the
    # profile form come from Django's Dutch catalogue, so they are Dutch in any case.
    with translation.override("nl"):
        settings_label = translation.gettext("Settings")
        heading = translation.gettext("Profile and language")
    expect(page.locator("header nav")).to_contain_text(settings_label)
    expect(page.locator("main h1")).to_have_text(heading)
    expect(page.locator("#id_language option[value=en]")).to_have_text("Engels")
    expect(page.locator("#id_language option[value=nl]")).to_have_text("Nederlands")
    assert User.objects.get(email=EMAIL).language == "nl"
    page.screenshot(path=SCREENSHOT, full_page=True)

    # Turn on the authenticator app. allauth's own pages are Dutch too, from allauth's catalogue.
    page.goto(base + reverse("mfa_index"))
    expect(page.locator("main h1")).to_have_text("Twee-factor-authenticatie")
    page.goto(base + reverse("mfa_activate_totp"))
    reauthenticate_if_asked(page)
    assert page.url.endswith(reverse("mfa_activate_totp")), page.url
    expect(page.locator("main h1")).to_have_text("Activeer authenticator-app")
    secret = page.locator("#authenticator_secret").input_value()
    assert re.fullmatch(r"[A-Z2-7]{32}", secret), secret
    # Activating checks the code but does not spend it (allauth remembers only codes that signed in),
    # so it does not count as used for the sign-in below.
    page.locator("#id_code").fill(totp_code(secret, used=set()))
    submit(page)
    # With TOTP on, allauth hands out recovery codes at once and shows them.
    assert page.url.endswith(reverse("mfa_view_recovery_codes")), page.url
    # The owner is told by email, in the language they chose.
    assert [m.subject for m in mailoutbox[1:]] == ["Omoikane: Authenticator-app geactiveerd"]
    assert mailoutbox[1].to == [EMAIL]

    # Sign out from the header; the language stays Dutch through the cookie.
    with page.expect_navigation():
        page.locator("header form button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    page.goto(base + reverse("accounts:settings"))
    assert reverse("account_login") in page.url, "settings must need a session"

    # Sign in again: the password alone is no longer enough.
    used_codes: set[str] = set()
    sign_in(page, base)
    assert page.url.endswith(reverse("mfa_authenticate")), page.url
    page.locator("#id_code").fill(totp_code(secret, used=used_codes))
    submit(page)
    assert page.url.endswith(reverse("pages:start")), page.url
    page.goto(base + reverse("accounts:settings"))
    expect(page.locator("main")).to_contain_text(EMAIL)
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.locator("#id_name")).to_have_value(NAME)

    # Every step is in the user's activity log.
    user = User.objects.get(email=EMAIL)
    events = set(AuditEvent.objects.about(user).values_list("event", flat=True))
    expected = {
        Event.ACCOUNT_SIGNED_UP,
        Event.EMAIL_CONFIRMED,
        Event.LOGIN_SUCCEEDED,
        Event.LANGUAGE_CHANGED,
        Event.MFA_ADDED,
        Event.LOGGED_OUT,
        Event.MFA_USED,
    }
    assert expected <= events, sorted(expected - events)
    assert not AuditEvent.objects.about(user).filter(event=Event.MFA_FAILED).exists()
    assert AuditEvent.objects.about(user).filter(event=Event.LOGIN_SUCCEEDED).count() == 2

    assert not csp_violations, csp_violations
    # 304: the browser revalidated its cached copy, which is as good as a fresh one.
    assert all(status in {200, 304} for status in static_responses.values()), static_responses
