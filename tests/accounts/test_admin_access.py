"""The Django admin: the Admin role only, both factors, signed in on the staff page."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group

from brunswick.accounts.models import User
from brunswick.accounts.roles import roles_ensure
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def roles(db):
    return roles_ensure()


def test_anonymous_visitors_are_sent_to_the_staff_sign_in_page(client):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain == [
        ("/admin/login/?next=/admin/", 302),
        ("/staff/login/?next=/admin/", 302),
    ]
    assert "Staff sign in" in response.content.decode()


def test_the_admin_has_no_sign_in_form_of_its_own(client):
    response = client.get("/admin/login/?next=/admin/school/")
    assert response.status_code == 302
    assert response["Location"] == "/staff/login/?next=/admin/school/"


def test_a_password_alone_does_not_open_the_admin(client, admin_user):
    client.force_login(admin_user)  # Signed in, but without the second factor.
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/staff/login/?next=/admin/"


def test_an_admin_signed_in_with_both_factors_opens_the_admin(client, admin_user):
    sign_in(client, admin_user)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/login/")["Location"] == "/admin/"
    assert client.get("/admin/school/schoolsettings/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 200


@pytest.mark.parametrize("role_fixture", ["office", "slt", "head_teacher"])
def test_other_staff_are_refused_even_with_staff_status(client, request, role_fixture):
    user = request.getfixturevalue(role_fixture)
    User.objects.filter(pk=user.pk).update(is_staff=True)  # Set behind the portal's back.
    sign_in(client, user)
    assert client.get("/admin/").status_code == 403
    assert client.get("/admin/login/").status_code == 403  # Not a loop through sign-in.


def test_signing_out_of_the_admin_clears_the_session(client, admin_user):
    sign_in(client, admin_user)
    response = client.post("/admin/logout/")
    assert response["Location"] == "/staff/login/"
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/")["Location"] == "/admin/login/?next=/admin/"


def test_reports_and_cases_are_not_in_the_admin():
    apps = {model._meta.app_label for model in admin.site._registry}
    assert {"accounts", "school"} <= apps
    # Nor the groups behind the roles: renaming one would change who reads reports.
    assert not apps & {"reports", "cases", "audit", "auth"}


def test_the_user_form_offers_a_role_but_no_superuser_or_staff_boxes(client, admin_user, office):
    sign_in(client, admin_user)
    page = client.get(f"/admin/accounts/user/{office.pk}/change/").content.decode()
    assert 'name="roles"' in page and 'name="groups"' not in page
    for field in ("is_superuser", "is_staff", "user_permissions"):
        assert f'name="{field}"' not in page


def test_an_admin_makes_someone_an_admin_in_the_admin(client, admin_user, office, roles):
    sign_in(client, admin_user)
    page = client.get(f"/admin/accounts/user/{office.pk}/change/")
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in ("username", "first_name", "last_name", "email")}
    data |= {"roles": ["admin"]}
    data |= {"is_active": "on", "date_joined_0": "2026-01-01", "date_joined_1": "09:00"}
    response = client.post(f"/admin/accounts/user/{office.pk}/change/", data)

    assert response.status_code == 302
    office.refresh_from_db()
    assert office.is_staff
    assert list(office.groups.all()) == [Group.objects.get(name="Admin")]


def test_the_view_on_site_shortcut_does_not_tell_which_cases_exist(client, admin_user):
    from django.contrib.contenttypes.models import ContentType

    from tests.factories import CaseFactory

    case = CaseFactory()
    sign_in(client, admin_user)
    kind = ContentType.objects.get_for_model(case).id
    existing = client.get(f"/admin/r/{kind}/{case.id}/")
    missing = client.get(f"/admin/r/{kind}/{case.id + 1000}/")
    assert existing.status_code == missing.status_code == 404


# Models whose rows, ids or counts are not for the Admin role.
CONFIDENTIAL_APPS = {"reports", "cases", "subject_access"}
CONFIDENTIAL_FIELDS = {"object_id", "failures"}


def test_no_admin_page_the_admin_role_can_open_shows_a_case_report_or_person(admin_user):
    """Every admin page the Admin role may open, walked: none lists a confidential model,
    or a field that points at one or names one's id."""
    from django.contrib.admin.sites import site
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = User.objects.get(pk=admin_user.pk)
    found = []
    for model, model_admin in site._registry.items():
        if not model_admin.has_view_permission(request):
            continue
        if model._meta.app_label in CONFIDENTIAL_APPS:
            found.append(model._meta.label)
            continue
        shown = {
            *model_admin.get_list_display(request),
            *model_admin.get_readonly_fields(request),
            *(model_admin.get_fields(request) if not model_admin.fieldsets else []),
        }
        for name in shown:
            if not isinstance(name, str):
                continue
            if name in CONFIDENTIAL_FIELDS:
                found.append(f"{model._meta.label}.{name}")
                continue
            field = next((f for f in model._meta.get_fields() if f.name == name), None)
            related = getattr(field, "related_model", None)
            if related is not None and related._meta.app_label in CONFIDENTIAL_APPS:
                found.append(f"{model._meta.label}.{name}")
    assert not found, f"admin pages that show confidential records: {found}"


def _relations(model) -> list[str]:
    return [f.name for f in model._meta.get_fields() if f.is_relation]


def test_no_changelist_filters_on_a_relation_or_counts_anything(client, admin_user, groups):
    """`?report=77` on the groups' list once told which group report 77 is in, and
    `?report__gte=78` how many reports there are; facets counted jobs by kind."""
    from django.contrib.admin import ShowFacets
    from django.contrib.admin.sites import site
    from django.test import RequestFactory

    from tests.factories import ReportFactory

    report = ReportFactory(group=groups[0])
    sign_in(client, admin_user)
    request = RequestFactory().get("/admin/")
    request.user = User.objects.get(pk=admin_user.pk)
    answered = []
    for model, model_admin in site._registry.items():
        if not model_admin.has_view_permission(request):
            continue
        assert model_admin.show_facets == ShowFacets.NEVER, model._meta.label
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        listed = {item[0] if isinstance(item, tuple) else item for item in model_admin.list_filter}
        for name in {*_relations(model), "object_id", "id"} - listed:
            for lookup in (name, f"{name}__gte"):
                if client.get(f"{url}?{lookup}={report.id}").status_code == 200:
                    answered.append(f"{url}?{lookup}")
    assert not answered, f"changelists that filter on what they do not list: {answered}"
