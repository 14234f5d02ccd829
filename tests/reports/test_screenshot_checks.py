"""Content checks for uploaded screenshots (reports.screenshots).

Every test file is built in memory with Pillow or raw bytes; no Django, no database.
"""

from __future__ import annotations

import hashlib
import io
import struct
import time
import unicodedata
import zipfile
import zlib

import pytest
from PIL import ExifTags, Image, ImageCms, ImageDraw, ImageFile, PngImagePlugin

# Importing reports.screenshots also registers pillow-heif, so Pillow can write HEIF here.
from reports import screenshots
from reports.screenshots import CheckedScreenshot, ScreenshotRejected, check_screenshot

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


# --- helpers -----------------------------------------------------------------------------


def check(data: bytes, name: str = "screenshot.png", **limits: int) -> CheckedScreenshot:
    options = {"max_bytes": MAX_BYTES, "max_pixels": MAX_PIXELS, **limits}
    return check_screenshot(data, name, **options)


def rejection(data: bytes, name: str = "screenshot.png", **limits: int) -> ScreenshotRejected:
    with pytest.raises(ScreenshotRejected) as caught:
        check(data, name, **limits)
    return caught.value


def picture(size: tuple[int, int] = (120, 80), mode: str = "RGB") -> Image.Image:
    """Something screenshot-like: a gradient bar, a chat bubble and some text."""
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    for x in range(size[0]):
        draw.line([(x, 0), (x, size[1] // 4)], fill=(x % 256, 90, 255 - x % 256))
    draw.rounded_rectangle([(8, size[1] // 3), (size[0] - 8, size[1] - 8)], 6, fill="#dcf8c6")
    draw.text((12, size[1] // 3 + 4), "Hi all", fill="black")
    return image.convert(mode)


def encode(image: Image.Image, image_format: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=image_format, **options)
    return buffer.getvalue()


def png_chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(kind + body)
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG (pixel data for one pixel) whose IHDR claims width x height."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")  # filter byte + one red pixel
    return (
        PNG_SIGNATURE
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", pixels)
        + png_chunk(b"IEND", b"")
    )


def gps_and_orientation_exif(orientation: int = 6) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "SecretPhone"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (51.0, 30.0, 12.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (0.0, 7.0, 40.0)
    return exif


def zip_archive() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("screenshot.png", encode(picture(), "PNG"))
    return buffer.getvalue()


def png_with_comment(comment: str) -> bytes:
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", comment)
    return encode(picture(), "PNG", pnginfo=text)


def animated(image_format: str) -> bytes:
    frames = [Image.new("RGB", (32, 32), colour) for colour in ("red", "green", "blue")]
    return encode(frames[0], image_format, save_all=True, append_images=frames[1:])


def assert_metadata_free(data: bytes) -> None:
    with Image.open(io.BytesIO(data)) as image:
        assert not image.getexif()
        assert not {"exif", "xmp", "icc_profile", "comment"} & image.info.keys()
        assert not getattr(image, "text", {})
    for marker in (b"Exif\x00\x00", b"SecretPhone", b"secret", b"adobe:ns:meta", b"iCCP"):
        assert marker not in data


def is_unsafe(character: str) -> bool:
    return character in BIDI_CONTROLS or unicodedata.category(character) in {"Cc", "Zl", "Zp"}


# --- accepted pictures -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("image_format", "name", "content_type", "extension"),
    [
        ("JPEG", "chat.jpg", "image/jpeg", ".jpg"),
        ("PNG", "chat.png", "image/png", ".png"),
        ("WEBP", "chat.webp", "image/jpeg", ".jpg"),
        ("HEIF", "IMG_0042.HEIC", "image/jpeg", ".jpg"),
    ],
)
def test_it_accepts_each_supported_format_and_seals_the_original(
    image_format: str, name: str, content_type: str, extension: str
) -> None:
    # Phones record the screen density; without it Pillow's own PNG would round-trip exactly.
    data = encode(picture(), image_format, dpi=(460, 460))

    result = check(data, name)

    assert result.source_format == image_format
    assert result.display_name == name
    assert result.original == data
    assert result.original_sha256 == hashlib.sha256(data).hexdigest()
    assert result.working_sha256 == hashlib.sha256(result.working).hexdigest()
    assert result.working != data
    assert (result.working_content_type, result.working_extension) == (content_type, extension)
    with Image.open(io.BytesIO(result.working)) as working:
        assert working.format == {".jpg": "JPEG", ".png": "PNG"}[extension]
        assert working.size == (result.width, result.height) == (120, 80)


def test_the_checked_screenshot_is_immutable() -> None:
    result = check(encode(picture(), "PNG"))

    with pytest.raises(AttributeError):
        result.working = b"tampered"  # type: ignore[misc]


@pytest.mark.parametrize("image_format", ["WEBP", "HEIF"])
def test_it_keeps_real_transparency_by_making_the_working_copy_a_png(image_format: str) -> None:
    image = picture(mode="RGBA")
    image.putalpha(128)  # half see-through everywhere

    result = check(encode(image, image_format, lossless=True), f"chat.{image_format.lower()}")

    assert (result.working_content_type, result.working_extension) == ("image/png", ".png")
    with Image.open(io.BytesIO(result.working)) as working:
        assert working.mode == "RGBA"


def test_it_drops_an_alpha_channel_that_is_fully_opaque() -> None:
    result = check(encode(picture(mode="RGBA"), "WEBP"), "chat.webp")

    assert result.working_content_type == "image/jpeg"


def test_it_applies_exif_orientation_and_strips_gps_and_all_other_metadata_from_a_jpeg() -> None:
    image = Image.new("RGB", (20, 10), "red")
    image.paste((0, 0, 255), (10, 0, 20, 10))  # left half red, right half blue
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">secret-xmp</x:xmpmeta>'
    exif = gps_and_orientation_exif(orientation=6)
    data = encode(image, "JPEG", exif=exif, xmp=xmp, comment=b"secret", icc_profile=icc)
    with Image.open(io.BytesIO(data)) as uploaded:  # the upload really carries GPS
        assert uploaded.getexif().get_ifd(ExifTags.IFD.GPSInfo)

    result = check(data, "photo.jpg", max_bytes=100_000)

    assert (result.width, result.height) == (10, 20)
    with Image.open(io.BytesIO(result.working)) as working:
        top_red, _, top_blue = working.getpixel((5, 2))
        bottom_red, _, bottom_blue = working.getpixel((5, 17))
    # Orientation 6 means "rotate 90 degrees clockwise": the left (red) half ends up on top.
    assert top_red > 200 and top_blue < 60
    assert bottom_blue > 200 and bottom_red < 60
    assert_metadata_free(result.working)
    assert_metadata_free(result.thumbnail)


def test_it_removes_text_chunks_and_the_colour_profile_from_a_png() -> None:
    text = PngImagePlugin.PngInfo()
    text.add_text("Author", "secret-author")
    text.add_text("Comment", "secret-zipped", zip=True)
    text.add_itxt("Description", "secret-international")
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = encode(picture(), "PNG", pnginfo=text, icc_profile=icc)
    assert b"secret-author" in data

    result = check(data, "chat.png")

    assert_metadata_free(result.working)
    assert b"tEXt" not in result.working and b"zTXt" not in result.working


def test_it_removes_exif_from_a_heic() -> None:
    data = encode(picture(), "HEIF", exif=gps_and_orientation_exif(orientation=1))
    with Image.open(io.BytesIO(data)) as uploaded:  # the upload really carries GPS
        assert uploaded.getexif().get_ifd(ExifTags.IFD.GPSInfo)

    result = check(data, "IMG_0042.HEIC")

    assert_metadata_free(result.working)
    assert_metadata_free(result.thumbnail)


def test_it_scales_sixteen_bit_greyscale_instead_of_turning_it_white() -> None:
    image = Image.new("I;16", (4, 4), 32768)

    result = check(encode(image, "PNG"), "grey.png")

    with Image.open(io.BytesIO(result.working)) as working:
        assert working.getpixel((0, 0)) == (128, 128, 128)


def test_it_converts_a_cmyk_jpeg_to_rgb() -> None:
    result = check(encode(picture(mode="CMYK"), "JPEG"), "print.jpg")

    with Image.open(io.BytesIO(result.working)) as working:
        assert working.mode == "RGB"


def test_it_makes_a_metadata_free_jpeg_thumbnail_that_fits_in_320_pixels() -> None:
    result = check(encode(picture((1000, 500)), "PNG"), "wide.png")

    with Image.open(io.BytesIO(result.thumbnail)) as thumbnail:
        assert thumbnail.format == "JPEG"
        assert thumbnail.size == (320, 160)
    assert_metadata_free(result.thumbnail)


def test_it_does_not_enlarge_a_small_picture_for_its_thumbnail() -> None:
    result = check(encode(picture((40, 30)), "PNG"))

    with Image.open(io.BytesIO(result.thumbnail)) as thumbnail:
        assert thumbnail.size == (40, 30)


def test_it_flattens_transparency_onto_white_in_the_thumbnail() -> None:
    result = check(encode(Image.new("RGBA", (10, 10), (0, 0, 0, 0)), "PNG"))

    with Image.open(io.BytesIO(result.thumbnail)) as thumbnail:
        assert min(thumbnail.getpixel((5, 5))) > 245


def test_it_ignores_signature_lookalikes_that_do_not_end_a_tag() -> None:
    # "<svgX" is not an SVG tag; such short runs occur by chance in compressed data.
    data = encode(picture(), "JPEG", comment=b"<svgX <bodyguard <htmlz")

    assert check(data, "chat.jpg").source_format == "JPEG"


# --- names -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/passwd.png",
        "a\\b.png",
        "folder/chat.png",
        "..",
        "chat\x00.png",
        "chat.png\n",
        "chat\r\n.png",
        "chat\t.png",
        "chat\x1b[31m.png",
        "chat\x7f.png",
        "chat\x85.png",
        "chat\x9b.png",
        "chat\u2028.png",
        "invoice\u202egnp.exe",
        "chat\u202a.png",
        "chat\u2066.png",
        "chat\u2069.png",
        "chat\u200e.png",
        "chat\u200f.png",
        "chat\u061c.png",
    ],
)
def test_it_refuses_dangerous_names_without_echoing_them(name: str) -> None:
    error = rejection(encode(picture(), "PNG"), name)

    assert error.code == "bad_name"
    assert "This file's name" in error.message
    assert str(error) == error.message
    assert not any(is_unsafe(character) for character in error.message)
    assert "passwd" not in error.message and "gnp.exe" not in error.message


def test_it_checks_the_name_before_the_content() -> None:
    assert rejection(b"", "../chat.png").code == "bad_name"


def test_it_calls_an_unnamed_upload_screenshot() -> None:
    assert check(encode(picture(), "PNG"), "").display_name == "screenshot"
    assert "“screenshot” is empty" in rejection(b"", "").message


def test_it_keeps_an_ordinary_name_including_spaces_and_accents() -> None:
    name = "Année 4B, chat (2).png"

    assert check(encode(picture(), "PNG"), name).display_name == name


def test_it_shortens_a_long_name_but_keeps_its_extension() -> None:
    display_name = check(encode(picture(), "PNG"), "x" * 300 + ".png").display_name

    assert len(display_name) <= 100
    assert display_name.endswith("….png")


# --- size limits -------------------------------------------------------------------------


def test_it_rejects_an_empty_file() -> None:
    error = rejection(b"", "chat.png")

    assert error.code == "empty"
    assert "“chat.png” is empty" in error.message


def test_it_rejects_a_file_one_byte_over_the_limit() -> None:
    error = rejection(b"\xff" * 10_001, "huge.png", max_bytes=10_000)

    assert error.code == "too_big"
    assert "“huge.png” is larger than 9.8 KB" in error.message


def test_it_accepts_a_file_exactly_at_the_limit() -> None:
    data = encode(picture(), "PNG")

    assert check(data, max_bytes=len(data)).original == data


@pytest.mark.parametrize(
    ("max_bytes", "wording"),
    [(10 * 1024 * 1024, "10 MB"), (5_767_168, "5.5 MB"), (10_000, "9.8 KB"), (500, "500 bytes")],
)
def test_it_describes_the_byte_limit_in_everyday_units(max_bytes: int, wording: str) -> None:
    assert screenshots._format_size(max_bytes) == wording


# --- not pictures we accept --------------------------------------------------------------

HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)" width="9" height="9"/>'
PHP = b"<?php system($_GET['cmd']); ?>"


@pytest.mark.parametrize(
    ("data", "name"),
    [
        pytest.param(HTML, "holiday.jpg", id="jpg-that-is-really-html"),
        pytest.param(SVG, "chat.svg", id="svg"),
        pytest.param(SVG, "chat.png", id="svg-named-png"),
        pytest.param(PHP, "shell.php.png", id="php"),
        pytest.param(zip_archive(), "chat.png", id="zip"),
        pytest.param(encode(picture(), "PDF"), "chat.pdf", id="pdf"),
        pytest.param(encode(picture(), "GIF"), "chat.gif", id="gif"),
        pytest.param(animated("GIF"), "funny.gif", id="animated-gif"),
        pytest.param(encode(picture(), "BMP"), "chat.bmp", id="bmp"),
        pytest.param(encode(picture(), "TIFF"), "chat.tiff", id="tiff"),
        pytest.param(encode(picture(), "AVIF"), "chat.avif", id="avif"),
        pytest.param(b"just some text\n", "chat.png", id="plain-text"),
        pytest.param(PNG_SIGNATURE, "chat.png", id="png-signature-alone"),
    ],
)
def test_it_rejects_files_that_are_not_accepted_pictures(data: bytes, name: str) -> None:
    error = rejection(data, name)

    assert error.code == "not_a_picture"
    assert f"“{name}” is not a picture we can accept" in error.message
    assert "JPEG, PNG, WebP or HEIC" in error.message


@pytest.mark.parametrize("image_format", ["PNG", "WEBP", "HEIF"])
def test_it_rejects_animations_and_multi_picture_files(image_format: str) -> None:
    error = rejection(animated(image_format), "funny.png")

    assert error.code == "animated"
    assert "is an animation or contains several pictures" in error.message


# --- polyglots ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(encode(picture(), "PNG") + b"<html><script>alert(1)</script>", id="png+html"),
        pytest.param(encode(picture(), "PNG") + zip_archive(), id="png+zip"),
        pytest.param(encode(picture(), "PNG") + b"\x00", id="png+one-byte"),
        pytest.param(encode(picture(), "WEBP") + b"junk", id="webp+junk"),
        pytest.param(encode(picture(), "JPEG") + b"<SCRIPT>alert(1)</SCRIPT>", id="jpeg+script"),
        pytest.param(encode(picture(), "JPEG", comment=b"<?php system('id'); ?>"), id="jpeg-php"),
        pytest.param(encode(picture(), "HEIF") + b"<iframe src=x>", id="heic+iframe"),
        pytest.param(png_with_comment("<svg onload=alert(1)>"), id="png-comment-svg"),
    ],
)
def test_it_rejects_pictures_carrying_hidden_extra_content(data: bytes) -> None:
    error = rejection(data, "chat.png")

    assert error.code == "hidden_content"
    assert "“chat.png” contains hidden extra content" in error.message


# --- decompression bombs -----------------------------------------------------------------


def test_it_rejects_a_tiny_png_declaring_fifty_thousand_pixels_square_quickly() -> None:
    data = png_declaring(50_000, 50_000)
    assert len(data) < 100

    started = time.perf_counter()
    error = rejection(data, "bomb.png", max_pixels=10**12)

    assert time.perf_counter() - started < 1.0
    assert error.code == "too_many_pixels"
    assert "“bomb.png” is too large in width and height" in error.message


def test_it_applies_its_own_pixel_limit_before_decoding() -> None:
    # The pixel data is for one pixel, so decoding would fail as "damaged" instead.
    error = rejection(png_declaring(5_000, 5_000), "big.png", max_pixels=1_000_000)

    assert error.code == "too_many_pixels"


def test_it_accepts_a_picture_exactly_at_the_pixel_limit() -> None:
    assert check(encode(picture((100, 50)), "PNG"), max_pixels=5_000).width == 100
    assert rejection(encode(picture((100, 50)), "PNG"), max_pixels=4_999).code == (
        "too_many_pixels"
    )


def test_it_turns_pillows_decompression_bomb_warning_into_a_rejection() -> None:
    # Over Image.MAX_IMAGE_PIXELS but under twice it: Pillow only warns by default.
    side = int((Image.MAX_IMAGE_PIXELS * 1.5) ** 0.5)

    error = rejection(png_declaring(side, side), "bomb.png", max_pixels=10**12)

    assert error.code == "too_many_pixels"


def test_it_leaves_pillows_global_settings_alone() -> None:
    limit = Image.MAX_IMAGE_PIXELS

    rejection(png_declaring(50_000, 50_000))
    check(encode(picture(), "PNG"))

    assert limit == Image.MAX_IMAGE_PIXELS
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def test_it_refuses_to_run_if_truncated_images_are_allowed_globally(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)

    with pytest.raises(RuntimeError, match="LOAD_TRUNCATED_IMAGES"):
        check(encode(picture(), "PNG"))


# --- damaged files -----------------------------------------------------------------------


def half_of(data: bytes) -> bytes:
    return data[: len(data) // 2]


@pytest.mark.parametrize(
    ("data", "code", "phrase"),
    [
        pytest.param(
            half_of(encode(picture((400, 300)), "JPEG")),
            "damaged",
            "looks damaged",
            id="half-a-jpeg",
        ),
        pytest.param(
            half_of(encode(picture((400, 300)), "PNG")), "damaged", "looks damaged", id="half-a-png"
        ),
        pytest.param(
            encode(picture(), "PNG")[:-12], "damaged", "looks damaged", id="png-without-iend"
        ),
        pytest.param(
            half_of(encode(picture((400, 300)), "HEIF")),
            "damaged",
            "looks damaged",
            id="half-a-heic",
        ),
        # Pillow's WebP reader gives up while opening, so this one is "not a picture".
        pytest.param(
            half_of(encode(picture((400, 300)), "WEBP")),
            "not_a_picture",
            "is not a picture",
            id="half-a-webp",
        ),
    ],
)
def test_it_rejects_truncated_pictures(data: bytes, code: str, phrase: str) -> None:
    error = rejection(data, "chat.jpg")

    assert error.code == code
    assert f"“chat.jpg” {phrase}" in error.message


@pytest.mark.parametrize(
    "exception",
    [
        OSError("broken"),
        ValueError("broken"),
        SyntaxError("broken"),
        struct.error("broken"),
        EOFError(),
        MemoryError(),
        KeyError("x"),
        IndexError(),
        ZeroDivisionError(),
        RecursionError(),
        RuntimeError("libheif: broken"),
    ],
    ids=lambda exception: type(exception).__name__,
)
@pytest.mark.parametrize("stage", ["open", "load"])
def test_it_turns_any_decoder_exception_into_a_rejection(
    monkeypatch: pytest.MonkeyPatch, exception: Exception, stage: str
) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise exception

    target = Image if stage == "open" else ImageFile.ImageFile
    monkeypatch.setattr(target, stage, explode)

    error = rejection(encode(picture(), "PNG"), "chat.png")

    assert error.code == ("not_a_picture" if stage == "open" else "damaged")
    assert error.__cause__ is exception


def test_it_reports_a_bomb_found_while_decoding_as_too_large(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise Image.DecompressionBombError("too big")

    monkeypatch.setattr(ImageFile.ImageFile, "load", explode)

    assert rejection(encode(picture(), "PNG")).code == "too_many_pixels"
