"""make loadtest: parents uploading screenshots while staff browse, then a count of what
was kept.

PostgreSQL, Redis, gunicorn and a real Celery worker (mail written to files) are started
on loopback; locust runs headless in its own process; then the database is checked: every
submission the server accepted is stored with all its screenshots and its notifications
sent. Exit status 1 when a check fails.

    make loadtest                               # 25 parents, 10 staff, 2 minutes
    make loadtest LOADTEST_ARGS="--duration 20"
"""

import argparse
import json
import os
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import asdict
from datetime import timedelta
from pathlib import Path

from .report import machine, markdown_table, percentile, write_results
from .stack import (
    RESULTS_DIR,
    StackOptions,
    exit_on_interrupt,
    memory_report,
    running_stack,
    start_web,
    start_worker,
)

SCREENSHOTS_PER_REPORT = 3
PAGE_P95_MS = 1000
SUBMIT_P95_MS = 3000
SUBMIT = "submit report (3 x 3 MB)"
# Staff sign-in checks a password with PBKDF2, slow on purpose (~0.6 s alone) and once per
# session: held to the submission's target, not a page's.
SLOW_ON_PURPOSE = {SUBMIT, "staff sign-in"}
# Every simulated parent comes from 127.0.0.1: the portal's per-address and global limits
# (10/h and 300/h) would refuse most of them. The limits have their own tests.
RATE_LIMITS = {
    "REPORT_RATE_PER_ADDRESS": "100000/h",
    "REPORT_RATE_GLOBAL": "100000/h",
    "SCREENSHOT_STAGE_RATE_PER_ADDRESS": "100000/15m",
    "SCREENSHOT_STAGE_RATE_GLOBAL": "100000/15m",
}


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="make loadtest", description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=120, help="seconds (default 120)")
    parser.add_argument("--parents", type=int, default=25)
    parser.add_argument("--staff", type=int, default=10)
    parser.add_argument("--web-workers", type=int, default=3, help="as docker/Dockerfile")
    parser.add_argument("--drain-timeout", type=int, default=300, help="seconds to wait for mail")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    print(f"Rate limits raised for this run's server: {RATE_LIMITS}")
    with running_stack(StackOptions(rate_limits=RATE_LIMITS)) as stack:
        config = _prepare(stack, args)
        start_web(stack, args.web_workers)
        start_worker(stack)
        print(
            f"gunicorn ({args.web_workers} sync workers) at {stack.base_url}, Celery worker, "
            f"PostgreSQL :{stack.postgres.port}, Redis :{stack.redis.port}"
        )
        print(f"{args.parents} parents and {args.staff} staff for {args.duration} s ...")
        results = _run_locust(stack, config, args)
        memory = memory_report(stack)
        checks = _check_database(stack, results["accepted"], args.drain_timeout)
    return _report(args, results, checks, memory)


def _prepare(stack, args) -> dict:
    """A small realistic data set for staff to browse, and their accounts."""
    from brunswick.school.models import ClassGroup
    from cases.models import Case
    from reports.models import Report

    from .fill import Filler, Volume
    from .seed import large_screenshot, staff_accounts

    accounts = staff_accounts(extra_slt=max(0, args.staff - 2), extra_head=1, office=1)
    Filler(Volume.scaled(0.05)).run(accounts)
    browsing = [a for a in accounts if a.role != "admin"][: args.staff]
    path = stack.directory / "loadtest-config.json"
    config = {
        "parents": args.parents,
        "staff_users": len(browsing),
        "staff": [asdict(a) for a in browsing],
        "screenshot": str(large_screenshot(RESULTS_DIR)),
        "group_ids": list(ClassGroup.objects.values_list("id", flat=True)),
        "case_ids": list(Case.objects.order_by("-id").values_list("id", flat=True)[:200]),
        "report_references": list(
            Report.objects.order_by("-id").values_list("reference", flat=True)[:200]
        ),
        "results": str(stack.directory / "locust-results.json"),
        "path": str(path),
    }
    path.write_text(json.dumps(config))
    return config


def _run_locust(stack, config: dict, args) -> dict:
    users = config["parents"] + config["staff_users"]
    log = RESULTS_DIR / "loadtest-locust.log"
    command = [
        sys.executable, "-m", "locust", "-f", str(Path(__file__).with_name("locustfile.py")),
        "--headless", "--users", str(users), "--spawn-rate", str(users),
        "--run-time", f"{args.duration}s", "--host", stack.base_url,
        # In-flight requests finish when the time is up: they count, and are checked.
        "--stop-timeout", "60", "--only-summary", "--loglevel", "WARNING",
    ]  # fmt: skip
    env = {**os.environ, **stack.env, "BENCH_LOADTEST_CONFIG": config["path"]}
    with log.open("w") as output:
        process = subprocess.Popen(  # noqa: S603  (our own command line)
            command, env=env, stdout=output, stderr=subprocess.STDOUT
        )
        try:
            process.wait(args.duration + 180)
        finally:
            if process.poll() is None:
                process.terminate()
                process.wait(30)
    results_file = Path(config["results"])
    if not results_file.exists():
        raise RuntimeError(f"locust wrote no results; see {log}")
    return json.loads(results_file.read_text())


def _check_database(stack, accepted: list[str], drain_timeout: int) -> dict:
    """Every accepted submission stored with its screenshots; every notification sent."""
    from django.db.models import Count

    from brunswick.outbox.models import OutboxMessage
    from reports.models import Report

    pending = _wait_for_outbox(drain_timeout)
    reports = Report.objects.filter(submission_key__in=accepted).annotate(
        shots=Count("screenshots")
    )
    stored = {str(r.submission_key): r for r in reports}
    missing = [key for key in accepted if key not in stored]
    short = [r.reference for r in stored.values() if r.shots != SCREENSHOTS_PER_REPORT]
    jobs = OutboxMessage.objects.filter(object_id__in=[r.id for r in stored.values()]).filter(
        kind__in=[OutboxMessage.Kind.NEW_REPORT_TO_STAFF, OutboxMessage.Kind.ACKNOWLEDGE_REPORTER]
    )
    return {
        "accepted": len(accepted),
        "stored": len(stored),
        "lost": len(missing),
        "missing_screenshots": len(short),
        "notifications": jobs.count(),
        "notifications_expected": 2 * len(stored),  # To staff, and to the reporter.
        "notifications_unsent": jobs.filter(sent_at__isnull=True).count(),
        "outbox_pending_at_end": pending,
        "mails_written": _count_mails(stack.mail_dir),
    }


def _wait_for_outbox(timeout: int) -> int:
    """Wait for the worker to drain the outbox; nudge the relay once if it stalls."""
    from brunswick.outbox.models import OutboxMessage
    from brunswick.outbox.services import outbox_relay

    deadline, nudged = time.monotonic() + timeout, False
    while (pending := OutboxMessage.objects.pending().count()) and time.monotonic() < deadline:
        if not nudged and time.monotonic() > deadline - timeout / 2:
            outbox_relay(older_than=timedelta(0))
            nudged = True
        time.sleep(1)
    return pending


def _count_mails(mail_dir: Path) -> int:
    # The file backend separates messages with a line of 79 dashes.
    return sum(p.read_text().count("-" * 79) for p in mail_dir.glob("*.log"))


def _page_rows(records: list[dict]) -> list[dict]:
    by_name: dict[str, list[dict]] = defaultdict(list)
    for record in records:
        by_name[record["name"]].append(record)
    rows = []
    for name, group in by_name.items():
        server = [r["server_ms"] for r in group if r["server_ms"] is not None]
        client = [r["client_ms"] for r in group]
        target = SUBMIT_P95_MS if name in SLOW_ON_PURPOSE else PAGE_P95_MS
        rows.append(
            {
                "page": name,
                "requests": len(group),
                "failures": sum(r["failed"] for r in group),
                "client_p50_ms": percentile(client, 0.5),
                "client_p95_ms": percentile(client, 0.95),
                "server_p50_ms": percentile(server, 0.5),
                "server_p95_ms": percentile(server, 0.95),
                "target_server_p95_ms": target,
                "met": bool(server) and percentile(server, 0.95) < target,
            }
        )
    return sorted(rows, key=lambda row: row["page"])


def _report(args, results: dict, checks: dict, memory: dict) -> int:
    rows = _page_rows(results["records"])
    headers = ["page", "requests", "failures", "client p50 ms", "client p95 ms",
               "server p50 ms", "server p95 ms", "target (server p95)"]  # fmt: skip
    table = [
        [r["page"], r["requests"], r["failures"], r["client_p50_ms"], r["client_p95_ms"],
         r["server_p50_ms"], r["server_p95_ms"],
         f"< {r['target_server_p95_ms']} ms {'ok' if r['met'] else 'MISSED'}"]
        for r in rows
    ]  # fmt: skip
    print()
    print(markdown_table(headers, table))
    failures = sum(r["failures"] for r in rows)
    print(f"\nrequests: {sum(r['requests'] for r in rows)}, failures: {failures}")
    for error in sorted({r["error"] for r in results["records"] if r["failed"]})[:10]:
        print(f"  failure: {error}")
    print("database checks: " + ", ".join(f"{k}={v}" for k, v in checks.items()))
    print("peak memory (VmHWM, MB): " + ", ".join(f"{k} {v:.0f}" for k, v in memory.items()))
    problems = _problems(rows, checks, failures)
    for problem in problems:
        print(f"CHECK FAILED: {problem}")
    summary = {"args": vars(args), "machine": machine(), "pages": rows, "checks": checks,
               "memory_mb": memory, "problems": problems}  # fmt: skip
    print(f"\nresults: {write_results(RESULTS_DIR, 'loadtest', summary)}")
    print("load test passed" if not problems else "load test FAILED")
    return 1 if problems else 0


def _problems(rows: list[dict], checks: dict, failures: int) -> list[str]:
    problems = [f"{failures} failed requests"] if failures else []
    if checks["accepted"] == 0:
        problems.append("no submission was accepted")
    if checks["lost"]:
        problems.append(f"{checks['lost']} accepted submissions not in the database")
    if checks["missing_screenshots"]:
        problems.append(f"{checks['missing_screenshots']} reports without all screenshots")
    if checks["notifications"] != checks["notifications_expected"]:
        problems.append("notifications enqueued do not match the reports")
    if checks["notifications_unsent"]:
        problems.append(f"{checks['notifications_unsent']} notifications not sent")
    problems += [f"{r['page']}: server p95 over target" for r in rows if not r["met"]]
    return problems


if __name__ == "__main__":
    exit_on_interrupt(main)
