"""The pack as files: a tagged PDF (with the letters' renderer, so it may fetch only the
school's static files) and a ZIP holding that PDF and the screenshots' working copies."""

import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string

from brunswick.school.models import SchoolSettings
from letters.rendering import html_to_pdf

from .pack import Pack

PDF_NAME = "subject-access-pack.pdf"


@dataclass(frozen=True)
class PackFile:
    name: str
    content_type: str
    content: bytes


def pack_html(pack: Pack) -> str:
    return render_to_string(
        "subject_access/pdf/pack.html",
        {
            "pack": pack,
            "school": SchoolSettings.current(),
            "static_root": str(settings.BASE_DIR / "static"),
        },
    )


def pack_pdf(pack: Pack) -> bytes:
    return html_to_pdf(pack_html(pack))


def pack_zip(pack: Pack, pdf: bytes) -> bytes:
    """The PDF and each screenshot's working copy (orientation applied, no metadata). The
    sealed originals never leave the portal: they keep what the parent uploaded, metadata
    and all."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(PDF_NAME, pdf)
        for name, screenshot in pack.screenshots:
            with screenshot.working.open("rb") as working:
                # Images are compressed already: store them as they are.
                archive.writestr(f"screenshots/{name}", working.read(), zipfile.ZIP_STORED)
    return buffer.getvalue()


def pack_file(pack: Pack, with_screenshots: bool) -> PackFile:
    pdf = pack_pdf(pack)
    stem = f"subject-access-{pack.request.code}"
    if not with_screenshots:
        return PackFile(f"{stem}.pdf", "application/pdf", pdf)
    return PackFile(f"{stem}.zip", "application/zip", pack_zip(pack, pdf))
