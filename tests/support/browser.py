"""The browser harness: a local dashboard server, headless Chromium, and readers of the map frame (loopback only).

Used by the browser tests and by the benchmarks, which reuse it rather than keep a copy.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dashboard import schema

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'


class ServerError(RuntimeError):
    """The dashboard server did not start; the message carries its output."""


@dataclass
class Server:
    """A running dashboard: its URL and process."""

    url: str
    process: subprocess.Popen
    log_path: Path
    started_at: float

    def log(self) -> str:
        """What the server printed so far."""
        return self.log_path.read_text(errors="replace")


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_healthy(url: str, process: subprocess.Popen, timeout_s: float = 60.0) -> None:
    """Poll Streamlit's health endpoint until it answers ok; fail early if the process exits."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerError(f"server exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    raise ServerError(f"server at {url} not healthy after {timeout_s:.0f} s")


@contextlib.contextmanager
def running_dashboard(
    events: Path | None = None,
    offline: bool = True,
    extra_env: dict[str, str] | None = None,
    app: Path | None = None,
    root: Path = schema.REPO_ROOT,
) -> Iterator[Server]:
    """Start `streamlit run` on a free loopback port from the project root (`root`: another checkout's, whose
    package `python -m` then imports first); stop it on exit."""
    port = free_port()
    env = {**os.environ, "DASHBOARD_OFFLINE": "1" if offline else "0", **(extra_env or {})}
    if events is not None:
        env["DASHBOARD_EVENTS"] = str(events)
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app or root / "dashboard" / "app.py"),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
    ]
    log = tempfile.NamedTemporaryFile(prefix="dashboard-server-", suffix=".log", delete=False)
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    server = Server(f"http://127.0.0.1:{port}", process, Path(log.name), started)
    try:
        wait_until_healthy(server.url, process)
        yield server
    except ServerError as error:
        raise ServerError(f"{error}\n{server.log()}") from error
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def launch_chromium(playwright: Any) -> Any:
    """Debian's Chromium, headless, with the flags that keep it off the network."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def is_local(url: str) -> bool:
    """True for requests that stay on this machine (loopback, data:, blob:, about:)."""
    if url.startswith(("data:", "blob:", "about:", "chrome-extension:")):
        return True
    host = url.split("://", 1)[-1].split("/", 1)[0].rsplit(":", 1)[0].strip("[]")
    return host in ("127.0.0.1", "localhost", "::1")


# Read the Leaflet map inside the streamlit-folium frame (window.map there); canvas layers have no DOM nodes.
# The events layer registers its markers (also those gathered in a cluster bubble) as map._kdEventMarkers.
JS_EVENT_MARKERS = """() => ((window.map && window.map._kdEventMarkers) || [])
    .filter(l => l.options && l.options.eventId !== undefined).map(l => l.options.eventId)"""
JS_DISTRICTS = """() => Object.values(window.map ? window.map._layers : {})
    .filter(l => l.feature && l.feature.properties && l.feature.properties.status !== undefined)
    .map(l => [l.feature.properties.name_en, l.feature.properties.status])"""
JS_MARKER_POINT = """(id) => {
    const layer = Object.values(window.map._layers).find(l => l.options && l.options.eventId === id);
    if (!layer) return null;  // not drawn, or inside a cluster bubble (see JS_SHOW_MARKER)
    const p = window.map.latLngToContainerPoint(layer.getLatLng());
    const box = window.map.getContainer().getBoundingClientRect();
    return {x: box.left + p.x, y: box.top + p.y};
}"""

# Bring an event's marker into view and spread the cluster bubble holding it (zooming in as needed), so the
# marker can be clicked.
JS_SHOW_MARKER = """(id) => {
    const marker = (window.map._kdEventMarkers || []).find(l => l.options.eventId === id);
    if (!marker) return false;
    window.map.setView(marker.getLatLng(), window.map.getZoom(), {animate: false});
    if (!marker._map && marker.__parent) { marker.__parent._group.zoomToShowLayer(marker); }
    return true;
}"""

JS_DISTRICT_POINT = """(name) => {
    const layer = Object.values(window.map._layers)
        .find(l => l.feature && l.feature.properties && l.feature.properties.status !== undefined
                   && l.feature.properties.name_en === name);
    if (!layer) return null;
    const p = window.map.latLngToContainerPoint(layer.getCenter());
    const box = window.map.getContainer().getBoundingClientRect();
    return {x: box.left + p.x, y: box.top + p.y};
}"""


def wait_in_map(page: Any, function: str, timeout_ms: float = 120_000) -> Any:
    """Poll `function` (JavaScript for the map frame's window) until it returns a truthy value, and return it.

    It is looked up from the top page on every poll, so a map frame that is remounted meanwhile is followed
    (a Frame handle taken before would wait on the detached one).
    """
    return page.wait_for_function(
        """([selector, source]) => {
            const frame = document.querySelector(selector);
            const inner = frame && frame.contentWindow;
            return inner && inner.map ? inner.eval("(" + source + ")")() : false;
        }""",
        arg=[MAP_FRAME, function],
        timeout=timeout_ms,
    ).json_value()


def map_frame(page: Any) -> Any:
    """The streamlit-folium iframe's Frame, once it is attached."""
    handle = page.locator(MAP_FRAME).element_handle(timeout=60_000)
    return handle.content_frame()
