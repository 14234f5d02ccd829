"""Finding names, addresses and contact details in free text and replacing them, keeping a
log of what was replaced where (never the value itself).

Used twice: to redact reporters and other people from a subject access pack, and to erase
a person's own names from the records about them. Pure: no Django.

Needles are values known from the register and the reports, each looked for in one of the
forms people write it (`Needle.form`), however it is spaced or capitalised:
- WHOLE: the value as recorded: a full name, a name used in a group, a child's name, an
  e-mail address, a phone number (its last ten digits, with or without +44 or 0);
- PART: a first, middle or last name alone ("Priya here", "Brooks said"). Only a part of
  at least MIN_LENGTH letters that is not a title and not in COMMON_WORDS: "Jo", "Al" or
  "Ng" alone, and names that are also everyday words ("Will", "Rose", "Brown", "Park"),
  would replace too much of what people wrote. Such names are still found whole, with a
  title and with an initial;
- TITLED: a title (TITLES) with the surname, with everything after the first name, or with
  the whole name ("Mrs Brooks", "Dr Ng", "Mx Avery Brooks"), whatever the surname's length;
- INITIALLED: the first name with the surname's initial, or the first initial with the
  surname ("Avery B.", "A. Brooks");
- ADDRESS: a line of a postal address, each part of it between commas, and each without
  its house number and postcode ("12 Acacia Avenue", "Acacia Avenue"). A part of one word
  alone (a town, "London") is not looked for: thousands share it, and it is everywhere;
- POSTCODE: a UK postcode from an address, in any case and spacing ("SE5 9ZZ", "se59zz").
The longest form is replaced first, so "Mrs Avery Brooks" becomes one marker, never
"Mrs [redacted]" or "[redacted] Brooks".

Values kept (`keep`: in a pack, the requester's own names, address and contacts, and the
school's) are never looked for, and a match lying inside one of them in the text is left
alone: another parent called Brooks does not cut a word out of "12 Brooks Road", the
requester's own address. Nor is anything inside a marker already put in replaced again.

For a pack only (`contacts=`), any other phone number, e-mail address or postcode typed in
free text is replaced too: it is someone's contact detail or address even if we never
learnt whose. Phone numbers are found by Google's libphonenumber (`phonenumbers`), read
as UK numbers unless they carry a country code, at `Leniency.POSSIBLE`: a number typed
oddly, with a wrong digit, or from a range not yet in use (Ofcom's drama numbers, 07700
900xxx) is still a number someone may be reached on, or that someone typed as theirs.
POSSIBLE alone also finds dates and codes (2025-03-03, LETTER-00012), so a match must be
a valid number or carry at least ten digits (every UK number has ten after the leading 0).
Erring this way over-redacts an occasional long reference number, which the Head Teacher
sees listed in the appendix; the other way would hand out a stranger's number. Postcodes
not on the register are found only in capitals, as they are printed ("SE5 9ZZ"): written
in lower case the pattern also fits chat ("b4 5pm" fails only on the M).
"""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import phonenumbers

REPORTER = "[redacted: reporter]"
THIRD_PARTY = "[redacted: third party]"
ERASED = "[erased]"

# How a needle is written in text (see the module's docstring).
WHOLE, PART, TITLED, INITIALLED, ADDRESS, POSTCODE = (
    "whole",
    "part",
    "titled",
    "initialled",
    "address",
    "postcode",
)

# Shorter values ("Jo", "Al") would match inside too much ordinary text to be useful.
MIN_LENGTH = 3
MIN_PHONE_DIGITS = 7
_SEPARATORS = r"[\s\-().]*"

TITLES = ("Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Mister", "Prof", "Rev")
# Words in a name that are not the person's names: titles and suffixes ("Dr. Sam Lee MD").
_NOT_NAMES = {title.lower() for title in TITLES} | {"jr", "sr", "ii", "iii", "iv", "md", "phd"}
# Names that are also everyday words, never looked for on their own: first names and
# surnames that are English words (those on both Faker's lists of names and of words, and
# more chosen by hand), the words of school life, and a few short common words. A small
# list on purpose: a name not on it is found alone; add to it when a name that is also a
# word is found to wreck a pack's text.
_COMMON_WORDS = """
    all amber and angel any april are art autumn baker ball bank banks bay bell best
    bill bird black bob brook brown but can case chase church class cliff close cook
    court cross crystal daisy dale dawn day dean don drew duke earl east faith field
    fields fish ford fox frank frost gay gene glass glen golden good grace grant
    gray green grey group guy hall hay hazel head heather her hill him his holly
    honey hope house hunt hunter iris ivy jack jade joy june key king lake lamb
    lance lane lily little long lord love lucky major march mark marsh mason may
    miles mill mills moss new nick north not nursery one our page parent park party
    pat patience pearl poppy price primary rain ray reception reed reporter rich
    river rob rose ruby rush school short sky small snow south spring star stone
    storm strong sue summer sunny teacher the third violet wall ward waters wells
    west white will willow wood woods year you young
"""
COMMON_WORDS = frozenset(_COMMON_WORDS.split())

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
# A UK postcode (the Royal Mail's shapes, and the letters each place allows): an outward
# code (SE5, W1A, EC1A), an optional space, an inward code (9ZZ).
_OUTWARD = r"[A-PR-UWYZ](?:[0-9][0-9A-HJKPSTUW]?|[A-HK-Y][0-9][0-9ABEHMNPRVWXY]?)"
_INWARD = r"[0-9][ABD-HJLNP-UW-Z]{2}"
_POSTCODE = rf"(?<![A-Za-z0-9]){_OUTWARD}\s*{_INWARD}(?![A-Za-z0-9])"
POSTCODE_IN_TEXT = re.compile(_POSTCODE)  # Capitals only (see the docstring).
POSTCODE_ON_REGISTER = re.compile(_POSTCODE, re.IGNORECASE)
# A house number, and anything before it ("Flat 3, 12 "), in front of a street's name.
_HOUSE_NUMBER = re.compile(r"^(?:.*\s)?\d+[A-Za-z]?,?\s+(?=\D)")

FOUND_PHONE = "a phone number (not on the register)"
FOUND_EMAIL = "an e-mail address (not on the register)"
FOUND_POSTCODE = "a postcode (not on the register)"


@dataclass(frozen=True)
class Needle:
    """One value to find, in one form. `what` describes it without giving it ("a
    reporter's name")."""

    value: str
    what: str
    replacement: str
    form: str = WHOLE


@dataclass(frozen=True)
class Redaction:
    """One replacement made: where, what kind of data, by what marker, how many times."""

    where: str
    what: str
    replacement: str
    count: int = 1


# --- Forms of a value ------------------------------------------------------------------


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


def _words(value: str) -> str:
    return r"\s+".join(re.escape(word) for word in value.split())


def _initialled_pattern(value: str) -> re.Pattern:
    """ "Avery B" also as "Avery B." and "avery b"; "A Brooks" also as "A. Brooks"."""
    first, last = value.split()
    after_first = r"(?:\.\s*|\s+)" if len(first) == 1 else r"\s+"
    end = r"(?:\.|(?!\w))" if len(last) == 1 else r"(?!\w)"
    return re.compile(
        rf"(?<!\w){re.escape(first)}{after_first}{re.escape(last)}{end}", re.IGNORECASE
    )


def _postcode_pattern(value: str) -> re.Pattern:
    code = postcode_key(value)
    outward, inward = re.escape(code[:-3]), re.escape(code[-3:])
    return re.compile(rf"(?<![A-Za-z0-9]){outward}\s*{inward}(?![A-Za-z0-9])", re.IGNORECASE)


def is_findable_part(part: str) -> bool:
    """Whether a first name or surname may be looked for on its own (see COMMON_WORDS)."""
    letters = sum(character.isalpha() for character in part)
    return letters >= MIN_LENGTH and part.lower() not in COMMON_WORDS | _NOT_NAMES


def pattern_for(value: str, form: str = WHOLE) -> re.Pattern | None:
    """A pattern finding `value`, written in `form`, as whole words in any case and
    spacing; None when the value is too short or too common to look for safely."""
    value = value.strip()
    if form == POSTCODE:
        return _postcode_pattern(value) if POSTCODE_ON_REGISTER.fullmatch(value) else None
    if form == TITLED:
        titles = "|".join(TITLES)
        return re.compile(rf"(?<!\w)(?:{titles})\.?\s+{_words(value)}(?!\w)", re.IGNORECASE)
    if form == INITIALLED:
        return _initialled_pattern(value) if len(value.split()) == 2 else None
    if form == PART and not is_findable_part(value):
        return None
    if _looks_like_phone(value):
        return _phone_pattern(value)
    if len(value) < MIN_LENGTH:
        return None
    # A value ending in an initial takes its full stop with it ("Casey M." in a group).
    end = r"(?:\.|(?!\w))" if len(value.split()[-1]) == 1 else r"(?!\w)"
    return re.compile(rf"(?<!\w){_words(value)}{end}", re.IGNORECASE)


def _hint(needle: Needle) -> str | None:
    """A piece of text, in lower case, that every match of the needle holds (its longest
    word): a text without it is not searched. None for a phone number (any spacing)."""
    if needle.form == POSTCODE:
        return postcode_key(needle.value)[-3:].lower()
    if _looks_like_phone(needle.value.strip()):
        return None
    return max(re.findall(r"\w+", needle.value.lower()), key=len, default=None)


def _reach(needle: Needle) -> int:
    """How much text the needle covers at least: the longest are replaced first."""
    title = len("Mr ") if needle.form == TITLED else 0
    return len(needle.value.strip()) + title


# --- Contact details and postcodes typed anywhere --------------------------------------


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


def postcode_key(code: str) -> str:
    """One spelling per postcode: "se5 9zz" is SE59ZZ."""
    return re.sub(r"\s", "", code).upper()


def contacts_in(values: Iterable[str]) -> set[str]:
    """The phone numbers (as phone_key), e-mail addresses (lower case) and postcodes (as
    postcode_key) in these values."""
    found = set()
    for value in values:
        found |= {phone_key(match.number) for match in phone_numbers(value)}
        found |= {address.lower() for address in EMAIL.findall(value)}
        found |= {postcode_key(m.group()) for m in POSTCODE_ON_REGISTER.finditer(value)}
    return found


# --- The needles of a register entry ---------------------------------------------------


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def child_names(pupils: str) -> list[str]:
    """The names in a register's "children and classes" lines ("Sam Patel, Year 3")."""
    return [re.split(r"[,(]", line)[0].strip() for line in lines(pupils)]


def name_words(name: str) -> list[str]:
    """A name's own words, without titles or suffixes: "Mrs Mary-Jane O'Neil" gives
    ["Mary-Jane", "O'Neil"]."""
    words = [word.strip('.,;:()"') for word in name.split()]
    return [word for word in words if word and word.lower() not in _NOT_NAMES]


def name_forms(name: str, what: str, replacement: str, titles: bool = True) -> list[Needle]:
    """The ways a name is written besides in full (see the module's docstring), each
    described as `what` and how it was written. Children get no titles."""
    words = name_words(name)
    if not words:
        return []
    first, last = words[0], words[-1]
    found = []
    if titles:
        titled = dict.fromkeys([" ".join(words), " ".join(words[1:]) or last, last])
        found += [Needle(value, f"{what}, with a title", replacement, TITLED) for value in titled]
    if len(words) > 1:
        initialled = dict.fromkeys([f"{first} {last[0]}", f"{first[0]} {last}"])
        found += [
            Needle(value, f"{what}, with an initial", replacement, INITIALLED)
            for value in initialled
        ]
    parts = dict.fromkeys(part for word in words for part in [word, *word.split("-")] if part)
    return found + [
        Needle(part, f"{what}: a first name or surname alone", replacement, PART) for part in parts
    ]


def address_needles(address: str, what: str, replacement: str) -> list[Needle]:
    """Each line of a postal address, each part of a line between commas, each also without
    its postcode and house number (when what is left has two words or more), and the
    postcodes."""
    found = []
    for line in lines(address):
        for part in dict.fromkeys([line, *(part.strip() for part in line.split(","))]):
            found += [
                Needle(code.group(), f"{what}'s postcode", replacement, POSTCODE)
                for code in POSTCODE_ON_REGISTER.finditer(part)
            ]
            street = POSTCODE_ON_REGISTER.sub("", part).strip(" ,")
            for value in dict.fromkeys([part, street, _HOUSE_NUMBER.sub("", street)]):
                if len(value.split()) >= 2:
                    found.append(Needle(value, f"{what}'s postal address", replacement, ADDRESS))
    return found


def person_needles(person, what: str, replacement: str) -> list[Needle]:
    """Everything on a register entry that names, places or reaches the person (or their
    children), in every form: the values as recorded first, so that where a value is also
    one of its other forms ("Casey M", a group name and a name with an initial) it is
    described as recorded. `person` is anything with the register's fields (a Person or
    one of its history rows)."""
    children = child_names(person.pupils)
    values = [
        (person.full_name, f"{what}'s name"),
        (person.email, f"{what}'s e-mail address"),
        *((name, f"{what}'s name in a group") for name in lines(person.group_names)),
        *((name, f"the name of {what}'s child") for name in children),
    ]
    return [
        *(Needle(value, kind, replacement) for value, kind in values if value.strip()),
        *name_forms(person.full_name, f"{what}'s name", replacement),
        *(
            needle
            for child in children
            for needle in name_forms(child, f"the name of {what}'s child", replacement, False)
        ),
        *address_needles(person.postal_address, what, replacement),
    ]


# --- Replacing -------------------------------------------------------------------------


class Redactor:
    """Replaces every needle in the text it is given, longest first, and logs each one.
    With `contacts` (a replacement such as THIRD_PARTY), it then replaces every other
    e-mail address, phone number and postcode too, except those in `keep`."""

    def __init__(
        self, needles: Iterable[Needle], keep: Iterable[str] = (), contacts: str | None = None
    ):
        # `keep`: values never to replace (the subject's own names in their own pack).
        keep = [value for value in keep if value and value.strip()]
        skip = {value.strip().lower() for value in keep}
        self._contacts = contacts
        self._own_contacts = contacts_in(keep) if contacts else set()
        self._patterns: list[tuple[Needle, re.Pattern, str | None]] = []
        seen = set()
        needles = list(needles)
        for needle in sorted(needles, key=_reach, reverse=True):
            pattern = pattern_for(needle.value, needle.form)
            if needle.value.strip().lower() in skip or pattern is None:
                continue
            if pattern.pattern in seen:  # The first description wins (reporters come first).
                continue
            seen.add(pattern.pattern)
            self._patterns.append((needle, pattern, _hint(needle)))
        markers = {needle.replacement for needle in needles} | {contacts or ""}
        self._left_alone = [pattern_for(value) for value in keep] + [
            re.compile(re.escape(marker)) for marker in markers if marker
        ]
        self.log: list[Redaction] = []

    def __bool__(self) -> bool:
        return bool(self._patterns)

    def matches(self, text: str) -> bool:
        return any(pattern.search(text) for _, pattern, _ in self._patterns)

    def text(self, text: str, where: str) -> str:
        # A search for each of hundreds of needles in every text is slow; most texts hold
        # none of a needle's words, which a substring test finds out at once.
        lowered = text.lower()
        for needle, pattern, hint in self._patterns:
            if (hint is None or hint in lowered) and pattern.search(text):
                text, count = self._replace(text, pattern, needle.replacement)
                if count:
                    self.log.append(Redaction(where, needle.what, needle.replacement, count))
        if self._contacts:
            # E-mail addresses first: one may hold digits that look like a phone number.
            text = self._replace_found(text, where, FOUND_EMAIL, self._emails(text))
            text = self._replace_found(text, where, FOUND_PHONE, self._phones(text))
            text = self._replace_found(text, where, FOUND_POSTCODE, self._postcodes(text))
        return text

    def _replace(self, text: str, pattern: re.Pattern, replacement: str) -> tuple[str, int]:
        """Replace each match, except one lying inside a value kept or a marker."""
        kept = [m.span() for p in self._left_alone if p for m in p.finditer(text)]
        spans = [
            m.span()
            for m in pattern.finditer(text)
            if not any(start <= m.start() and m.end() <= end for start, end in kept)
        ]
        return _splice(text, spans, replacement), len(spans)

    def _emails(self, text: str) -> list[tuple[int, int]]:
        return [
            m.span() for m in EMAIL.finditer(text) if m.group().lower() not in self._own_contacts
        ]

    def _phones(self, text: str) -> list[tuple[int, int]]:
        return [
            (m.start, m.end)
            for m in phone_numbers(text)
            if phone_key(m.number) not in self._own_contacts
        ]

    def _postcodes(self, text: str) -> list[tuple[int, int]]:
        return [
            m.span()
            for m in POSTCODE_IN_TEXT.finditer(text)
            if postcode_key(m.group()) not in self._own_contacts
        ]

    def _replace_found(self, text: str, where: str, what: str, spans) -> str:
        if spans:
            self.log.append(Redaction(where, what, self._contacts, len(spans)))
        return _splice(text, spans, self._contacts)

    def field(self, value: str, where: str, what: str, replacement: str) -> str:
        """Replace a whole field (a reporter's name, say), logging it if it held anything."""
        if not value:
            return value
        self.log.append(Redaction(where, what, replacement))
        return replacement


def _splice(text: str, spans: list[tuple[int, int]], replacement: str) -> str:
    for start, end in reversed(spans):  # From the end, so earlier offsets stay right.
        text = text[:start] + replacement + text[end:]
    return text
