"""docs/deploy.md's backup and restore, executed (tests/production/drill.py; `make drill`)."""

import pytest

from tests.production import drill
from tests.production.conftest import Load, _say, report_send, visitor

# The first test here also waits for the topology to boot (about 30 s, more on a busy
# machine), and the drill and the restarts wait for e-mails: more than the suite's 120 s.
pytestmark = pytest.mark.timeout(300)


def test_a_backup_taken_while_parents_send_reports_restores_whole(portal, tmp_path, request):
    for _ in range(3):
        with visitor(portal) as client:
            assert report_send(client, screenshots=2).status_code == 302
    found = drill.run(
        portal, tmp_path / "backup", say=lambda line: _say(request.config, line),
        parents_sending=Load(portal, threads=1),
    )  # fmt: skip
    assert found["audit"].startswith("audit chain intact")
    assert found["missing"] == 0  # No report lost a screenshot...
    assert found["storage"] == "No problems found."  # ...and no stray file is left.
    assert found["screenshots"] >= 6 and found["screenshots_bad"] == 0
    assert set(found["erased"]) == {"Drill Parent Before", "Drill Parent After"}
    assert found["erased_found"] == []  # Erased after the dump, and still erased.
    assert found["serving"] == (200, 200)
