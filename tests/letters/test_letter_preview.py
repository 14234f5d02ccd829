"""Opening a letter's PDF preview is on the audit trail."""

import pytest

from brunswick.audit.models import AuditEvent
from tests.conftest import sign_in
from tests.letters.helpers import warning_letter

pytestmark = pytest.mark.django_db


@pytest.mark.smoke
def test_opening_the_pdf_preview_is_an_audit_event(client, slt):
    letter, _ = warning_letter(slt)
    sign_in(client, slt)

    response = client.get(f"/staff/letters/{letter.id}/preview/")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")
    event = AuditEvent.objects.get(action=AuditEvent.Action.LETTER_PREVIEWED)
    assert (event.actor, event.object_type, event.object_id) == (
        slt,
        "letters.letter",
        str(letter.id),
    )
    assert event.extra == {"case": letter.case_id}


def test_each_opening_is_its_own_event(client, slt):
    letter, _ = warning_letter(slt)
    sign_in(client, slt)
    client.get(f"/staff/letters/{letter.id}/preview/")
    client.get(f"/staff/letters/{letter.id}/preview/")
    assert AuditEvent.objects.filter(action=AuditEvent.Action.LETTER_PREVIEWED).count() == 2
