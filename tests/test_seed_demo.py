import pytest
from django.core.management import call_command

from brunswick.accounts.models import Role, User
from cases.models import Case
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
    assert Report.objects.count() == 3
    assert Case.objects.count() == 1
