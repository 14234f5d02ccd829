"""Profile pages with pyinstrument on a filled throwaway database, in this process.

    uv run python -m bench.profile --scale 0.2 /staff/ /staff/cases/1/

Each path is requested as a signed-in Head Teacher (who may see every page) with Django's
test client, warmed up, then profiled over a few requests; the SQL queries are printed
too. For finding where a page's time goes, not for timing it (that is `make bench`).
"""

import argparse
import sys

from .stack import StackOptions, running_stack


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile")
    parser.add_argument("--scale", type=float, default=0.2)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sql", action="store_true", help="print each query")
    parser.add_argument("paths", nargs="+", help="paths; {case} {person} {report} filled in")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    with running_stack(StackOptions()):
        from .fill import Filler, Volume
        from .seed import staff_accounts

        landmarks = Filler(Volume.scaled(args.scale)).run(staff_accounts())
        client = _signed_in_client()
        for path in args.paths:
            path = path.format(
                case=landmarks.big_case_id,
                person=landmarks.busy_person_id,
                report=landmarks.report_reference,
            )
            _profile(client, path, args.repeat, args.sql)
    return 0


def _signed_in_client():
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY

    from brunswick.accounts.models import User

    user = User.objects.get(username="head")
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = user.totpdevice_set.get().persistent_id
    session.save()
    return client


def _profile(client, path: str, repeat: int, sql: bool) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from pyinstrument import Profiler

    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        status = client.get(path).status_code
    print(f"\n===== {path}: HTTP {status}, {len(queries)} queries")
    for query in queries.captured_queries if sql else []:
        print(f"  {query['time']}s  {query['sql'][:300]}")
    profiler = Profiler(interval=0.0005)
    with profiler:
        for _ in range(repeat):
            client.get(path)
    print(profiler.output_text(unicode=False, color=False, show_all=False))


if __name__ == "__main__":
    sys.exit(main())
