import hashlib
import uuid

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.images import png_bytes


def report_form_data(class_group, **overrides) -> dict:
    """A complete, valid report as a parent would fill it in."""
    data = {
        "submission_key": str(uuid.uuid4()),
        "group": str(class_group.id),
        "group_other": "",
        "categories": ["abusive_comments", "anger"],
        "occurred_on_0": "3",
        "occurred_on_1": "11",
        "occurred_on_2": "2026",
        "occurred_at_time": "19:45",
        "posted_by": "Dad of Sam",
        "description": "He called Ms Smith useless and swore at another mum.",
        "reporter_name": "Priya Patel",
        "reporter_relationship": "parent",
        "reporter_email": "priya@example.org",
        "reporter_phone": "",
        "confirm_confidentiality": "on",
    }
    data.update(overrides)
    return data


def screenshot_upload(name: str = "chat.png", content: bytes | None = None) -> SimpleUploadedFile:
    """A screenshot; by default its picture differs with its name, as two screenshots do
    (the same file chosen twice is kept once)."""
    if content is None:
        content = png_bytes(colour=tuple(hashlib.sha256(name.encode()).digest()[:3]))
    return SimpleUploadedFile(name, content, "image/png")
