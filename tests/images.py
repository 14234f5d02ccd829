"""Real image bytes for tests, made with Pillow."""

import io

from PIL import Image, PngImagePlugin


def png_bytes(width: int = 40, height: int = 30, colour=(200, 30, 30)) -> bytes:
    """A PNG carrying a text chunk, as phones and screenshot tools add."""
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "taken at 51.47N 0.09W")
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


def jpeg_bytes(width: int = 40, height: int = 30) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (20, 120, 200)).save(buffer, "JPEG")
    return buffer.getvalue()
