"""factory-boy factories for tenancy objects, for every app's tests.

They write through the ORM directly (fast, no audit events); use the services when a test is
about the write itself. Identifiers are valid: CVR numbers pass modulus 11, GLNs carry their
check digit, and each factory call gives a new one.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import factory

from faelles.tenancy.models import (
    Delegation,
    Endpoint,
    Institution,
    Membership,
    Operator,
    OperatorStaff,
    OrgUnit,
    Responsibility,
    Role,
    Service,
    ServiceAgreement,
    StaffRole,
    User,
)
from faelles.tenancy.validators import gln_with_check_digit

TEST_PASSWORD = "Test-adgang-2026!"

_CVR_WEIGHTS = (2, 7, 6, 5, 4, 3, 2, 1)


def valid_cvr(n: int) -> str:
    """The n-th valid CVR number of a deterministic series (modulus 11), distinct per n."""
    for prefix in (3000000 + 2 * n, 3000000 + 2 * n + 1):
        total = sum(w * int(d) for w, d in zip(_CVR_WEIGHTS, f"{prefix:07d}", strict=False))
        check = -total % 11
        if check < 10:
            return f"{prefix:07d}{check}"
    raise AssertionError("two neighbouring prefixes cannot both lack a check digit")


def valid_gln(n: int) -> str:
    """The n-th valid 13-digit GLN in a test range (579 prefix, GS1 Denmark)."""
    return gln_with_check_digit(f"5799{n:08d}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"Fornavn{n}")
    last_name = "Testesen"
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.dk")
    password = factory.django.Password(TEST_PASSWORD)


class OperatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Operator

    name = factory.Sequence(lambda n: f"Driftsherre {n}")
    cvr = factory.Sequence(lambda n: valid_cvr(n + 5000))


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    name = factory.Sequence(lambda n: f"Styrelse {n}")
    short_name = factory.Sequence(lambda n: f"INST{n}")
    kind = Institution.Kind.AGENCY
    cvr = factory.Sequence(valid_cvr)
    parent = None


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit

    institution = factory.SubFactory(InstitutionFactory)
    code = factory.Sequence(lambda n: f"{1000 + n}")
    name = factory.Sequence(lambda n: f"Enhed {n}")


class EndpointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Endpoint

    institution = factory.SubFactory(InstitutionFactory)
    scheme = Endpoint.Scheme.GLN
    identifier = factory.Sequence(valid_gln)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    institution = factory.SubFactory(InstitutionFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.BOOKKEEPER
    approval_limit = factory.LazyAttribute(
        lambda o: Decimal("50000.00") if o.role == Role.APPROVER else None
    )


class OperatorStaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OperatorStaff

    operator = factory.SubFactory(OperatorFactory)
    user = factory.SubFactory(UserFactory)
    role = StaffRole.CASE_WORKER


class DelegationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delegation

    institution = factory.SubFactory(InstitutionFactory)
    principal = factory.SubFactory(UserFactory)
    substitute = factory.SubFactory(UserFactory)
    valid_from = date(2026, 1, 1)
    valid_to = date(2026, 12, 31)


class ServiceAgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceAgreement
        skip_postgeneration_save = True

    institution = factory.SubFactory(InstitutionFactory)
    operator = factory.SubFactory(OperatorFactory)
    services = factory.LazyFunction(lambda: [Service.PAYABLES, Service.LEDGER])
    valid_from = date(2020, 1, 1)
    valid_to = None

    @factory.post_generation
    def staff(self, create: bool, extracted: list[User] | None, **kwargs: object) -> None:
        if create and extracted:
            self.staff.set(extracted)


class ResponsibilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Responsibility

    agreement = factory.SubFactory(ServiceAgreementFactory)
    institution = factory.SelfAttribute("agreement.institution")
    service = Service.PAYABLES
    task = factory.Sequence(lambda n: f"Opgave {n}")
    owner = Responsibility.Owner.OPERATOR


def member(institution: Institution, *roles: str, **user_fields: object) -> User:
    """A user holding ``roles`` in ``institution`` (an approver gets a 50 000 DKK limit)."""
    user = UserFactory(**user_fields)
    for role in roles or (Role.BOOKKEEPER,):
        MembershipFactory(institution=institution, user=user, role=role)
    return user
