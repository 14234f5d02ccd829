"""Percentiles, markdown tables and the JSON results file."""

import json
import math
import platform
import subprocess
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile: the value below which `fraction` of samples fall."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    def cell(value: object) -> str:
        if isinstance(value, float):
            return "-" if math.isnan(value) else f"{value:.1f}"
        return str(value)

    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def machine() -> dict[str, object]:
    """What the figures were taken on, and how busy it was: other work skews them."""
    with open("/proc/loadavg") as handle:
        load = handle.read().split()[:3]
    cpu = "unknown"
    with open("/proc/cpuinfo") as handle:
        for line in handle:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "cpu": cpu,
        "cores": _cores(),
        "python": platform.python_version(),
        "postgresql": _postgres_version(),
        "load_average": [float(x) for x in load],
        "taken_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def _cores() -> int:
    import os

    return len(os.sched_getaffinity(0))


def _postgres_version() -> str:
    from glob import glob

    candidates = sorted(glob("/usr/lib/postgresql/*/bin/postgres"))
    if not candidates:
        return "unknown"
    result = subprocess.run(  # noqa: S603  (a path we found, no input)
        [candidates[-1], "--version"], capture_output=True, text=True, check=False
    )
    return result.stdout.strip()


def write_results(directory: Path, name: str, results: dict) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = directory / f"{name}-{stamp}.json"
    path.write_text(json.dumps(results, indent=2, default=str))
    (directory / f"{name}-latest.json").write_text(path.read_text())
    return path
