import io

import pytest
from django.core.management import call_command
from stdnum import ean
from stdnum.dk import cvr

from faelles.core.audit import verify_chains
from faelles.core.models import AuditEvent
from faelles.tenancy import selectors
from faelles.tenancy.demo import DEMO_PASSWORD, load_demo
from faelles.tenancy.management.commands import demo as demo_command
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
    ServiceAgreement,
    StaffRole,
    User,
)

pytestmark = pytest.mark.django_db

MODELS = (
    Operator,
    Institution,
    OrgUnit,
    Endpoint,
    User,
    Membership,
    OperatorStaff,
    Delegation,
    ServiceAgreement,
    Responsibility,
    AuditEvent,
)


def _counts():
    return {m.__name__: m.objects.count() for m in MODELS}


def test_demo_is_idempotent():
    load_demo(stdout=io.StringIO())
    first = _counts()
    out = io.StringIO()
    load_demo(stdout=out)
    assert _counts() == first
    assert verify_chains() == []
    # the logins are printed on every run
    assert "kb.godkender" in out.getvalue()
    assert DEMO_PASSWORD in out.getvalue()


def test_demo_content():
    load_demo(stdout=io.StringIO())
    ministries = Institution.objects.filter(kind="ministry")
    assert ministries.count() == 3
    assert Institution.objects.filter(parent__in=ministries).count() >= 10
    assert all(cvr.is_valid(i.cvr) for i in Institution.objects.all())
    glns = Endpoint.objects.filter(scheme="0088").values_list("identifier", flat=True)
    assert len(glns) >= 26
    assert all(ean.is_valid(g) for g in glns)
    assert OrgUnit.objects.filter(parent__isnull=False).exists()

    # every role is held by someone, every institution has a local administrator
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    for inst in Institution.objects.all():
        assert Membership.objects.filter(institution=inst, role=Role.LOCAL_ADMIN).exists()
    assert set(OperatorStaff.objects.values_list("role", flat=True)) == set(StaffRole.values)

    shared = User.objects.get(username="mette.bogholder")
    assert selectors.institutions_for_user(shared).count() == 3
    deputy = User.objects.get(username="kb.stedfortraeder")
    kb = Institution.objects.get(short_name="KB")
    assert selectors.acting_for(deputy, kb, Role.APPROVER) is None  # has own approver role
    limit = selectors.approval_limit_for(deputy, kb)
    assert limit.on_behalf_of == User.objects.get(username="kb.godkender")
    assert ServiceAgreement.objects.count() == Institution.objects.count()
    assert Responsibility.objects.filter(owner="operator").exists()
    assert Responsibility.objects.filter(owner="institution").exists()
    assert User.objects.get(username="kb.admin").check_password(DEMO_PASSWORD)


def test_demo_command_calls_each_app_loader_after_tenancy(monkeypatch):
    calls = []

    def fake_loader(*, stdout):
        calls.append(Institution.objects.filter(short_name="KB").exists())
        stdout.write("fake app loaded\n")

    monkeypatch.setattr(demo_command, "app_demo_loaders", lambda: [("fake", fake_loader)])
    out = io.StringIO()
    call_command("demo", stdout=out)
    assert calls == [True]
    assert "fake app loaded" in out.getvalue()


def test_app_demo_loaders_finds_installed_faelles_apps_only():
    labels = [label for label, _ in demo_command.app_demo_loaders()]
    assert "tenancy" not in labels
    assert all(callable(loader) for _, loader in demo_command.app_demo_loaders())


def test_demo_refuses_production_unless_insisted(settings):
    settings.PRODUCTION = True
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="production"):
        call_command("demo", stdout=io.StringIO())
    assert User.objects.count() == 0
