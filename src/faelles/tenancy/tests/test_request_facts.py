"""The per-request facts: remembered within a request until its first write; within a batch
job's standing facts, remembered through writes."""

from __future__ import annotations

import pytest

from faelles.tenancy.models import Role
from faelles.tenancy.selectors import request_facts, roles_for, standing_facts
from faelles.tenancy.tests.factories import InstitutionFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_request_sees_a_membership_written_during_it():
    user, institution = UserFactory(), InstitutionFactory()
    with request_facts():
        assert roles_for(user, institution) == set()
        MembershipFactory(user=user, institution=institution, role=Role.APPROVER)
        assert roles_for(user, institution) == {Role.APPROVER}


def test_standing_facts_keep_the_first_answer_through_writes_and_end_with_the_block():
    user, institution = UserFactory(), InstitutionFactory()
    MembershipFactory(user=user, institution=institution, role=Role.APPROVER)
    with standing_facts():
        assert roles_for(user, institution) == {Role.APPROVER}
        MembershipFactory(user=user, institution=institution, role=Role.REQUESTER)
        assert roles_for(user, institution) == {Role.APPROVER}
    assert roles_for(user, institution) == {Role.APPROVER, Role.REQUESTER}
