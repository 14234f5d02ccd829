"""Phone numbers and e-mail addresses typed in free text are someone's contact details:
in a parent's pack they are redacted unless they are the parent's own."""

import pytest

from brunswick.subject_access.pack import pack_gather
from brunswick.subject_access.redaction import FOUND_EMAIL, FOUND_PHONE, THIRD_PARTY, Redaction
from tests.factories import ReportFactory

from .conftest import pack_pdf_text

pytestmark = pytest.mark.django_db

STRANGER_PHONE, STRANGER_EMAIL = "07400 123456", "sam.other@example.net"
JORDANS_PHONE = "020 7946 0018"


@pytest.fixture
def another_report(world):
    """A second report on Jordan's case, naming someone never put on the register, and
    quoting Jordan's own number (which is in their group names)."""
    world.person.group_names += f"\n{JORDANS_PHONE}"
    world.person.save()
    return ReportFactory(
        case=world.case,
        description=(
            f"Jordan posted a stranger's number, {STRANGER_PHONE} (also +44 7400-123-456), "
            f"and an address, {STRANGER_EMAIL}. Jordan's own number, 02079460018, was in "
            "the group's description."
        ),
    )


def test_a_strangers_phone_and_e_mail_in_another_report_are_redacted_but_not_their_own(
    client, head_teacher, world, another_report, tmp_path
):
    text = pack_pdf_text(client, head_teacher, world.request, tmp_path)

    for secret in (STRANGER_PHONE, "7400-123-456", "123456", STRANGER_EMAIL, "sam.other"):
        assert secret not in text, secret
    assert f"a stranger's number, {THIRD_PARTY} (also {THIRD_PARTY})" in text
    assert f"an address, {THIRD_PARTY}." in text
    assert "Jordan's own number, 02079460018, was" in text
    assert JORDANS_PHONE in text  # On their register entry.


def test_each_found_number_and_address_is_listed_by_kind_never_by_value(
    client, head_teacher, world, another_report, tmp_path
):
    pack = pack_gather(world.request)
    assert Redaction("Report 2, description", FOUND_EMAIL, THIRD_PARTY, 1) in pack.redactions
    assert Redaction("Report 2, description", FOUND_PHONE, THIRD_PARTY, 2) in pack.redactions

    text = pack_pdf_text(client, head_teacher, world.request, tmp_path)
    appendix = text.split("Appendix: what was replaced or left out")[1]
    assert f"Report 2, description A phone number (not on the register) {THIRD_PARTY} 2" in appendix
    assert (
        f"Report 2, description An e-mail address (not on the register) {THIRD_PARTY} 1" in appendix
    )
