import uuid

import factory
from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.models import TOTPDevice

from brunswick.accounts.models import Role, User
from brunswick.school.models import ClassGroup
from reports.credentials import hash_passphrase, new_reference
from reports.models import Category, Report, ReportCategory

PASSWORD = "correct horse battery staple"


class ClassGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClassGroup
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Year {n % 7} group {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def role(user, create, role: Role | None, **kwargs):
        if role:
            user.groups.add(Group.objects.get_or_create(name=role.group_name)[0])
        TOTPDevice.objects.create(user=user, name="Authenticator", confirmed=True)
        user.save()


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report
        skip_postgeneration_save = True

    reference = factory.LazyFunction(new_reference)
    passphrase_hash = factory.LazyFunction(
        lambda: hash_passphrase("apple banana cherry damson elder")
    )
    submission_key = factory.LazyFunction(uuid.uuid4)
    group = factory.SubFactory(ClassGroupFactory)
    occurred_on = factory.Faker("date_this_year", before_today=True, after_today=False)
    posted_by = "A parent"
    description = factory.Faker("paragraph")
    reporter_name = factory.Faker("name")
    reporter_relationship = "parent"
    reporter_email = factory.Faker("email")

    @factory.post_generation
    def categories(report, create, categories, **kwargs):
        for category in categories or [Category.ABUSIVE_COMMENTS]:
            ReportCategory.objects.create(report=report, category=category)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cases.Person"

    full_name = factory.Faker("name")
    pupils = "Sam, Year 3"
    group_names = factory.Sequence(lambda n: f"+44 7700 9{n:05d}")
    postal_address = "1 Example Road\nLondon\nSE5 0AA"
    email = factory.Faker("email")
    created_by = factory.SubFactory(UserFactory)


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cases.Case"

    title = factory.Sequence(lambda n: f"Abusive posts in Year 3 group ({n})")
    lead = factory.SubFactory(UserFactory, role=Role.SLT)
    opened_by = factory.SelfAttribute("lead")


class LadderStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cases.LadderStep"

    case = factory.SubFactory(CaseFactory)
    kind = "information_gathering"
    status = "in_progress"
    proposed_by = factory.SelfAttribute("case.lead")
    rationale = "First response: gather information and speak to the parent."
