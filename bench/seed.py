"""What every bench run needs before it starts: staff accounts that can sign in over HTTP
(password and TOTP secret known), real pictures to upload, and the TOTP arithmetic."""

import base64
import hashlib
import hmac
import io
import os
import random
import secrets
import struct
import time
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw

# The follow-up passphrase of every bench report (synthetic data only).
BENCH_PASSPHRASE = "bench apple river candle orbit"  # noqa: S105
PHONE_SCREEN = (1170, 2532)  # An iPhone 13/14 screenshot, in pixels.


@dataclass(frozen=True)
class StaffAccount:
    username: str
    password: str
    secret: str  # base32, as an authenticator app is given it
    role: str


def staff_accounts(extra_slt: int = 4, extra_head: int = 0, office: int = 1) -> list[StaffAccount]:
    """One account per role, plus more SLT leads and Head Teachers; returns their
    credentials. Uses the portal's own enrolment, so the TOTP device is a real one."""
    from brunswick.access.services import staff_enrol
    from brunswick.accounts.models import Role

    wanted = [("slt", Role.SLT), ("head", Role.HEAD_TEACHER), ("admin", Role.ADMIN)]
    wanted += [(f"office{n}" if n else "office", Role.OFFICE) for n in range(office)]
    wanted += [(f"slt{n}", Role.SLT) for n in range(2, extra_slt + 2)]
    wanted += [(f"head{n}", Role.HEAD_TEACHER) for n in range(2, extra_head + 2)]
    accounts = []
    for username, role in wanted:
        password = f"bench-{secrets.token_urlsafe(12)}"
        _, secret = staff_enrol(
            username=username, role=role, password=password, email=f"{username}@example.org"
        )
        accounts.append(StaffAccount(username, password, secret, role.value))
    return accounts


def totp_code(secret: str, at: float | None = None) -> str:
    """RFC 6238 with django-otp's defaults (SHA-1, 30 s steps, 6 digits)."""
    counter = int((time.time() if at is None else at) // 30)
    key = base64.b32decode(secret)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def small_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (236, 229, 221)).save(buffer, "PNG")
    return buffer.getvalue()


def small_jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (236, 229, 221)).save(buffer, "JPEG")
    return buffer.getvalue()


def large_screenshot(directory: Path) -> Path:
    """A ~3 MB PNG the size of a phone screenshot: chat bubbles with lines of "text",
    and a photo someone shared (noise, which PNG cannot compress). Made once, then kept."""
    path = directory / "screenshot-3mb.png"
    if path.exists():
        return path
    directory.mkdir(parents=True, exist_ok=True)
    width, height = PHONE_SCREEN
    image = Image.new("RGB", PHONE_SCREEN, (236, 229, 221))
    _draw_bubbles(ImageDraw.Draw(image), width, height, random.Random(7))  # noqa: S311
    photo_height = 820
    photo = Image.frombytes("RGB", (width, photo_height), os.urandom(width * photo_height * 3))
    image.paste(photo, (0, 900))
    image.save(path, "PNG")
    return path


def _draw_bubbles(draw: ImageDraw.ImageDraw, width: int, height: int, rnd: random.Random):
    y = 40
    while y < height - 300:
        bubble_width, bubble_height = rnd.randint(300, 900), rnd.randint(80, 260)
        left = rnd.random() < 0.5
        x = 40 if left else width - 40 - bubble_width
        colour = (255, 255, 255) if left else (220, 248, 198)
        draw.rounded_rectangle([x, y, x + bubble_width, y + bubble_height], 24, fill=colour)
        for line_y in range(y + 20, y + bubble_height - 20, 34):
            line_end = x + 20 + rnd.randint(100, bubble_width - 40)
            draw.rectangle([x + 20, line_y, line_end, line_y + 18], fill=(40, 40, 40))
        y += bubble_height + 30


def report_form_fields(group_id: int, reporter_name: str) -> dict:
    """What a parent types on the report form, for the bench and the load test alike."""
    return {
        "group": str(group_id),
        "categories": ["abusive_comments", "anger"],
        "occurred_on_0": "3",
        "occurred_on_1": "11",
        "occurred_on_2": "2026",
        "occurred_at_time": "19:45",
        "posted_by": "Dad of Sam",
        "description": "He called the class teacher useless and swore at another mum.",
        "reporter_name": reporter_name,
        "reporter_relationship": "parent",
        "reporter_email": "parent@example.org",
        "confirm_confidentiality": "on",
    }
