"""Turning a letter into a PDF with WeasyPrint.

WeasyPrint may fetch only the school's own static files: every other URL (the network,
file:// outside the static folder, data the page did not ship) is refused. The stylesheet
and the font configuration are built once per process, not once per letter.
"""

import signal
import threading
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from PIL import ImageFile
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

# WeasyPrint turns on Pillow's "accept truncated images" switch for the whole process when
# imported. Letters only use the school's own crest, and the screenshot checks depend on
# truncated uploads being refused, so switch it back off.
ImageFile.LOAD_TRUNCATED_IMAGES = False

STATIC_ROOT = (Path(settings.BASE_DIR) / "static").resolve()
RENDER_SECONDS = 30


class RefusedURL(ValueError):
    pass


class StaticOnlyFetcher(URLFetcher):
    """Fetch files under static/ and nothing else."""

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme != "file":
            raise RefusedURL(f"letters may not fetch {parts.scheme or 'relative'} URLs")
        path = Path(unquote(parts.path)).resolve()
        if not path.is_relative_to(STATIC_ROOT) or not path.is_file():
            raise RefusedURL("letters may only use the school's own static files")
        return super().fetch(path.as_uri(), headers)


@cache
def _font_config() -> FontConfiguration:
    return FontConfiguration()


@cache
def _stylesheet() -> CSS:
    return CSS(
        filename=str(STATIC_ROOT / "css" / "letter.css"),
        font_config=_font_config(),
        url_fetcher=StaticOnlyFetcher(),
    )


class RenderTimeout(Exception):
    pass


@contextmanager
def _time_limit(seconds: int):
    """Stop a render that runs too long. Needs the main thread (a worker's, or a command's);
    elsewhere Celery's own time limit applies."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum, frame):
        raise RenderTimeout(f"rendering took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def letter_html(context: dict) -> str:
    return render_to_string("letters/pdf/letter.html", context)


def html_to_pdf(html: str) -> bytes:
    """A tagged PDF (PDF/UA-1) of the page, A4, with the letter stylesheet."""
    with _time_limit(RENDER_SECONDS):
        document = HTML(
            string=html, base_url=str(STATIC_ROOT) + "/", url_fetcher=StaticOnlyFetcher()
        )
        return document.write_pdf(
            stylesheets=[_stylesheet()], font_config=_font_config(), pdf_variant="pdf/ua-1"
        )
