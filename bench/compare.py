"""Two `make bench` results side by side, as the markdown table in docs/performance.md.

uv run python -m bench.compare bench/results/bench-before.json bench/results/bench-latest.json
"""

import json
import sys
from pathlib import Path

from .report import markdown_table


def main(argv: list[str] | None = None) -> int:
    before_path, after_path = sys.argv[1:3] if argv is None else argv
    before, after = (json.loads(Path(p).read_text()) for p in (before_path, after_path))
    old = {page["page"]: page for page in before["pages"]}
    rows = []
    for page in after["pages"]:
        was = old.get(page["page"], {})
        rows.append(
            [page["page"], was.get("p50_ms", float("nan")), page["p50_ms"],
             was.get("p95_ms", float("nan")), page["p95_ms"],
             f"{was.get('ratio_to_floor', float('nan')):.2f}", f"{page['ratio_to_floor']:.2f}",
             was.get("queries", "-"), page["queries"]]
        )  # fmt: skip
    headers = ["page", "p50 ms before", "p50 ms after", "p95 ms before", "p95 ms after",
               "ratio before", "ratio after",
               "queries before", "queries after"]  # fmt: skip
    print(markdown_table(headers, rows))
    print()
    print(markdown_table(["outside HTTP", "before", "after"], _offline(before, after)))
    for label, result in (("before", before), ("after", after)):
        machine = result["machine"]
        print(f"\n{label}: {machine['taken_at']}, load average {machine['load_average']}")
    return 0


def _offline(before: dict, after: dict) -> list[list[str]]:
    def figures(result: dict) -> list[str]:
        offline = result["offline"]
        return [
            f"{result['fill']['seconds']:.1f} s",
            f"{offline['one_letter']['median_ms']:.0f} ms",
            f"{offline['letter_batch']['seconds']:.1f} s",
            f"{offline['verify_audit']['seconds']:.1f} s",
            f"{offline['purge']['seconds']:.1f} s",
        ]

    names = ["fill", "one letter (median of 20)", "100 letters in the worker",
             "verify_audit (500,000 events)", "nightly purge"]  # fmt: skip
    return [[n, b, a] for n, b, a in zip(names, figures(before), figures(after), strict=True)]


if __name__ == "__main__":
    sys.exit(main())
