"""The pack as files: a tagged PDF (with the letters' renderer, so it may fetch only the
school's static files) and a ZIP holding that PDF and the screenshots' working copies.

Screenshots are read before the PDF is made, so that one whose file cannot be read is
listed in the PDF's "Not included" section instead of failing the whole pack."""

import io
import logging
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string

from brunswick.school.models import SchoolSettings
from letters.rendering import html_to_pdf

from .pack import NotIncluded, Pack

logger = logging.getLogger(__name__)

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


def screenshots_read(pack: Pack) -> list[tuple[str, bytes]]:
    """Each screenshot's working copy (orientation applied, no metadata), by its name in
    the ZIP. The sealed originals never leave the portal: they keep what the parent
    uploaded, metadata and all. One that cannot be read is added to pack.not_included."""
    read = []
    for name, screenshot in pack.screenshots:
        try:
            with screenshot.working.open("rb") as working:
                read.append((name, working.read()))
        except Exception:
            # Any failure (a missing file, a storage error) leaves out this one image only.
            logger.warning("Subject access pack: screenshot %s could not be read", screenshot.id)
            pack.not_included.append(
                NotIncluded(
                    f"Screenshot {name}",
                    "its file could not be read. Open the report in the portal to see it; "
                    "if it is missing there too, tell the technician.",
                )
            )
    names = {name for name, _ in read}
    for case in pack.cases:  # The PDF names only the screenshots the ZIP holds.
        for report in case.reports:
            report.screenshots = [name for name in report.screenshots if name in names]
    return read


def pack_zip(pdf: bytes, screenshots: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(PDF_NAME, pdf)
        for name, content in screenshots:
            # Images are compressed already: store them as they are.
            archive.writestr(f"screenshots/{name}", content, zipfile.ZIP_STORED)
    return buffer.getvalue()


def pack_file(pack: Pack, with_screenshots: bool) -> PackFile:
    screenshots = screenshots_read(pack) if with_screenshots else []
    pdf = pack_pdf(pack)
    stem = f"subject-access-{pack.request.code}"
    if not with_screenshots:
        return PackFile(f"{stem}.pdf", "application/pdf", pdf)
    return PackFile(f"{stem}.zip", "application/zip", pack_zip(pdf, screenshots))
