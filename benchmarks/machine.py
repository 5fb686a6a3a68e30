"""What the benchmark reports about the machine and a server process, read from Linux /proc in one place."""

from __future__ import annotations

import os
import platform
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path
from typing import Any

PROC = Path("/proc")


def proc_field(path: Path, name: str) -> str | None:
    """The value after 'name:' on its line of a /proc file (status, meminfo, cpuinfo), or None."""
    try:
        lines = path.read_text().splitlines()
    except OSError:  # the process ended, or this is not Linux
        return None
    for line in lines:
        key, _, value = line.partition(":")
        if key.strip() == name:
            return value.strip()
    return None


def _kib(path: Path, name: str) -> int:
    value = proc_field(path, name)
    return int(value.split()[0]) if value else 0


def children(pid: int) -> list[int]:
    """Direct child processes of pid."""
    try:
        return [int(p) for p in (PROC / str(pid) / "task" / str(pid) / "children").read_text().split()]
    except OSError:
        return []


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its direct children, in MiB."""
    return sum(_kib(PROC / str(p) / "status", "VmRSS") for p in [pid, *children(pid)]) / 1024


def peak_rss_mb(pid: int) -> float:
    """Peak resident memory (VmHWM) of a process, in MiB."""
    return _kib(PROC / str(pid) / "status", "VmHWM") / 1024


def machine_info(chromium_version: str | None) -> dict[str, Any]:
    """CPU, cores, memory, Python, Chromium and library versions, and the date of the run."""
    memory_kib = _kib(PROC / "meminfo", "MemTotal")
    return {
        "cpu": proc_field(PROC / "cpuinfo", "model name") or platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "memory_gb": round(memory_kib / 1024**2, 1) if memory_kib else None,
        "os": platform.platform(),
        "python": platform.python_version(),
        "chromium": chromium_version,
        "streamlit": version("streamlit"),
        "folium": version("folium"),
        "streamlit_folium": version("streamlit-folium"),
        "pandas": version("pandas"),
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
