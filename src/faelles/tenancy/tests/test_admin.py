import pytest

from faelles.tenancy.models import User
from faelles.tenancy.tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    user = User.objects.create_superuser("root", "root@example.dk", "Rod-adgang-2026!")
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "path",
    [
        "/admin/core/auditevent/",
        "/admin/core/numbersequence/",
        "/admin/core/personaldataaccess/",
        "/admin/tenancy/institution/",
        "/admin/tenancy/user/",
    ],
)
def test_admin_lists_are_viewable(superuser_client, path):
    InstitutionFactory()
    assert superuser_client.get(path).status_code == 200


@pytest.mark.parametrize("path", ["/admin/core/auditevent/add/", "/admin/tenancy/institution/add/"])
def test_admin_cannot_add(superuser_client, path):
    assert superuser_client.get(path).status_code == 403


def test_admin_cannot_change_an_institution(superuser_client):
    inst = InstitutionFactory(name="Før")
    response = superuser_client.post(
        f"/admin/tenancy/institution/{inst.pk}/change/", {"name": "Efter"}
    )
    assert response.status_code == 403
    inst.refresh_from_db()
    assert inst.name == "Før"
