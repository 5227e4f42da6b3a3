"""Reads of purchasing, every one through the access gate.

Everyone of an institution sees (``Area.PURCHASING``) the agreements that cover it, the items
of their active catalogues, their own requisitions and orders. Approvers, invoice receivers,
bookkeepers, controllers, local administrators and the operator's staff serving the
institution see all of its requisitions and orders. Another institution's agreement,
catalogue, requisition or order is a 404 like a missing one.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from faelles.core.access import access_object, institutions_with_role, restrict, user_can
from faelles.purchasing.models import (
    AgreementCoverage,
    Catalogue,
    CatalogueItem,
    CatalogueStatus,
    FrameworkAgreement,
    InboundDocument,
    PurchaseOrder,
    Requisition,
    RequisitionState,
)
from faelles.tenancy.models import Institution, Role, StaffRole, User
from faelles.tenancy.roles import Area, view_roles

PURCHASING_ROLES = view_roles(Area.PURCHASING)
#: Who sees all of an institution's requisitions and orders, not only their own.
OVERSEER_ROLES = frozenset(
    {
        Role.APPROVER.value,
        Role.INVOICE_RECEIVER.value,
        Role.BOOKKEEPER.value,
        Role.CONTROLLER.value,
        Role.LOCAL_ADMIN.value,
        StaffRole.OPERATOR_ADMIN.value,
        StaffRole.CASE_WORKER.value,
    }
)


def may_purchase(user: User, institution: Institution | None) -> bool:
    return institution is not None and user_can(user, institution, PURCHASING_ROLES)


def is_overseer(user: User, institution: Institution | None) -> bool:
    return institution is not None and user_can(user, institution, OVERSEER_ROLES)


def is_approver(user: User, institution: Institution | None) -> bool:
    return institution is not None and user_can(user, institution, {Role.APPROVER.value})


def agreements_for(
    user: User, institution: Institution | None = None
) -> QuerySet[FrameworkAgreement]:
    """The agreements covering the institutions where ``user`` may purchase (or covering
    ``institution``), and those kept by the institutions they administer."""
    coverage = restrict(
        AgreementCoverage, user=user, institution=institution, roles=PURCHASING_ROLES
    )
    return FrameworkAgreement.objects.filter(pk__in=coverage.values("agreement")).distinct()


def access_agreement(
    user: User, pk: Any, institution: Institution | None = None
) -> FrameworkAgreement:
    from django.http import Http404

    agreement = agreements_for(user, institution).filter(pk=pk).first()
    if agreement is None:
        raise Http404
    return agreement


def shop_items(
    user: User, institution: Institution | None, query: str = ""
) -> QuerySet[CatalogueItem]:
    """Items of the active catalogues of the agreements in force today that cover
    ``institution`` (where ``user`` may purchase), searched by name, item number or GTIN."""
    if not may_purchase(user, institution):
        return CatalogueItem.objects.none()
    today = timezone.localdate()
    agreements = agreements_for(user, institution).filter(
        is_active=True, valid_from__lte=today, valid_to__gte=today
    )
    qs = CatalogueItem.objects.filter(
        catalogue__agreement__in=agreements.values("pk"),
        catalogue__status=CatalogueStatus.ACTIVE,
    ).select_related("catalogue__agreement")
    for word in query.split():
        qs = qs.filter(
            Q(name__icontains=word)
            | Q(sellers_id__icontains=word)
            | Q(standard_id=word)
            | Q(description__icontains=word)
            | Q(classification=word)
        )
    return qs.order_by("name", "pk")


def catalogues_for(user: User, agreement: FrameworkAgreement) -> QuerySet[Catalogue]:
    """The versions of an agreement's catalogue (the agreement was reached through the gate)."""
    return Catalogue.objects.filter(agreement=agreement).order_by("-version")


def requisitions_for(user: User, institution: Institution | None = None) -> QuerySet[Requisition]:
    """Requisitions ``user`` sees: their own, and all of the institutions they oversee."""
    own = restrict(Requisition, user=user, institution=institution, roles=PURCHASING_ROLES)
    overseen = institutions_with_role(user, OVERSEER_ROLES)
    return own.filter(
        Q(requester=user) | (Q(institution__in=overseen.values("pk")) & ~Q(state="draft"))
    )


def access_requisition(user: User, pk: Any, institution: Institution | None = None) -> Requisition:
    return access_object(
        requisitions_for(user, institution), user=user, pk=pk, roles=PURCHASING_ROLES
    )


def baskets(user: User, institution: Institution | None) -> QuerySet[Requisition]:
    if institution is None:
        return Requisition.objects.none()
    return (
        requisitions_for(user, institution)
        .filter(requester=user, state=RequisitionState.DRAFT)
        .select_related("agreement")
        .prefetch_related("lines")
    )


def awaiting_approval(user: User, institution: Institution | None) -> QuerySet[Requisition]:
    if not is_approver(user, institution):
        return Requisition.objects.none()
    return requisitions_for(user, institution).filter(state=RequisitionState.SUBMITTED)


def orders_for(user: User, institution: Institution | None = None) -> QuerySet[PurchaseOrder]:
    own = restrict(PurchaseOrder, user=user, institution=institution, roles=PURCHASING_ROLES)
    overseen = institutions_with_role(user, OVERSEER_ROLES)
    return own.filter(
        Q(requisition__requester=user) | Q(institution__in=overseen.values("pk"))
    ).select_related("agreement", "requisition")


def access_order(user: User, pk: Any, institution: Institution | None = None) -> PurchaseOrder:
    return access_object(orders_for(user, institution), user=user, pk=pk, roles=PURCHASING_ROLES)


#: Who sees the ordering documents received for an institution (rejected ones with reasons).
DOCUMENT_ROLES = view_roles(Area.INTAKE) | OVERSEER_ROLES


def documents_for(user: User, institution: Institution | None) -> QuerySet[InboundDocument]:
    """The ordering documents received for ``institution`` (never unroutable ones: those
    belong to no institution)."""
    if institution is None:
        return InboundDocument.objects.none()
    return restrict(InboundDocument, user=user, institution=institution, roles=DOCUMENT_ROLES)
