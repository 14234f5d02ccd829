"""The forms a name or an address is written in, as the redaction finds them (pure: no
database)."""

from types import SimpleNamespace

from brunswick.subject_access.redaction import (
    FOUND_POSTCODE,
    THIRD_PARTY,
    Needle,
    Redaction,
    Redactor,
    address_needles,
    name_forms,
    person_needles,
)

X = THIRD_PARTY


def entry(full_name: str, pupils: str = "", address: str = "", group_names: str = ""):
    """A register entry, as person_needles reads one."""
    return SimpleNamespace(
        full_name=full_name,
        pupils=pupils,
        group_names=group_names,
        postal_address=address,
        email="",
    )


def redact(text: str, *people, keep=(), contacts=None) -> str:
    needles = [n for person in people for n in person_needles(person, "another person", X)]
    return Redactor(needles, keep=keep, contacts=contacts).text(text, "here")


def test_a_title_with_the_surname_or_the_whole_name_is_one_marker_whatever_its_length():
    people = (entry("Avery Brooks"), entry("Lin Li"))
    text = "Mrs Brooks, mr. brooks, Mx Avery Brooks, Dr Li and Ms  Lin Li; Li alone is too short"
    assert redact(text, *people) == f"{X}, {X}, {X}, {X} and {X}; Li alone is too short"


def test_a_name_with_an_initial_is_found_with_or_without_the_full_stop():
    text = "Avery B. said, avery b agreed, A. Brooks and A Brooks came, Avery Bee did not"
    assert (
        redact(text, entry("Avery Brooks"))
        == f"{X} said, {X} agreed, {X} and {X} came, {X} Bee did not"
    )


def test_each_part_of_a_name_is_found_alone_hyphenated_or_not():
    text = "Mary-Jane said Mary and Jane and Smith-Jones and Jones saw O'Neil's post"
    people = (entry("Mary-Jane Smith-Jones"), entry("Kit O'Neil"))
    assert redact(text, *people) == f"{X} said {X} and {X} and {X} and {X} saw {X}'s post"


def test_names_that_are_everyday_words_or_very_short_are_not_found_alone():
    people = (entry("Will Green", pupils="Rose Green, Year 1"), entry("Jo Ng"))
    text = "I will ask; the green rose; Jo and Ng; but Will Green, Mr Green, Rose G. and Ms Ng"
    assert (
        redact(text, *people) == f"I will ask; the green rose; Jo and Ng; but {X}, {X}, {X} and {X}"
    )


def test_a_childs_names_are_found_alone_and_with_an_initial_never_with_a_title():
    people = (entry("Avery Brooks", pupils="Riley Brooks, Year 3"),)
    assert redact("Riley cried; Riley B. too; Mr Riley is a teacher", *people) == (
        f"{X} cried; {X} too; Mr {X} is a teacher"
    )


def test_each_line_of_an_address_its_street_and_its_postcode_are_found_never_the_town_alone():
    person = entry("Avery Brooks", address="Flat 3, 12 Acacia Avenue\nCamberwell\nLondon SE5 9ZZ")
    text = (
        "She lives at Flat 3, 12 Acacia Avenue (se59zz), on Acacia Avenue, in Camberwell, "
        "London SE5  9ZZ."
    )
    assert redact(text, person) == f"She lives at {X} ({X}), on {X}, in Camberwell, {X}."


def test_an_address_on_one_line_is_found_part_by_part():
    needles = address_needles("12 Acacia Avenue, London SE5 9ZZ", "another person", X)
    text = "12 Acacia Avenue, SE5 9ZZ; 12 Acacia Avenue, London SE5 9ZZ; London is big"
    assert Redactor(needles).text(text, "") == f"{X}, {X}; {X}; London is big"


def test_the_requesters_own_names_are_kept_even_when_someone_else_shares_them():
    jordan = entry("Jordan Smith", pupils="Sam Smith, Year 3", address="12 Brooks Road")
    keep = [n.value for n in person_needles(jordan, "their", "")]
    others = (entry("Alex Smith"), entry("Avery Brooks", pupils="Sam Brooks, Year 3"))
    text = "Jordan Smith, Mr Smith, Sam and Sam Smith of 12 Brooks Road; Alex Smith, Alex, Brooks"
    assert redact(text, *others, keep=keep) == (
        f"Jordan Smith, Mr Smith, Sam and Sam Smith of 12 Brooks Road; {X}, {X}, {X}"
    )


def test_each_form_is_described_in_the_log_never_by_its_value():
    forms = name_forms("Priya Shah", "a reporter's name", X)
    redactor = Redactor([Needle("Priya Shah", "a reporter's name", X), *forms])
    redactor.text("Priya Shah; Ms Shah; Priya S.; Priya here", "Report 1, description")
    assert redactor.log == [
        Redaction("Report 1, description", "a reporter's name", X),
        Redaction("Report 1, description", "a reporter's name, with a title", X),
        Redaction("Report 1, description", "a reporter's name, with an initial", X),
        Redaction("Report 1, description", "a reporter's name: a first name or surname alone", X),
    ]


def test_postcodes_nobody_registered_are_found_in_capitals_and_the_requesters_kept():
    redactor = Redactor([], keep=["1 Example Road\nLondon se5 0aa"], contacts=X)
    text = "N1 9GU, EC1A 1BB and W1A0AX; not SE5 0AA, n1 9gu, b4 5pm, BP-7KQ2-X9M4 or Year 3"
    assert redactor.text(text, "here") == (
        f"{X}, {X} and {X}; not SE5 0AA, n1 9gu, b4 5pm, BP-7KQ2-X9M4 or Year 3"
    )
    assert redactor.log == [Redaction("here", FOUND_POSTCODE, X, 3)]
