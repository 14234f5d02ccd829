from brunswick.subject_access.redaction import (
    REPORTER,
    THIRD_PARTY,
    Needle,
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
