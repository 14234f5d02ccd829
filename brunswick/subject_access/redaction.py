"""Finding names and contact details in free text and replacing them, keeping a log of
what was replaced where (never the value itself).

Used twice: to redact reporters and other people from a subject access pack, and to erase
a person's own names from the records about them. Pure: no Django.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

REPORTER = "[redacted: reporter]"
THIRD_PARTY = "[redacted: third party]"
ERASED = "[erased]"

# Shorter values ("Jo", "Al") would match inside too much ordinary text to be useful.
MIN_LENGTH = 3
MIN_PHONE_DIGITS = 7
_SEPARATORS = r"[\s\-().]*"


@dataclass(frozen=True)
class Needle:
    """One value to find. `what` describes it without giving it ("a reporter's name")."""

    value: str
    what: str
    replacement: str


@dataclass(frozen=True)
class Redaction:
    """One replacement made: where, what kind of data, by what marker, how many times."""

    where: str
    what: str
    replacement: str
    count: int = 1


def _looks_like_phone(value: str) -> bool:
    return bool(re.fullmatch(r"[\d\s\-+().]+", value)) and (
        len(re.sub(r"\D", "", value)) >= MIN_PHONE_DIGITS
    )


def _phone_pattern(value: str) -> re.Pattern:
    # The same number is typed differently in different places (+44 7700 900123 in a
    # group, 07700900123 in a description): match its last ten digits with any spacing,
    # and swallow an international or trunk prefix so no part of the number is left.
    core = _SEPARATORS.join(re.sub(r"\D", "", value)[-10:])
    prefix = rf"(?:\+?\d{{1,3}}{_SEPARATORS}(?:\(0\){_SEPARATORS})?|0{_SEPARATORS})?"
    return re.compile(rf"(?<![\d+]){prefix}{core}(?!\d)")


def pattern_for(value: str) -> re.Pattern | None:
    """A pattern finding `value` as whole words, in any case and spacing; None when the
    value is too short to look for safely."""
    value = value.strip()
    if _looks_like_phone(value):
        return _phone_pattern(value)
    if len(value) < MIN_LENGTH:
        return None
    words = r"\s+".join(re.escape(word) for word in value.split())
    return re.compile(rf"(?<!\w){words}(?!\w)", re.IGNORECASE)


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def child_names(pupils: str) -> list[str]:
    """The names in a register's "children and classes" lines ("Sam Patel, Year 3")."""
    return [re.split(r"[,(]", line)[0].strip() for line in lines(pupils)]


def person_needles(person, what: str, replacement: str) -> list[Needle]:
    """Everything on a register entry that names or reaches the person (or their children).
    `person` is anything with the register's fields (a Person or one of its history rows)."""
    values = [
        (person.full_name, f"{what}'s name"),
        (person.email, f"{what}'s e-mail address"),
        *((name, f"{what}'s name in a group") for name in lines(person.group_names)),
        *((name, f"the name of {what}'s child") for name in child_names(person.pupils)),
    ]
    return [Needle(value, kind, replacement) for value, kind in values if value.strip()]


class Redactor:
    """Replaces every needle in the text it is given, longest first, and logs each one."""

    def __init__(self, needles: Iterable[Needle], keep: Iterable[str] = ()):
        # `keep`: values never to replace (the subject's own names in their own pack).
        skip = {value.strip().lower() for value in keep}
        self._patterns: list[tuple[Needle, re.Pattern]] = []
        for needle in sorted(needles, key=lambda n: len(n.value.strip()), reverse=True):
            key = needle.value.strip().lower()
            pattern = pattern_for(needle.value)
            if key in skip or pattern is None:
                continue
            skip.add(key)  # The first description of a value wins (callers list reporters first).
            self._patterns.append((needle, pattern))
        self.log: list[Redaction] = []

    def __bool__(self) -> bool:
        return bool(self._patterns)

    def matches(self, text: str) -> bool:
        return any(pattern.search(text) for _, pattern in self._patterns)

    def text(self, text: str, where: str) -> str:
        for needle, pattern in self._patterns:
            text, count = pattern.subn(needle.replacement, text)
            if count:
                self.log.append(Redaction(where, needle.what, needle.replacement, count))
        return text

    def field(self, value: str, where: str, what: str, replacement: str) -> str:
        """Replace a whole field (a reporter's name, say), logging it if it held anything."""
        if not value:
            return value
        self.log.append(Redaction(where, what, replacement))
        return replacement
