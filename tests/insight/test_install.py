import pytest
from django.contrib.auth.models import Group

from brunswick.accounts.models import Role


@pytest.mark.django_db
def test_migrate_still_sets_up_the_roles_with_insight_installed():
    # brunswick.accounts sets up the roles on the last app's post_migrate signal; insight
    # has no models, so it sends none and must not be the last app in INSTALLED_APPS.
    admin = Group.objects.get(name=Role.ADMIN.group_name)
    assert admin.permissions.filter(codename="view_outboxmessage").exists()
