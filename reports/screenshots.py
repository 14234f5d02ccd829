"""Content checks for uploaded screenshots.

Parents upload screenshots of class-group posts. We never trust the file name or the
declared content type: the bytes are opened with Pillow restricted to JPEG, PNG, WebP
and HEIF, fully decoded, and then re-encoded from pixel data alone. That gives two
copies:

* ``original``: the exact bytes uploaded, kept sealed (with its SHA-256) as evidence.
* ``working``: an upright copy with every piece of metadata (EXIF, GPS, XMP, ICC,
  comments, PNG text chunks) gone, safe to show to staff and to put into reports.

Working copy format, fixed per output format:

* PNG (``image/png``, ``.png``) when the upload was a PNG, because screenshots are
  mostly text and a lossy re-encode would blur it, or when a WebP/HEIF upload has real
  transparency, which JPEG cannot hold.
* JPEG (``image/jpeg``, ``.jpg``, quality 90, no chroma subsampling so coloured text
  stays crisp) for everything else.

The thumbnail is always a JPEG that fits in 320x320 (transparency flattened onto white).

Every limit is a keyword argument so this module needs no Django settings. Every
refusal is a ``ScreenshotRejected`` whose message is a plain sentence for a parent; it is
plain text, so escape it when rendering (Django templates do this by default).
"""

from __future__ import annotations

import hashlib
import io
import re
import struct
import unicodedata
import warnings
from dataclasses import dataclass

import pillow_heif
from PIL import Image, ImageFile, ImageOps

# Registered once here; Image.open(..., formats=...) below still limits what is tried.
pillow_heif.register_heif_opener()

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "HEIF")
DEFAULT_NAME = "screenshot"
DISPLAY_NAME_MAX = 100
THUMBNAIL_BOX = (320, 320)
WORKING_JPEG_QUALITY = 90
THUMBNAIL_JPEG_QUALITY = 85

# Invisible characters that reorder text; "photo\u202egnp.exe" shows as "photoexe.png".
_BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
# Cc: C0, DEL and C1 controls. Cs: lone surrogates (cannot be encoded, would crash later).
# Zl/Zp: Unicode line and paragraph separators, which act like newlines.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cs", "Zl", "Zp"})

# Defence in depth against polyglots: a file that is a valid picture but that a browser,
# or a misconfigured server, could also treat as HTML, SVG or PHP. Serving with the right
# Content-Type and "nosniff" is the main defence; this refuses such files outright.
# A signature only counts when followed by what ends a tag name (whitespace, "/", ">" or
# the end of the file), as in the WHATWG sniffing rules. Without that, "<svg" (4 bytes,
# any case) would turn up by chance in roughly 1 in 50 ten-megabyte compressed images;
# with it, chance matches are a few in ten thousand large files and rarer for small ones.
_MARKUP_SIGNATURE = re.compile(
    rb"<(?:html|script|\?php|svg|!doctype|iframe|body)(?:[\s/>]|\Z)", re.IGNORECASE
)
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_SIXTEEN_BIT_GREY = frozenset({"I;16", "I;16B", "I;16L", "I;16N", "I"})
_ALPHA_MODES = frozenset({"RGBA", "RGBa", "LA", "La", "PA"})

_BAD_NAME = (
    "This file's name contains characters we can't accept, such as slashes or hidden "
    "control characters. Rename the screenshot (for example to “screenshot.png”) and "
    "upload it again."
)
_EMPTY = "“{name}” is empty. Choose the screenshot again and upload it."
_TOO_BIG = "“{name}” is larger than {limit}. Upload a smaller screenshot, or crop it first."
_NOT_A_PICTURE = (
    "“{name}” is not a picture we can accept. Upload a screenshot saved as JPEG, PNG, WebP or HEIC."
)
_TOO_MANY_PIXELS = (
    "“{name}” is too large in width and height for us to process. "
    "Crop or resize the screenshot and upload it again."
)
_ANIMATED = (
    "“{name}” is an animation or contains several pictures. Upload a single still screenshot."
)
_HIDDEN_CONTENT = (
    "“{name}” contains hidden extra content, such as web page code, as well as a "
    "picture, so we can't accept it. Take the screenshot again and upload the new copy."
)
_DAMAGED = (
    "“{name}” looks damaged or incomplete, so we can't open it. "
    "Save the screenshot again and upload the new copy."
)

_BOMB_ERRORS = (Image.DecompressionBombError, Image.DecompressionBombWarning)


class ScreenshotRejected(Exception):
    """An upload we refuse; str(exc) / exc.message is a clear sentence for a parent.

    ``code`` is a short machine-readable reason (e.g. for a form ValidationError).
    """

    def __init__(self, message: str, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class CheckedScreenshot:
    """A screenshot that passed every check.

    ``working_content_type``/``working_extension`` are "image/png"/".png" when the
    upload was a PNG or had real transparency, otherwise "image/jpeg"/".jpg".
    ``width``/``height`` describe the working copy (after EXIF orientation).
    """

    display_name: str
    original: bytes
    original_sha256: str
    source_format: str
    working: bytes
    working_sha256: str
    working_content_type: str
    working_extension: str
    thumbnail: bytes
    width: int
    height: int


def check_screenshot(
    data: bytes, name: str, *, max_bytes: int, max_pixels: int
) -> CheckedScreenshot:
    """Check an upload by content and return its sealed and working copies.

    Raises ScreenshotRejected for anything we refuse; never lets a decoder error escape.
    """
    display_name = _display_name(name)
    _check_size(data, display_name, max_bytes)
    if ImageFile.LOAD_TRUNCATED_IMAGES:
        # Someone flipped Pillow's global switch; truncated files would pass silently.
        raise RuntimeError("PIL.ImageFile.LOAD_TRUNCATED_IMAGES must be False")
    try:
        source_format, image = _decode(data, display_name, max_pixels)
        working, content_type, extension = _encode_working(image, source_format)
        thumbnail = _encode_thumbnail(image)
    except ScreenshotRejected:
        raise
    except _BOMB_ERRORS as exc:
        raise _rejected(_TOO_MANY_PIXELS, "too_many_pixels", display_name) from exc
    except Exception as exc:  # any decoder failure is the file's fault, not a server error
        raise _rejected(_DAMAGED, "damaged", display_name) from exc
    return CheckedScreenshot(
        display_name=display_name,
        original=data,
        original_sha256=hashlib.sha256(data).hexdigest(),
        source_format=source_format,
        working=working,
        working_sha256=hashlib.sha256(working).hexdigest(),
        working_content_type=content_type,
        working_extension=extension,
        thumbnail=thumbnail,
        width=image.width,
        height=image.height,
    )


def _display_name(name: str) -> str:
    """Return the name to show back to the parent, or refuse a dangerous one."""
    if not name:
        return DEFAULT_NAME
    if _is_unsafe_name(name):
        raise ScreenshotRejected(_BAD_NAME, "bad_name")
    cleaned = unicodedata.normalize("NFC", name).strip(" ")
    return _shorten(cleaned) if cleaned else DEFAULT_NAME


def _is_unsafe_name(name: str) -> bool:
    # Checked before any stripping: str.strip() would quietly remove a trailing newline.
    if "/" in name or "\\" in name or name.strip(" ") in {".", ".."}:
        return True
    return any(
        ch in _BIDI_CONTROLS or unicodedata.category(ch) in _UNSAFE_CATEGORIES for ch in name
    )


def _shorten(name: str) -> str:
    """Trim to DISPLAY_NAME_MAX characters, keeping a short extension visible."""
    if len(name) <= DISPLAY_NAME_MAX:
        return name
    stem, dot, extension = name.rpartition(".")
    if dot and stem and len(extension) <= 10:
        return f"{stem[: DISPLAY_NAME_MAX - len(extension) - 2]}….{extension}"
    return f"{name[: DISPLAY_NAME_MAX - 1]}…"


def _check_size(data: bytes, display_name: str, max_bytes: int) -> None:
    if not data:
        raise _rejected(_EMPTY, "empty", display_name)
    if len(data) > max_bytes:
        limit = _format_size(max_bytes)
        raise ScreenshotRejected(_TOO_BIG.format(name=display_name, limit=limit), "too_big")


def _format_size(size: int) -> str:
    """Binary units, as phones and computers show them: 10 * 1024 * 1024 -> "10 MB"."""
    if size < 1024:
        return f"{size} bytes"
    value, unit = (size / 1_048_576, "MB") if size >= 1_048_576 else (size / 1024, "KB")
    return f"{value:.1f}".removesuffix(".0") + f" {unit}"


def _decode(data: bytes, display_name: str, max_pixels: int) -> tuple[str, Image.Image]:
    """Open, vet and fully decode; return the format and a clean, upright image."""
    with warnings.catch_warnings():
        # Local only: Pillow's global MAX_IMAGE_PIXELS is left alone. catch_warnings is
        # process-wide state, so the explicit max_pixels check below is the real guard.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with _open(data, display_name) as image:
            _vet_before_decoding(image, data, display_name, max_pixels)
            image.load()  # decodes every pixel, so truncated files fail here
            return image.format, _pixels_only(image)


def _open(data: bytes, display_name: str) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(data), formats=list(ACCEPTED_FORMATS))
    except _BOMB_ERRORS:
        raise
    except Exception as exc:  # UnidentifiedImageError and header parsing errors
        raise _rejected(_NOT_A_PICTURE, "not_a_picture", display_name) from exc
    if image.format not in ACCEPTED_FORMATS:  # e.g. a multi-picture JPEG opens as "MPO"
        image.close()
        raise _rejected(_NOT_A_PICTURE, "not_a_picture", display_name)
    return image


def _vet_before_decoding(
    image: Image.Image, data: bytes, display_name: str, max_pixels: int
) -> None:
    """Checks that need only the header, so hostile files are refused without decoding."""
    width, height = image.size
    if width < 1 or height < 1:
        raise _rejected(_DAMAGED, "damaged", display_name)
    if width * height > max_pixels:
        raise _rejected(_TOO_MANY_PIXELS, "too_many_pixels", display_name)
    if getattr(image, "n_frames", 1) > 1 or getattr(image, "is_animated", False):
        raise _rejected(_ANIMATED, "animated", display_name)
    if _MARKUP_SIGNATURE.search(data):
        raise _rejected(_HIDDEN_CONTENT, "hidden_content", display_name)
    trailing = _trailing_bytes(data, image.format)
    if trailing is None:
        raise _rejected(_DAMAGED, "damaged", display_name)
    if trailing > 0:
        raise _rejected(_HIDDEN_CONTENT, "hidden_content", display_name)


def _trailing_bytes(data: bytes, image_format: str) -> int | None:
    """Bytes after the container's declared end, or None if the end is missing.

    Only PNG and WebP have a clear end. JPEG is not checked: phones legitimately append
    data after the end marker (e.g. motion photos), and the signature scan covers HTML.
    """
    if image_format == "PNG":
        return _png_trailing_bytes(data)
    if image_format == "WEBP":
        (riff_size,) = struct.unpack_from("<I", data, 4)
        return len(data) - (8 + riff_size)
    return 0


def _png_trailing_bytes(data: bytes) -> int | None:
    position = len(_PNG_SIGNATURE)
    while position + 12 <= len(data):
        length, kind = struct.unpack_from(">I4s", data, position)
        position += 12 + length  # length, type, data, CRC
        if kind == b"IEND":
            return len(data) - position if position <= len(data) else None
    return None


def _pixels_only(image: Image.Image) -> Image.Image:
    """Upright pixels in RGB or RGBA, pasted into a new image that carries no metadata."""
    upright = _to_rgb_or_rgba(ImageOps.exif_transpose(image))
    clean = Image.new(upright.mode, upright.size)
    clean.paste(upright)
    return clean


def _to_rgb_or_rgba(image: Image.Image) -> Image.Image:
    if image.mode in _SIXTEEN_BIT_GREY:
        # convert() would clip 16-bit values to white; scale them down to 8 bits instead.
        image = image.convert("I").point(lambda value: value / 256).convert("L")
    if image.mode not in _ALPHA_MODES and "transparency" not in image.info:
        return image.convert("RGB")  # also handles CMYK, palette, greyscale and 1-bit
    rgba = image.convert("RGBA")
    # Many screenshots carry an alpha channel that is fully opaque; drop it.
    return rgba.convert("RGB") if rgba.getchannel("A").getextrema() == (255, 255) else rgba


def _encode_working(image: Image.Image, source_format: str) -> tuple[bytes, str, str]:
    if source_format == "PNG" or image.mode == "RGBA":
        return _save(image, "PNG"), "image/png", ".png"
    jpeg = _save(image, "JPEG", quality=WORKING_JPEG_QUALITY, subsampling=0)
    return jpeg, "image/jpeg", ".jpg"


def _encode_thumbnail(image: Image.Image) -> bytes:
    scale = min(1.0, THUMBNAIL_BOX[0] / image.width, THUMBNAIL_BOX[1] / image.height)
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    small = image.resize(size, Image.Resampling.LANCZOS)
    if small.mode == "RGBA":  # JPEG has no transparency; flatten onto white
        background = Image.new("RGB", small.size, "white")
        background.paste(small, mask=small.getchannel("A"))
        small = background
    return _save(small, "JPEG", quality=THUMBNAIL_JPEG_QUALITY)


def _save(image: Image.Image, image_format: str, **options: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=image_format, **options)
    return buffer.getvalue()


def _rejected(template: str, code: str, display_name: str) -> ScreenshotRejected:
    return ScreenshotRejected(template.format(name=display_name), code)
