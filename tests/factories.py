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
