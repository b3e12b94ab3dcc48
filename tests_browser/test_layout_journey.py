"""Every page of the journey at desktop (1280 px) and phone (390 px) width: `main`'s content starts where
the header's does, nothing is wider than the window, and very long names (no spaces, right-to-left text,
emoji) stay inside their boxes. Then the board: a visible, keyboard-reachable sideways scroll with a
hint, empty columns collapsed, a count on every column."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from applications.actions import do_change_status
from applications.models import Status
from applications.tests.factories import add_application
from materials.tests.factories import add_material
from omoikane.testing import make_user
from privacy_kernel.audit import Actor
from tests_browser.journeys import sign_in

EMAIL = "alice@example.org"
# 200+ characters without a space: Hebrew, emoji and Latin, as a pasted title can be.
LONG_TITLE = "מהנדס" * 30 + "🙂" * 20 + "Backend" * 10
LONG_COMPANY = "Fjordpay" * 25
DATABASES = ["default", "traces"]
WIDTHS = (1280, 390)

# Where the content starts against the header, and whether anything pokes out of the window.
MEASURE = """() => {
  const left = (el) => el.getBoundingClientRect().left + parseFloat(getComputedStyle(el).paddingLeft);
  const main = document.querySelector("main");
  const header = document.querySelector(".site-header .wrap");
  const footer = document.querySelector(".site-footer .wrap");
  return {
    main: left(main),
    header: left(header),
    footer: left(footer),
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  };
}"""


def journey_pages(application_pk: int, material_pk: int) -> list[str]:
    return [
        reverse("pages:start"),
        reverse("applications:board"),
        reverse("applications:table"),
        reverse("applications:add"),
        reverse("applications:detail", args=[application_pk]),
        reverse("applications:letter", args=[application_pk]),
        reverse("materials:list"),
        reverse("materials:detail", args=[material_pk]),
        reverse("diary:index"),
        reverse("accounts:settings"),
        reverse("privacy:activity"),
        reverse("privacy:export"),
        reverse("pages:security"),
    ]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, databases=DATABASES)
def test_it_aligns_every_page_with_the_header_and_keeps_long_names_inside(
    live_server: Any, browser: Browser
) -> None:
    base = live_server.url
    user = make_user(EMAIL, name="Alice Andersen")
    material = add_material(user, title=LONG_TITLE[:200])
    application = add_application(user, title=LONG_TITLE, company=LONG_COMPANY)
    do_change_status(application, Status.DRAFTING, actor=Actor.system("test"))
    problems: list[str] = []
    for width in WIDTHS:
        context = browser.new_context(locale="en-GB", viewport={"width": width, "height": 900})
        page = context.new_page()
        # The sign-in page is one of the journey's pages too.
        page.goto(base + reverse("account_login"))
        check(page, "sign-in", width, problems)
        sign_in(page, base, EMAIL)
        for path in journey_pages(application.pk, material.pk):
            response = page.goto(base + path)
            assert response is not None and response.ok, (path, response and response.status)
            check(page, path, width, problems)
        context.close()
    assert not problems, "\n".join(problems)


def check(page: Page, what: str, width: int, problems: list[str]) -> None:
    found = page.evaluate(MEASURE)
    if abs(found["main"] - found["header"]) > 1 or abs(found["footer"] - found["header"]) > 1:
        problems.append(f"{width} px {what}: main starts at {found['main']}, header at {found['header']}")
    if found["scrollWidth"] > found["innerWidth"]:
        problems.append(f"{width} px {what}: page is {found['scrollWidth']} px wide in {found['innerWidth']}")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, databases=DATABASES)
def test_it_shows_the_board_scrolls_and_collapses_empty_columns(live_server: Any, page: Page) -> None:
    base = live_server.url
    user = make_user(EMAIL, name="Alice Andersen")
    actor = Actor.system("test")
    for status in (Status.SAVED, Status.DRAFTING, Status.SENT, Status.INTERVIEWING, Status.OFFER):
        do_change_status(add_application(user, title=f"Role {status}"), status, actor=actor)
    do_change_status(add_application(user, title=LONG_TITLE), Status.GHOSTED, actor=actor)
    sign_in(page, base, EMAIL)
    page.goto(base + reverse("applications:board"))
    board = page.locator("[data-board]")
    # Every column says how many it holds; the empty ones (Rejected, Withdrawn) shrink to their heading.
    expect(page.locator(".board-column h2 .count")).to_have_count(len(Status.choices))
    expect(page.locator(".board-column-empty")).to_have_count(2)
    expect(page.locator("#col-ghosted .count")).to_have_text("1")
    # Wider than the window at 1280 px: the hint says so, and the keyboard scrolls it.
    if page.evaluate(
        "() => { const b = document.querySelector('[data-board]'); return b.scrollWidth > b.clientWidth; }"
    ):
        expect(page.locator("[data-board-hint]")).to_be_visible()
        board.focus()
        for _press in range(60):
            page.keyboard.press("ArrowRight")
        assert page.evaluate("document.querySelector('[data-board]').scrollLeft") > 0
        # The arrow keys reach the last column.
        expect(page.locator("#col-ghosted")).to_be_in_viewport()
    else:
        expect(page.locator("[data-board-hint]")).to_be_hidden()
    # Long names wrap inside their cards.
    # Both edges read in one go: the board may still be scrolling smoothly from the arrow keys.
    card = page.locator(".board-card").filter(has_text="Backend").first
    overflow = card.evaluate(
        "c => c.getBoundingClientRect().right"
        " - c.closest('section.board-column').getBoundingClientRect().right"
    )
    assert overflow <= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
