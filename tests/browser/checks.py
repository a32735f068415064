"""Checks shared by the browser tests: accessibility and layout on a phone."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page


def assert_no_axe_violations(page: Page, what: str) -> None:
    """Run axe-core on the page as it is now and fail with a readable report."""
    page.locator("details").evaluate_all("els => els.forEach(d => { d.open = true; })")
    results = Axe().run(page)
    violations = results.response["violations"]
    assert not violations, f"axe-core on {what} ({page.url}):\n" + results.generate_report()


def assert_no_sideways_scroll(page: Page, what: str) -> None:
    """Fail when the page is wider than the viewport (a phone would scroll sideways)."""
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"{what} scrolls sideways: {widths[0]}px in {widths[1]}px"
