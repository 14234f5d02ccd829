"""Finding names and contact details in free text and replacing them, keeping a log of
what was replaced where (never the value itself).

Used twice: to redact reporters and other people from a subject access pack, and to erase
a person's own names from the records about them. Pure: no Django.

Two ways of finding things:
- needles: values known from the register and the reports (names, e-mail addresses,
  numbers), found however they are spaced or capitalised;
- for a pack only (`contacts=`), any other phone number or e-mail address typed in free
  text, which is someone's contact detail even if we never learnt whose. Phone numbers
  are found by Google's libphonenumber (`phonenumbers`), read as UK numbers unless they
  carry a country code, at `Leniency.POSSIBLE`: a number typed oddly, with a wrong digit,
  or from a range not yet in use (Ofcom's drama numbers, 07700 900xxx) is still a number
  someone may be reached on, or that someone typed as theirs. POSSIBLE alone also finds
  dates and codes (2025-03-03, LETTER-00012), so a match must be a valid number or carry
  at least ten digits (every UK number has ten after the leading 0). Erring this way
  over-redacts an occasional long reference number, which the Head Teacher sees listed
  in the appendix; the other way would hand out a stranger's number.
"""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import phonenumbers

REPORTER = "[redacted: reporter]"
THIRD_PARTY = "[redacted: third party]"
ERASED = "[erased]"

# Shorter values ("Jo", "Al") would match inside too much ordinary text to be useful.
MIN_LENGTH = 3
MIN_PHONE_DIGITS = 7
_SEPARATORS = r"[\s\-().]*"

PHONE_REGION = "GB"  # How a number without a country code is read.
# A number POSSIBLE finds must be valid, or be at least this long (see the docstring).
MIN_UNVALIDATED_DIGITS = 10
# An e-mail address: a local part of the characters RFC 5322 allows unquoted, an @, and a
# domain of labels (letters, digits, inner hyphens) ending in a top-level domain of
# letters; not inside a longer word or address.
EMAIL = re.compile(
    r"(?<![\w.!#$%&'*+/=?^`{|}~-])"
    r"[\w!#$%&'*+/=?^`{|}~-]+(?:\.[\w!#$%&'*+/=?^`{|}~-]+)*"
    r"@(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+[^\W\d_]{2,63}"
    r"(?![\w-])"
)
FOUND_PHONE = "a phone number (not on the register)"
FOUND_EMAIL = "an e-mail address (not on the register)"


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


def phone_numbers(text: str) -> Iterator[phonenumbers.PhoneNumberMatch]:
    """Every phone number in the text (see the module's docstring for which count)."""
    matcher = phonenumbers.PhoneNumberMatcher(
        text, PHONE_REGION, leniency=phonenumbers.Leniency.POSSIBLE
    )
    for match in matcher:
        digits = sum(character.isdigit() for character in match.raw_string)
        if digits >= MIN_UNVALIDATED_DIGITS or phonenumbers.is_valid_number(match.number):
            yield match


def phone_key(number: phonenumbers.PhoneNumber) -> str:
    """One spelling per number, however it was typed: +44 7400 123456 is 07400123456."""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def contacts_in(values: Iterable[str]) -> set[str]:
    """The phone numbers (as phone_key) and e-mail addresses (lower case) in these values."""
    found = set()
    for value in values:
        found |= {phone_key(match.number) for match in phone_numbers(value)}
        found |= {address.lower() for address in EMAIL.findall(value)}
    return found


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
    """Replaces every needle in the text it is given, longest first, and logs each one.
    With `contacts` (a replacement such as THIRD_PARTY), it then replaces every other
    e-mail address and phone number too, except those in `keep`."""

    def __init__(
        self, needles: Iterable[Needle], keep: Iterable[str] = (), contacts: str | None = None
    ):
        # `keep`: values never to replace (the subject's own names in their own pack).
        keep = list(keep)
        skip = {value.strip().lower() for value in keep}
        self._contacts = contacts
        self._own_contacts = contacts_in(keep) if contacts else set()
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
        if self._contacts:
            # E-mail addresses first: one may hold digits that look like a phone number.
            text = self._replace_emails(text, where)
            text = self._replace_phones(text, where)
        return text

    def _replace_emails(self, text: str, where: str) -> str:
        found = [
            (m.start(), m.end())
            for m in EMAIL.finditer(text)
            if m.group().lower() not in self._own_contacts
        ]
        self._log_found(where, FOUND_EMAIL, len(found))
        return self._splice(text, found)

    def _replace_phones(self, text: str, where: str) -> str:
        found = [
            (m.start, m.end)
            for m in phone_numbers(text)
            if phone_key(m.number) not in self._own_contacts
        ]
        self._log_found(where, FOUND_PHONE, len(found))
        return self._splice(text, found)

    def _splice(self, text: str, spans: list[tuple[int, int]]) -> str:
        for start, end in reversed(spans):  # From the end, so earlier offsets stay right.
            text = text[:start] + self._contacts + text[end:]
        return text

    def _log_found(self, where: str, what: str, count: int) -> None:
        if count:
            self.log.append(Redaction(where, what, self._contacts, count))

    def field(self, value: str, where: str, what: str, replacement: str) -> str:
        """Replace a whole field (a reporter's name, say), logging it if it held anything."""
        if not value:
            return value
        self.log.append(Redaction(where, what, replacement))
        return replacement
