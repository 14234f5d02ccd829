from brunswick.subject_access.redaction import (
    FOUND_EMAIL,
    FOUND_PHONE,
    REPORTER,
    THIRD_PARTY,
    Needle,
    Redaction,
    Redactor,
    child_names,
)


def test_it_finds_a_phone_number_however_it_is_written():
    redactor = Redactor([Needle("+44 7700 900123", "a phone number", REPORTER)])
    text = "07700 900123, +44 (0)7700-900-123, 447700900123 and 7700900123; not 177009001234"
    assert redactor.text(text, "here") == (
        f"{REPORTER}, {REPORTER}, {REPORTER} and {REPORTER}; not 177009001234"
    )
    assert redactor.log[0].count == 4 and redactor.log[0].where == "here"


def test_it_matches_whole_names_in_any_case_and_spacing_only():
    redactor = Redactor([Needle("Jordan Smith", "a name", THIRD_PARTY)])
    assert redactor.text("JORDAN  smith and Jordan Smithson", "x") == (
        f"{THIRD_PARTY} and Jordan Smithson"
    )


def test_it_replaces_longer_values_first_and_never_the_values_kept():
    redactor = Redactor(
        [Needle("Casey", "a name", THIRD_PARTY), Needle("Casey Morgan", "a name", REPORTER)],
        keep=["Sam Smith"],
    )
    assert redactor.text("Casey Morgan, Casey", "x") == f"{REPORTER}, {THIRD_PARTY}"
    assert (
        Redactor([Needle("Sam Smith", "a name", THIRD_PARTY)], keep=["sam smith"]).text(
            "Sam Smith", "x"
        )
        == "Sam Smith"
    )


def test_it_ignores_values_too_short_to_find_safely():
    redactor = Redactor([Needle("Jo", "a name", THIRD_PARTY)])
    assert not redactor
    assert redactor.text("Jo said", "x") == "Jo said"


def test_a_childs_name_is_what_comes_before_the_class():
    assert child_names("Sam Smith, Year 3\nRiley (Reception)\n\n") == ["Sam Smith", "Riley"]


def contacts_redactor(keep=()) -> Redactor:
    return Redactor([], keep=keep, contacts=THIRD_PARTY)


def test_it_finds_phone_numbers_it_was_never_told_about_however_they_are_typed():
    redactor = contacts_redactor()
    text = (
        "07400 123456, 07400-123-456, +44 (0)7400 123456, 0044 7400 123456, (020)79460018, "
        "020 7946 0018 and 07700 900123"
    )
    assert redactor.text(text, "Report 1, description") == ", ".join([THIRD_PARTY] * 6) + (
        f" and {THIRD_PARTY}"  # Ofcom's drama range is not in use, but it is a number.
    )
    assert redactor.log == [Redaction("Report 1, description", FOUND_PHONE, THIRD_PARTY, 7)]


def test_it_finds_e_mail_addresses_and_leaves_what_only_looks_like_one():
    redactor = contacts_redactor()
    text = "Mail sam.o'neil+group@mail.example.co.uk. or SAM@EXAMPLE.ORG; not a@b or @handle"
    assert redactor.text(text, "x") == f"Mail {THIRD_PARTY}. or {THIRD_PARTY}; not a@b or @handle"
    assert redactor.log == [Redaction("x", FOUND_EMAIL, THIRD_PARTY, 2)]


def test_dates_times_and_codes_are_not_taken_for_phone_numbers():
    text = (
        "On 03/03/2025 at 10:15, 2025-03-03, 3.3.2025; CASE-00012, LETTER-00012, SAR-00001, "
        "BP-7KQ2-X9M4, IMG-20250303-WA0001.jpg, £1,234,567 and Year 3"
    )
    redactor = contacts_redactor()
    assert redactor.text(text, "x") == text and redactor.log == []


def test_the_requesters_own_number_and_address_stay_however_they_are_typed():
    redactor = contacts_redactor(keep=["+44 7400 123456", "Jordan@Example.org"])
    text = "07400123456, (07400) 123 456, jordan@example.org and 07400 654321"
    assert redactor.text(text, "x") == (
        f"07400123456, (07400) 123 456, jordan@example.org and {THIRD_PARTY}"
    )


def test_without_contacts_only_the_values_it_was_given_are_replaced():
    # Erasure replaces a person's own names; other people's numbers are not its business.
    redactor = Redactor([Needle("Jordan Smith", "their name", "[erased]")])
    assert redactor.text("Jordan Smith, 07400 123456, a@example.org", "") == (
        "[erased], 07400 123456, a@example.org"
    )
