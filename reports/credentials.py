"""A report's reference and follow-up passphrase.

The reference (like BP-7KQ2-M4XD) names the report; the passphrase proves the reader is the
person who made it. Both come from `secrets`. Only a slow salted hash of the passphrase
is kept, so not even a copy of the database gives a way into a parent's follow-up page.
"""

import secrets
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher, check_password

# No 0/O or 1/I: a parent copies the reference by hand.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
PASSPHRASE_WORDS = 5  # 5 words from 7,772 = 64.6 bits.
WORD_LIST = Path(__file__).with_name("passphrase_words.txt")  # EFF long list, CC BY 3.0 US


@cache
def _words() -> tuple[str, ...]:
    return tuple(WORD_LIST.read_text().split())


def new_reference() -> str:
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"BP-{chars[:4]}-{chars[4:]}"


def normalise_reference(text: str) -> str:
    """Accept what a parent might type: lower case, spaces, missing dashes."""
    chars = "".join(c for c in text.upper() if c.isalnum()).removeprefix("BP")
    return f"BP-{chars[:4]}-{chars[4:8]}" if len(chars) == 8 else ""


def new_passphrase() -> str:
    words = _words()
    return " ".join(secrets.choice(words) for _ in range(PASSPHRASE_WORDS))


def normalise_passphrase(text: str) -> str:
    return " ".join(text.lower().replace("-", " ").split())


# PBKDF2 as for staff passwords, with fewer rounds: a passphrase is 64.6 random bits, not
# something a person chose, so each guess at a stolen hash already costs ~2^63 tries; the
# rounds only have to make each try dear (settings.PASSPHRASE_HASH_ITERATIONS).
_HASHER = PBKDF2PasswordHasher()


def hash_passphrase(passphrase: str) -> str:
    return _HASHER.encode(
        normalise_passphrase(passphrase),
        _HASHER.salt(),
        iterations=settings.PASSPHRASE_HASH_ITERATIONS,
    )


def passphrase_matches(passphrase: str, encoded: str | None) -> bool:
    """Check a passphrase; with no hash, still spend the same time, so a wrong reference
    and a wrong passphrase look alike from outside."""
    if encoded is None:
        hash_passphrase(passphrase)
        return False
    candidate = normalise_passphrase(passphrase)
    if encoded.startswith(f"{_HASHER.algorithm}$"):  # Any round count, older ones too.
        return _HASHER.verify(candidate, encoded)
    return check_password(candidate, encoded)  # A hash made with another of Django's.
