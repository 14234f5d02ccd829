import pytest
from django.core.management import call_command
from django.db.models import Count

from brunswick.accounts.models import Role, User
from cases.models import Case, Decision
from reports.models import Report


@pytest.mark.smoke
@pytest.mark.django_db(transaction=True)
def test_the_demo_data_loads_twice_with_one_account_per_role(capsys):
    call_command("seed_demo")
    call_command("seed_demo")
    printed = capsys.readouterr().out
    for role in Role:
        assert User.objects.with_role(role).count() == 1
        assert role.label in printed
    assert printed.count("TOTP secret:") == 8
    # Three reports waiting for triage and one case under way, and the made-up history
    # for the Insight dashboard, once each.
    assert Report.objects.filter(status=Report.Status.RECEIVED).count() >= 2
    assert Case.objects.exclude(title__endswith="(demo history)").count() == 1
    history = Case.objects.filter(title__endswith="(demo history)")
    assert 30 <= history.count() <= 80
    assert history.filter(status=Case.Status.OPEN).exists()
    assert Decision.objects.values("outcome").distinct().count() >= 5
    assert Report.objects.values("group").distinct().count() >= 6
    repeated = history.values("people").annotate(n=Count("id")).filter(n__gt=1)
    assert repeated.exists()  # Someone has more than one case.


@pytest.mark.smoke
@pytest.mark.django_db(transaction=True)
def test_the_audit_chain_of_a_fresh_install_is_intact(capsys):
    # On SQLite every event once looked changed: verify_audit must prove itself on both.
    call_command("seed_demo")
    capsys.readouterr()
    call_command("verify_audit")
    assert capsys.readouterr().out.startswith("audit chain intact: ")
