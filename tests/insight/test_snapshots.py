"""The dashboard's cache: kept while nothing changes, refreshed by any change."""

import pytest

from brunswick.audit.events import audit_record
from brunswick.audit.models import AuditEvent
from insight.snapshots import CHANGES, LOOKS, latest_change

pytestmark = pytest.mark.django_db


def test_every_audit_action_is_a_look_or_a_change():
    assert set(LOOKS) | set(CHANGES) == set(AuditEvent.Action)
    assert not set(LOOKS) & set(CHANGES)


def test_the_latest_change_ignores_looks(slt):
    changed = audit_record(action=AuditEvent.Action.CASE_OPENED, actor=slt)
    audit_record(action=AuditEvent.Action.CASE_VIEWED, actor=slt)
    audit_record(action=AuditEvent.Action.EXPORTED, actor=slt)
    assert latest_change() == changed.id
    again = audit_record(action=AuditEvent.Action.STEP_PROPOSED, actor=slt)
    assert latest_change() == again.id
