"""make bench: the portal's speed at a large trust's volume, beside the framework's floor.

Fills a throwaway PostgreSQL database (bench.fill), serves it with gunicorn (2 workers)
and a Celery worker, signs in as each role over HTTP, and times each page sequentially and
with concurrent clients (bench.timing); then letters, the audit chain check and the purge
outside HTTP (bench.offline). Prints one markdown table and writes it as JSON to
bench/results/. Figures and what changed to reach them: docs/performance.md.

    make bench                          # the default volume (10,000 cases)
    make bench BENCH_ARGS="--scale 0.1" # a tenth of it, for a quick look
"""

import argparse
import sys
import time
from pathlib import Path

from .report import machine, markdown_table, write_results
from .stack import (
    RESULTS_DIR,
    StackOptions,
    exit_on_interrupt,
    memory_report,
    running_stack,
    start_web,
    start_worker,
)

# Every client is 127.0.0.1; the bench submits more reports and follow-ups than the
# portal lets one address make. The limits themselves are tested in tests/reports.
RATE_LIMITS = {
    "REPORT_RATE_PER_ADDRESS": "100000/h",
    "REPORT_RATE_GLOBAL": "100000/h",
    "FOLLOW_UP_RATE_PER_ADDRESS": "100000/15m",
    "FOLLOW_UP_FAILURES_PER_ADDRESS_AND_REFERENCE": "100000/15m",
    "SCREENSHOT_STAGE_RATE_PER_ADDRESS": "100000/15m",
    "SCREENSHOT_STAGE_RATE_GLOBAL": "100000/15m",
}
PAGE_P95_MS = 50
FLOOR_SHARE = 0.40
SUBMIT_SERVER_P95_MS = 600
LETTER_MEDIAN_MS = 250
BATCH_S = 25
VERIFY_S = 10


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="make bench", description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="of the default volume")
    parser.add_argument("--clients", type=int, default=8, help="concurrent HTTP clients")
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument(
        "--pages",
        action="append",
        metavar="TEXT",
        help="only the pages whose name contains TEXT (and the floor); repeatable",
    )
    parser.add_argument(
        "--no-offline", action="store_true", help="skip letters, verify_audit and the purge"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    started = time.monotonic()
    print(f"Rate limits raised for this run's server: {RATE_LIMITS}")
    with running_stack(StackOptions(rate_limits=RATE_LIMITS)) as stack:
        landmarks, accounts, fill = _fill(args.scale)
        start_web(stack, args.web_workers)
        start_worker(stack)
        print(f"gunicorn ({args.web_workers} workers) at {stack.base_url}; timing pages ...")
        pages = _time_pages(stack, landmarks, accounts, args.clients, args.pages)
        offline = {} if args.no_offline else _time_offline()
        memory = memory_report(stack)
        if not args.no_offline:
            offline["purge"] = _purge()
    results = {
        "args": vars(args),
        "machine": machine(),
        "fill": fill,
        "pages": pages,
        "offline": offline,
        "memory_mb": memory,
        "total_s": time.monotonic() - started,
    }
    return _print(results)


def _fill(scale: float) -> tuple:
    from .fill import Filler, Volume
    from .seed import staff_accounts

    volume = Volume.scaled(scale)
    print(f"Filling: {volume.__dict__}")
    started = time.monotonic()
    accounts = staff_accounts()
    landmarks = Filler(volume).run(accounts)
    seconds = time.monotonic() - started
    print(f"Fill took {seconds:.1f} s")
    return landmarks, accounts, {"volume": volume.__dict__, "seconds": seconds}


def _time_pages(stack, landmarks, accounts, clients: int, only: list[str] | None) -> list[dict]:
    from brunswick.school.models import ClassGroup

    from .pages import FLOOR, follow_up_probes, insight_probes, page_probes, submit_probe
    from .seed import large_screenshot
    from .timing import measure, sign_in

    by_role = {a.role: a for a in reversed(accounts)}  # The first account of each role.
    cookies = {role: sign_in(stack.base_url, account) for role, account in by_role.items()}
    group_id = ClassGroup.objects.order_by("id").values_list("id", flat=True).first()
    screenshot = Path(large_screenshot(RESULTS_DIR)).read_bytes()
    probes = [
        *page_probes(cookies, landmarks, group_id),
        *insight_probes(cookies, group_id),
        submit_probe(screenshot, group_id),
        *follow_up_probes(stack.base_url, landmarks),
    ]
    if only:
        probes = [p for p in probes if p.name == FLOOR or any(t in p.name for t in only)]
    timings = []
    for probe in probes:
        timings.append(measure(stack.base_url, probe, clients).summary())
        print(f"  {probe.name}: p95 {timings[-1]['p95_ms']:.1f} ms")
    floor_rps = timings[0]["concurrent_rps"]
    for timing in timings:
        timing["ratio_to_floor"] = timing["concurrent_rps"] / floor_rps
    return timings


def _time_offline() -> dict:
    from . import offline

    print("Timing letters and verify_audit ...")
    return {
        "one_letter": offline.one_letter_ms(),
        "letter_batch": offline.letter_batch_s(),
        "verify_audit": offline.verify_audit_s(),
    }


def _purge() -> dict:
    from . import offline

    print("Timing the nightly purge ...")
    return offline.purge_s()


def _page_verdict(page: dict) -> str:
    from .pages import COLD, INSIGHT_TARGET_PAGES, SUBMIT, TARGET_PAGES

    if page["page"] in TARGET_PAGES | INSIGHT_TARGET_PAGES:
        # A cold page's concurrent requests race to refill one cache: p95 only.
        ratio = not page["page"].endswith(f"({COLD})")
        missed = [
            *(["p95"] if page["p95_ms"] >= PAGE_P95_MS else []),
            *(["ratio"] if ratio and page["ratio_to_floor"] < FLOOR_SHARE else []),
        ]
        return f"MISSED ({', '.join(missed)})" if missed else "ok"
    if page["page"] == SUBMIT:
        return "ok" if page["server_p95_ms"] < SUBMIT_SERVER_P95_MS else "MISSED (server p95)"
    return ""


def _print(results: dict) -> int:
    headers = ["page", "p50 ms", "p95 ms", "max ms", "server p95 ms", "req/s (1 client)",
               f"req/s ({results['args']['clients']} clients)", "ratio to floor", "queries",
               "target"]  # fmt: skip
    rows = []
    for page in results["pages"]:
        page["target"] = _page_verdict(page)
        rows.append(
            [page["page"], page["p50_ms"], page["p95_ms"], page["max_ms"], page["server_p95_ms"],
             page["sequential_rps"], page["concurrent_rps"], f"{page['ratio_to_floor']:.2f}",
             page["queries"], page["target"]]
        )  # fmt: skip
    print()
    print(markdown_table(headers, rows))
    print()
    print(markdown_table(["outside HTTP", "result", "target"], _offline_rows(results)))
    print("\npeak memory (VmHWM, MB): " + ", ".join(
        f"{k} {v:.0f}" for k, v in results["memory_mb"].items()
    ))  # fmt: skip
    errors = sum(page["errors"] for page in results["pages"])
    print(f"HTTP errors (unexpected status): {errors}")
    print(f"machine: {results['machine']}")
    print(f"results: {write_results(RESULTS_DIR, 'bench', results)}")
    print(f"bench took {results['total_s']:.0f} s")
    return 1 if errors else 0


def _offline_rows(results: dict) -> list[list[object]]:
    fill, offline = results["fill"], results["offline"]
    if not offline:  # --no-offline
        return [["fill (bulk inserts)", f"{fill['seconds']:.1f} s", ""]]
    letter, batch = offline["one_letter"], offline["letter_batch"]
    verify, purge = offline["verify_audit"], offline["purge"]

    def verdict(value: float, limit: float) -> str:
        return ("ok" if value < limit else "MISSED") + f" (< {limit})"

    return [
        ["fill (bulk inserts)", f"{fill['seconds']:.1f} s", ""],
        ["one letter, median of 20", f"{letter['median_ms']:.0f} ms",
         verdict(letter["median_ms"], LETTER_MEDIAN_MS)],
        [f"{batch['letters']} letters in the worker", f"{batch['seconds']:.1f} s",
         verdict(batch["seconds"], BATCH_S)],
        [f"verify_audit, {verify['events']:,} events", f"{verify['seconds']:.1f} s",
         verdict(verify["seconds"], VERIFY_S)],
        ["nightly purge", f"{purge['seconds']:.1f} s ({_purged(purge['purged'])})", ""],
    ]  # fmt: skip


def _purged(totals: dict) -> str:
    shown = {k: v for k, v in (totals or {}).items() if v}
    return ", ".join(f"{v} {k}" for k, v in shown.items()) or "nothing due"


if __name__ == "__main__":
    exit_on_interrupt(main)
