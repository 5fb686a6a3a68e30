"""Shared fixtures: tiny event tables written as real files, and the real gazetteer."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest

from dashboard import schema
from dashboard.gazetteer import Gazetteer, load_places

GOOD_ROW: dict[str, str] = {
    "id": "shusha-test",
    "date_start": "1992-05-08",
    "date_end": "1992-05-09",
    "date_precision": "day",
    "event_type": "capture",
    "title": "Test capture of Shusha",
    "summary": "A test row.",
    "location": "Shusha",
    "latitude": "39.76006",
    "longitude": "46.74989",
    "geo_precision": "exact",
    "outside_region": "false",
    "side_a": "Side A",
    "side_b": "Side B",
    "fatalities_low": "10",
    "fatalities_best": "20",
    "fatalities_high": "30",
    "fatalities_of": "both",
    "disputed": "false",
    "claimed_by": "",
    "verified": "false",
    "source": "Test source",
    "source_url": "https://example.org/test-source",
    "part_of": "",
}


def row(**changes: str) -> dict[str, str]:
    """A valid event row with some fields changed."""
    return {**GOOD_ROW, **changes}


def csv_text(rows: list[dict[str, str]], columns: tuple[str, ...] = schema.EVENT_COLUMNS) -> str:
    """CSV text with a header and the given rows (missing keys empty, extra keys dropped)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


@pytest.fixture
def write_events(tmp_path: Path):
    """Write rows to an events CSV in tmp_path and return its path."""

    def write(
        rows: list[dict[str, str]], columns: tuple[str, ...] = schema.EVENT_COLUMNS, name: str = "events.csv"
    ) -> Path:
        path = tmp_path / name
        path.write_text(csv_text(rows, columns), encoding="utf-8")
        return path

    return write


@pytest.fixture
def app(monkeypatch):
    """The page under AppTest, offline, on the bundled events."""
    from streamlit.testing.v1 import AppTest

    from tests.support.page import APP

    monkeypatch.setenv("DASHBOARD_OFFLINE", "1")
    monkeypatch.delenv("DASHBOARD_EVENTS", raising=False)
    return AppTest.from_file(APP, default_timeout=60)


@pytest.fixture(scope="session")
def all_events():
    """The bundled events as the loader reads them."""
    from dashboard.data import load_events

    return load_events(schema.EVENTS_PATH).events


@pytest.fixture(scope="session")
def curated() -> Gazetteer:
    """The curated gazetteer from geodata/places.csv, without the GeoNames fallback."""
    return Gazetteer(load_places())


SCREENSHOTS = Path(os.environ.get("DASHBOARD_SCREENSHOTS", schema.REPO_ROOT / "artifacts" / "screenshots"))


def save_screenshot(page, name: str, full_page: bool = True) -> Path:
    """A screenshot (of the whole page, or of the screen) in the screenshots folder, whose path the test prints."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    page.screenshot(path=str(path), full_page=full_page)
    print(f"screenshot: {path}")
    return path


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless (skips the module when Playwright or Chromium is missing)."""
    from tests.support.browser import CHROMIUM, launch_chromium

    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium; .ci/run does)")
    with sync_api.sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server):
    """A fresh page on the module's `server`, recording every request that would leave this machine."""
    from tests.support.browser import is_local

    context = browser.new_context(viewport={"width": 1500, "height": 1200})
    page = context.new_page()
    page.external_requests = []
    page.on(
        "request", lambda request: page.external_requests.append(request.url) if not is_local(request.url) else None
    )
    yield page
    context.close()
