"""Factories for tests: every object valid by default, with a valid credit code."""

from __future__ import annotations

from decimal import Decimal

import factory

from companies.models import Compound, Firm, Management
from companies.validators import credit_code_check_char
from portal.choices import Role
from portal.models import Community, District, Street, User

PASSWORD = "Correct-Horse-42"


def make_credit_code(n: int) -> str:
    """A valid 18-character credit code derived from n (a firm: 91 + area code 220200)."""
    body = f"91220200{n:09d}"
    return body + credit_code_check_char(body)


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"区{n}")


class StreetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Street

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"街道{n}")


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community

    street = factory.SubFactory(StreetFactory)
    name = factory.Sequence(lambda n: f"社区{n}")


class FirmFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Firm

    credit_code = factory.Sequence(make_credit_code)
    name = factory.Sequence(lambda n: f"测试物业服务有限公司{n}")


class CompoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Compound
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"XQ{n:05d}")
    name = factory.Sequence(lambda n: f"测试小区{n}")
    community = factory.SubFactory(CommunityFactory)
    households = 100
    floor_area = Decimal("10000.00")
    firm = factory.SubFactory(FirmFactory)

    @factory.post_generation
    def management(obj, create, extracted, **kwargs):  # noqa: N805
        if create and obj.firm_id:
            Management.objects.create(
                compound=obj, firm=obj.firm, start_date=kwargs.get("since", "2020-01-01")
            )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    role = Role.BUREAU
    password = factory.django.Password(PASSWORD)
