"""What one parent's browser is in the middle of: an unsent form, and a report just sent.

Both are kept in the session, sealed with a key that only the browser holds (the
`report_key` cookie, HttpOnly, never in a page). The session table, its backups and
anyone who reads them see neither what the parent typed nor the passphrase: a session row
is only readable with the cookie of the browser it belongs to, and that cookie lasts as
long as what it opens (settings.REPORT_DRAFT_SECONDS, REPORT_SENT_REMEMBERED_SECONDS).

- A draft is the form as it was when the parent pressed "Add these screenshots" or
  "Remove": the page redirects to it, so Back and reload never resend a form.
- The receipt is the report just sent: its reference, and its passphrase until the
  confirmation page has shown it once. For REPORT_SENT_REMEMBERED_SECONDS the form says
  "you already sent report BP-..." instead of offering a blank form to send again.

The seal is SHAKE-256 as a stream cipher with a fresh 16-byte nonce per seal, and an
HMAC-SHA-256 over nonce and ciphertext, all from the standard library.
"""

import base64
import hashlib
import hmac
import json
import secrets
import time
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict

DRAFTS = "report_drafts"
RECEIPT = "report_sent"
MAX_DRAFTS = 5  # Tabs of the form open at once; older drafts are dropped.
# Never kept in a draft: the page adds them again.
NOT_KEPT = {"csrfmiddlewaretoken", "add_screenshots", "remove_screenshot", "screenshots"}


def _key(request: HttpRequest) -> bytes:
    """This browser's key: from its cookie, or a new one this response will set."""
    if not hasattr(request, "_report_key"):
        try:
            key = base64.urlsafe_b64decode(
                request.COOKIES.get(settings.REPORT_KEY_COOKIE_NAME, "").encode()
            )
        except ValueError:
            key = b""
        request._report_key = key if len(key) == 32 else secrets.token_bytes(32)
        request._report_key_new = len(key) != 32
    return request._report_key


def key_cookie_set(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Give (or renew) the browser its key. Call on every response that sealed something,
    and on the form page, so a double-clicked send finds the key already there."""
    response.set_cookie(
        settings.REPORT_KEY_COOKIE_NAME,
        base64.urlsafe_b64encode(_key(request)).decode(),
        max_age=max(settings.REPORT_DRAFT_SECONDS, settings.REPORT_SENT_REMEMBERED_SECONDS),
        path="/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


def _subkey(key: bytes, purpose: bytes) -> bytes:
    return hmac.new(key, purpose, hashlib.sha256).digest()  # One key each to hide, to sign.


def _stream(key: bytes, nonce: bytes, length: int) -> bytes:
    return hashlib.shake_256(_subkey(key, b"hide") + nonce).digest(length)


def _seal(key: bytes, value) -> str:
    plain = json.dumps(value).encode()
    nonce = secrets.token_bytes(16)
    stream = _stream(key, nonce, len(plain))
    body = nonce + bytes(a ^ b for a, b in zip(plain, stream, strict=True))
    tag = hmac.new(_subkey(key, b"sign"), body, hashlib.sha256).digest()
    return base64.b64encode(tag + body).decode()


def _unseal(key: bytes, sealed: str):
    try:
        raw = base64.b64decode(sealed.encode())
    except (ValueError, AttributeError):
        return None
    tag, body = raw[:32], raw[32:]
    expected = hmac.new(_subkey(key, b"sign"), body, hashlib.sha256).digest()
    if len(body) < 16 or not hmac.compare_digest(tag, expected):
        return None  # Another browser's seal, or the key has expired: nothing to read.
    nonce, cipher = body[:16], body[16:]
    stream = _stream(key, nonce, len(cipher))
    return json.loads(bytes(a ^ b for a, b in zip(cipher, stream, strict=True)))


def session_ensure(request: HttpRequest) -> None:
    """Give the browser a session before it sends, so both requests of a double-click
    share one: whichever response the browser follows finds the receipt."""
    if request.session.session_key is None:
        # A visitor's session lasts as long as what it can hold, not Django's 2 weeks.
        request.session.set_expiry(
            max(settings.REPORT_DRAFT_SECONDS, settings.REPORT_SENT_REMEMBERED_SECONDS)
        )
        request.session.save()


# ---------------------------------------------------------------------------------------
# Drafts


@dataclass(frozen=True)
class Draft:
    data: QueryDict
    screenshot_errors: list[str]


def draft_save(request: HttpRequest, token: uuid.UUID, data, screenshot_errors) -> None:
    kept = [(name, value) for name in data if name not in NOT_KEPT for value in data.getlist(name)]
    drafts = {k: v for k, v in request.session.get(DRAFTS, {}).items() if k != str(token)}
    newest = sorted(drafts, key=lambda k: drafts[k]["saved"])[-(MAX_DRAFTS - 1) :]
    drafts = {k: drafts[k] for k in newest}
    drafts[str(token)] = {
        "saved": time.time(),
        "page": request.path,  # A draft opens only on the page it was made on.
        "sealed": _seal(_key(request), {"data": kept, "errors": list(screenshot_errors)}),
    }
    request.session[DRAFTS] = drafts


def draft_load(request: HttpRequest, token_text: str) -> tuple[uuid.UUID, Draft] | None:
    """The draft this browser saved under `token_text`, if it is still kept."""
    try:
        token = uuid.UUID(token_text)
    except ValueError:
        return None
    entry = request.session.get(DRAFTS, {}).get(str(token))
    if not entry or entry["page"] != request.path:
        return None
    if entry["saved"] + settings.REPORT_DRAFT_SECONDS < time.time():
        return None
    opened = _unseal(_key(request), entry["sealed"])
    if opened is None:
        return None
    data = QueryDict(mutable=True)
    for name, value in opened["data"]:
        data.appendlist(name, value)
    return token, Draft(data=data, screenshot_errors=opened["errors"])


def draft_forget(request: HttpRequest, token: uuid.UUID) -> None:
    drafts = request.session.get(DRAFTS, {})
    if str(token) in drafts:
        request.session[DRAFTS] = {k: v for k, v in drafts.items() if k != str(token)}


# ---------------------------------------------------------------------------------------
# The receipt of a report just sent


@dataclass(frozen=True)
class Receipt:
    reference: str
    passphrase: str | None  # None once the confirmation page has shown it.
    sent_at: float


def receipt_remember(request: HttpRequest, *, reference: str, passphrase: str) -> None:
    value = {"reference": reference, "passphrase": passphrase, "sent_at": time.time()}
    request.session[RECEIPT] = _seal(_key(request), value)


def receipt_read(request: HttpRequest) -> Receipt | None:
    """The report this browser sent in the last REPORT_SENT_REMEMBERED_SECONDS, if any.
    An older one is forgotten here: a later visitor learns nothing about it."""
    sealed = request.session.get(RECEIPT)
    opened = _unseal(_key(request), sealed) if sealed else None
    if opened and opened["sent_at"] + settings.REPORT_SENT_REMEMBERED_SECONDS > time.time():
        return Receipt(**opened)
    if sealed:
        receipt_forget(request)
    return None


def receipt_passphrase_shown(request: HttpRequest, receipt: Receipt) -> None:
    """From now on the receipt holds the reference only."""
    value = {"reference": receipt.reference, "passphrase": None, "sent_at": receipt.sent_at}
    request.session[RECEIPT] = _seal(_key(request), value)


def receipt_forget(request: HttpRequest) -> None:
    request.session.pop(RECEIPT, None)
