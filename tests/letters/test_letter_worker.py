"""The letter PDF job with the real Redis and a real worker: killed mid-render, it leaves
exactly one PDF; and WeasyPrint fetches nothing but the school's own static files."""

import signal
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from django.core.files.storage import default_storage

from brunswick.outbox.models import OutboxMessage
from brunswick.outbox.services import outbox_relay
from letters.models import Letter
from letters.rendering import STATIC_ROOT, RefusedURL, StaticOnlyFetcher, html_to_pdf
from letters.services import letter_approve
from tests.celery_worker import wait_until
from tests.letters.helpers import warning_letter

LONG = "\n\n".join(
    f"Paragraph {n}: the message said things no member of our community should read."
    for n in range(600)
)


def test_a_worker_killed_mid_render_leaves_exactly_one_pdf(
    slt, head_teacher, celery_worker, private_media
):
    letter, _ = warning_letter(slt, summary=LONG)  # Many pages: slow enough to interrupt.
    first = celery_worker()
    letter_approve(letter=letter, acting_user=head_teacher)
    wait_until(
        lambda: (
            "deliver_outbox_message" in first.log.read_text()
            and "received" in first.log.read_text().lower()
        )
    )
    first.process.send_signal(signal.SIGKILL)  # Mid-render: no chance to clean up.
    first.process.wait(10)
    assert "succeeded" not in first.log.read_text()  # It really died before finishing.
    assert Letter.objects.get(id=letter.id).status == Letter.Status.RENDERING
    assert OutboxMessage.objects.pending().filter(kind="render_letter").count() == 1

    second = celery_worker()
    outbox_relay(older_than=timedelta(0))  # What beat does every minute.
    wait_until(lambda: Letter.objects.get(id=letter.id).status == Letter.Status.READY, timeout=60)
    outbox_relay(older_than=timedelta(0))  # Nothing left to do: no second PDF.
    letter.refresh_from_db()
    pdfs = sorted(p.name for p in (private_media / "letters").iterdir())
    assert pdfs == [Path(letter.pdf.name).name]  # One PDF, no half-written file.
    assert default_storage.open(letter.pdf.name).read(4) == b"%PDF"
    second.stop()


@pytest.fixture
def http_server():
    """A real HTTP server on loopback that counts the requests it gets."""
    hits = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file:///work/../etc/hostname",
        "data:text/plain,hi",
        "ftp://127.0.0.1/x",
    ],
)
def test_the_fetcher_refuses_anything_but_static_files(url):
    with pytest.raises(RefusedURL):
        StaticOnlyFetcher().fetch(url)


def test_the_fetcher_reads_the_school_crest():
    response = StaticOnlyFetcher().fetch((STATIC_ROOT / "images" / "crest.svg").as_uri())
    assert b"<svg" in response.read()


def test_a_letter_never_fetches_from_the_network_or_outside_static(http_server):
    url, hits = http_server
    crest = (STATIC_ROOT / "images" / "crest.svg").as_uri()
    html = (
        f'<p>Hello</p><img src="{url}/tracker.png"><img src="file:///etc/passwd">'
        f'<link rel="stylesheet" href="{url}/x.css"><img src="{crest}">'
    )
    assert html_to_pdf(html).startswith(b"%PDF")
    assert hits == []
