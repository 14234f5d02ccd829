import pytest

from brunswick.retention.models import LegalHold
from brunswick.subject_access.erasure import erasure_refusal
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_a_person_on_legal_hold_cannot_be_erased(head_teacher):
    person = PersonFactory()
    assert erasure_refusal(person) == ""
    LegalHold.objects.create(person=person, reason="Police enquiry.", placed_by=head_teacher)
    assert "legal hold" in erasure_refusal(person)
