import pytest
from django.contrib.auth.models import Group

from brunswick.accounts.models import Role


@pytest.mark.django_db
def test_migrate_sets_up_the_roles_even_when_the_last_app_has_no_models():
    # The suite's database is built by `migrate`; insight, last in INSTALLED_APPS, has no
    # models and so gets no post_migrate of its own (brunswick.accounts.apps).
    admin = Group.objects.get(name=Role.ADMIN.group_name)
    assert admin.permissions.filter(codename="view_outboxmessage").exists()
