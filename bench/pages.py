"""The pages `make bench` times, each as the role that uses it."""

from collections.abc import Callable

import httpx

from .fill import Landmarks
from .seed import report_form_fields
from .timing import Probe, csrf_token, submission_key

FLOOR = "floor (fixed small page)"
SUBMIT = "submit a report (3 x 3 MB screenshots)"
# The pages with a target: p95 under 50 ms sequentially, 8-client throughput >= 40% floor.
TARGET_PAGES = {
    "triage inbox",
    "triage inbox, filtered",
    "triage inbox, search",
    "case page (10 reports, 30 steps)",
    "chronology (20 cases)",
    "office print queue",
}
# The Insight dashboard and the governors' report: the same p95 target. Each is timed
# cold (its cached figures removed before every request, so they are worked out again)
# and warm (from the cache, as when nothing has changed since the last look).
COLD, WARM = "cold", "warm"
INSIGHT_PAGES = [
    ("Insight, this term", "/staff/insight/"),
    ("Insight, this school year", "/staff/insight/?period=this_year"),
    ("Insight, last term, one group", "/staff/insight/?period=last_term&group={group}"),
    (
        "Insight, 5 years (custom)",
        "/staff/insight/?period=custom&starts_on_0=1&starts_on_1=9&starts_on_2=2021"
        "&ends_on_0=31&ends_on_1=8&ends_on_2=2026",
    ),
    ("governors' report PDF, last term", "/staff/insight/governors-report.pdf?period=last_term"),
    ("governors' report CSV, last term", "/staff/insight/governors-report.csv?period=last_term"),
]
AS_SLT = f"Insight, this term, as SLT ({WARM})"
INSIGHT_TARGET_PAGES = {
    *(f"{name} ({kind})" for name, _ in INSIGHT_PAGES for kind in (COLD, WARM)),
    AS_SLT,
}


def _get(path: str) -> Callable[[httpx.Client, object], httpx.Response]:
    return lambda client, prepared: client.get(path)


def _report_form(client: httpx.Client) -> dict:
    # A new parent each time: a browser that has just sent one is told "already sent".
    client.cookies.clear()
    form = client.get("/report/")
    return {
        "csrfmiddlewaretoken": csrf_token(form.text),
        "submission_key": submission_key(form.text),
    }


def submit_probe(screenshot: bytes, group_id: int) -> Probe:
    data = report_form_fields(group_id, "Bench Parent")

    def submit(client: httpx.Client, form: object) -> httpx.Response:
        files = [("screenshots", (f"chat-{n}.png", screenshot, "image/png")) for n in range(3)]
        return client.post("/report/", data={**data, **form}, files=files)

    # Each takes seconds of CPU (three pictures checked and re-encoded, a passphrase
    # hashed): fewer of them, or the bench would not finish in ten minutes.
    return Probe(SUBMIT, submit, prepare=_report_form, expect=302, sequential=10, concurrent=16)


def follow_up_probes(base_url: str, landmarks: Landmarks) -> list[Probe]:
    credentials = {"reference": landmarks.report_reference, "passphrase": landmarks.passphrase}

    def form(client: httpx.Client) -> dict:
        return {"csrfmiddlewaretoken": csrf_token(client.get("/follow-up/").text)}

    def sign_in(client: httpx.Client, prepared: object) -> httpx.Response:
        return client.post("/follow-up/", data={**credentials, **prepared})

    with httpx.Client(base_url=base_url, timeout=30) as client:
        response = sign_in(client, form(client))
        if response.status_code != 302:
            raise RuntimeError(f"follow-up sign-in refused: {response.status_code}")
        cookies = client.cookies
    return [
        Probe(
            "status page sign-in (reference + passphrase)",
            sign_in,
            prepare=form,
            expect=302,
            sequential=10,
            concurrent=16,
        ),
        Probe("status page (signed in)", _get("/follow-up/report/"), cookies=cookies),
    ]


def page_probes(cookies: dict[str, httpx.Cookies], landmarks: Landmarks, group_id: int):
    slt, head, office = cookies["slt"], cookies["head_teacher"], cookies["office"]
    search = landmarks.search_term.replace(" ", "+")
    return [
        Probe(FLOOR, _get("/bench/floor/"), sequential=100, concurrent=400),
        Probe("start page", _get("/")),
        Probe("report form", _get("/report/")),
        Probe("triage inbox", _get("/staff/"), cookies=slt),
        Probe(
            "triage inbox, filtered",
            _get(f"/staff/?status=all&category=anger&group={group_id}"),
            cookies=slt,
        ),
        Probe("triage inbox, search", _get(f"/staff/?q={search}&status=all"), cookies=slt),
        Probe(
            "case page (10 reports, 30 steps)",
            _get(f"/staff/cases/{landmarks.big_case_id}/"),
            cookies=slt,
        ),
        Probe(
            "chronology (20 cases)",
            _get(f"/staff/people/{landmarks.busy_person_id}/"),
            cookies=head,
        ),
        Probe("office print queue", _get("/office/letters/"), cookies=office),
        Probe("audit view", _get("/staff/audit/"), cookies=head),
    ]


def forget_insight_snapshots(client: httpx.Client | None = None) -> None:
    """Remove the dashboard's cached figures (insight.snapshots) from the shared Redis."""
    import redis
    from django.conf import settings
    from django.core.cache import cache

    with redis.Redis.from_url(settings.REDIS_URL) as server:
        keys = list(server.scan_iter(match=cache.make_key("insight:*"), count=1000))
        if keys:
            server.delete(*keys)


def insight_probes(cookies: dict[str, httpx.Cookies], group_id: int) -> list[Probe]:
    head, slt = cookies["head_teacher"], cookies["slt"]
    probes = []
    for name, path in INSIGHT_PAGES:
        path = path.format(group=group_id)
        probes += [
            # Each cold request works the figures out again: fewer of them.
            Probe(
                f"{name} ({COLD})",
                _get(path),
                cookies=head,
                prepare=forget_insight_snapshots,
                sequential=10,
                concurrent=16,
            ),
            Probe(f"{name} ({WARM})", _get(path), cookies=head),
        ]
    probes.append(Probe(AS_SLT, _get("/staff/insight/"), cookies=slt))
    return probes
