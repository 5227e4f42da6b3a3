"""Every write of operator economics: the price list, the operator's billing details, and the
monthly charges issued as invoices.

``charges_run`` charges a month: for every institution the operator serves it counts the
month's volumes (set-based, :func:`selectors.volumes`), prices each service of the agreement
by the version of its price in force (the volume picks the band: fixed part + price per unit ×
volume), and issues the charge in one transaction per institution:

1. numbers the invoice, gap-free in the operator's books (``<prefix>-<year>-n``);
2. writes it as a Peppol BIS Billing 3.0 invoice and validates it with the platform's own
   validator (an invalid document is refused, nothing is issued);
3. posts it in the operator's own ledger (debit receivables, credit revenue per service and
   output VAT) through the ledger service, once per source;
4. delivers it to the institution's invoice intake (``payables`` ``document_receive``), where
   it is received, routed, coded and approved like any supplier's invoice;
5. stores the charge with its lines and the audit event in the institution's chain.

Charging a month again issues nothing twice: an institution's charge for a month exists once
(a unique constraint, checked under a row lock), so a repeated run reports it as charged.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from faelles.core.audit import Denied, Refused, record_event, refusals_recorded
from faelles.core.money import round_money
from faelles.core.numbering import next_number
from faelles.economics import selectors as sel
from faelles.economics.invoicing import Buyer, PricedLine, Seller, charge_document
from faelles.economics.models import (
    Charge,
    ChargeLine,
    Measure,
    OperatorBilling,
    ServicePrice,
)
from faelles.einvoice.validate import validate_bytes
from faelles.ledger.services import EntrySpec, LedgerError, LineSpec, entry_record
from faelles.payables import services as payables_services
from faelles.tenancy.models import Endpoint, Institution, Operator, User
from faelles.tenancy.services.users import system_user

SERIES = "economics.invoice"
SOURCE_TYPE = "economics.charge"
NUMBER_PREFIX = "FD"
#: The operator's accounts in the common chart: receivables from sales, revenue from
#: services (with output VAT code U25) and output VAT.
RECEIVABLE_ACCOUNT = "5610"
REVENUE_ACCOUNT = "1120"
VAT_ACCOUNT = "9120"
REVENUE_VAT_CODE = "U25"
CENT = Decimal("0.01")


def _deny(action: str, message: str, institution: Any = None, obj: Any = None) -> Denied:
    return Denied(
        Refused(message, code="not_allowed", action=action, institution=institution, obj=obj)
    )


def _require_admin(actor: User | None, operator: Operator, action: str) -> None:
    if actor is None:
        return  # the system: the command line and the scheduled task
    if not sel.is_operator_admin(actor, operator):
        raise _deny(action, _("Only the operator's administrators do this."))


# --- the price list -----------------------------------------------------------------------------


def _amount(value: Any, name: str) -> Decimal:
    try:
        amount = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ValidationError(
            {"tiers": [_("%(name)s is not an amount: %(value)s.") % {"name": name, "value": value}]}
        ) from None
    if amount < 0 or amount != amount.quantize(CENT):
        raise ValidationError(
            {
                "tiers": [
                    _("%(name)s must be at least 0 with at most two decimals.") % {"name": name}
                ]
            }
        )
    return amount.quantize(CENT)


def clean_tiers(tiers: Sequence[Any]) -> list[dict[str, Any]]:
    """Volume bands as stored: the first from 0, lower bounds rising, amounts ≥ 0 as text."""
    if not tiers:
        raise ValidationError({"tiers": [_("Give at least one volume band.")]})
    out: list[dict[str, Any]] = []
    for tier in tiers:
        try:
            lower = int(tier["from"])
        except (KeyError, TypeError, ValueError):
            raise ValidationError({"tiers": [_("A band needs a lower bound.")]}) from None
        if lower < 0 or (out and lower <= out[-1]["from"]):
            raise ValidationError({"tiers": [_("The bands' lower bounds must rise.")]})
        out.append(
            {
                "from": lower,
                "fixed": str(_amount(tier.get("fixed", 0), _("The fixed part"))),
                "unit": str(_amount(tier.get("unit", 0), _("The price per unit"))),
            }
        )
    if out[0]["from"] != 0:
        raise ValidationError({"tiers": [_("The first band begins at 0.")]})
    return out


@refusals_recorded
@transaction.atomic
def price_set(
    *,
    actor: User | None,
    operator: Operator,
    measure: str,
    valid_from: date,
    tiers: Sequence[Any],
    note: str = "",
) -> ServicePrice:
    """Set a service's price from the month ``valid_from`` (the first day of a month): a new
    version that ends the one before it (and ends where a later one begins). A version that
    has not been charged yet may be replaced by setting it again with the same start; a month
    already charged keeps the price it was charged at (refused)."""
    _require_admin(actor, operator, "economics.price.set")
    if measure not in Measure.values:
        raise ValidationError({"measure": [_("Unknown service.")]})
    if valid_from.day != 1:
        raise ValidationError({"valid_from": [_("A price applies from the first of a month.")]})
    clean = clean_tiers(tiers)
    versions = ServicePrice.objects.select_for_update().filter(operator=operator, measure=measure)
    locked = list(versions.order_by("valid_from"))
    charged = ChargeLine.objects.filter(
        price__operator=operator, measure=measure, charge__period__gte=valid_from
    )
    if charged.exists():
        raise ValidationError(
            {
                "valid_from": [
                    _(
                        "Months from %(month)s are charged already; set the price from a later month."
                    )
                    % {"month": f"{valid_from:%Y-%m}"}
                ]
            },
            code="charged",
        )
    before = [v for v in locked if v.valid_from < valid_from]
    after = [v for v in locked if v.valid_from > valid_from]
    price = next((v for v in locked if v.valid_from == valid_from), None)
    if price is None:
        price = ServicePrice(operator=operator, measure=measure, valid_from=valid_from)
    price.tiers = clean
    price.note = note.strip()[:300]
    price.created_by = actor
    price.valid_to = after[0].valid_from - timedelta(days=1) if after else None
    price.full_clean()
    price.save()
    if before:
        previous = before[-1]
        previous.valid_to = valid_from - timedelta(days=1)
        previous.save(update_fields=["valid_to"])
    record_event(
        institution=None,
        actor=actor,
        action="economics.price.set",
        obj=price,
        details={
            "operator": operator.pk,
            "measure": measure,
            "valid_from": valid_from,
            "valid_to": price.valid_to,
            "tiers": clean,
        },
    )
    return price


@refusals_recorded
@transaction.atomic
def billing_set(
    *,
    actor: User | None,
    operator: Operator,
    books: Institution,
    iban: str,
    bic: str = "",
    street: str = "",
    postal_zone: str = "",
    city: str = "",
    vat_rate: Decimal = Decimal("25.00"),
    payment_days: int = 30,
) -> OperatorBilling:
    """Say where the operator keeps its books and what its invoices give for payment."""
    _require_admin(actor, operator, "economics.billing.set")
    billing = OperatorBilling.objects.select_for_update().filter(operator=operator).first()
    billing = billing or OperatorBilling(operator=operator)
    billing.books = books
    billing.iban = iban.replace(" ", "").upper()
    billing.bic, billing.street, billing.postal_zone, billing.city = bic, street, postal_zone, city
    billing.vat_rate = Decimal(vat_rate)
    billing.payment_days = payment_days
    billing.full_clean()
    billing.save()
    record_event(
        institution=None,
        actor=actor,
        action="economics.billing.set",
        obj=billing,
        details={
            "operator": operator.pk,
            "books": books.pk,
            "vat_rate": billing.vat_rate,
            "payment_days": payment_days,
        },
    )
    return billing


# --- charges ------------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What charging one institution for a month did: ``issued``, ``charged`` (before: not
    issued again), ``nothing`` (no priced service), or ``refused`` with the reasons."""

    institution: Institution
    status: str
    charge: Charge | None = None
    lines: list[PricedLine] = field(default_factory=list)
    volumes: dict[str, int] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)


def priced_lines(
    prices: dict[str, ServicePrice], services: set[str], counts: dict[str, int]
) -> list[tuple[ServicePrice, PricedLine]]:
    """The services the agreement includes and the operator prices, each priced by the band
    its volume falls in (in the order of the catalogue)."""
    out = []
    for measure in Measure.values:
        price = prices.get(measure)
        if price is None or not (sel.MEASURE_SERVICES[measure] & services):
            continue
        volume = counts.get(measure, 0)
        band = price.band_for(volume)
        unit = Decimal(band["unit"])
        out.append(
            (
                price,
                PricedLine(
                    measure=measure,
                    volume=volume,
                    band_from=int(band["from"]),
                    fixed=Decimal(band["fixed"]),
                    unit_price=unit,
                    variable=round_money(unit * volume),
                ),
            )
        )
    return out


def _buyer_endpoint(institution: Institution) -> tuple[str, str] | None:
    """The address the institution receives invoices at: its own GLN (not a unit's) first,
    then any GLN, then a CVR endpoint."""
    endpoints = Endpoint.objects.for_institution(institution).filter(is_active=True)
    for qs in (
        endpoints.filter(scheme=Endpoint.Scheme.GLN, org_unit__isnull=True),
        endpoints.filter(scheme=Endpoint.Scheme.GLN),
        endpoints.filter(scheme=Endpoint.Scheme.CVR),
    ):
        found = qs.order_by("pk").first()
        if found is not None:
            return found.scheme, found.identifier
    return None


def _lock(institution: Institution) -> None:
    """Serialise two runs charging the same institution (the second finds the charge)."""
    Institution.objects.select_for_update().filter(pk=institution.pk).values_list("pk").first()


def _entry(
    billing: OperatorBilling, number: str, period: date, lines: list[PricedLine], vat: Decimal
) -> EntrySpec:
    total = sum((pl.amount for pl in lines), Decimal(0)) + vat
    specs = [LineSpec(account=RECEIVABLE_ACCOUNT, debit=total, text=number)]
    for pl in lines:
        if pl.amount:
            specs.append(
                LineSpec(
                    account=REVENUE_ACCOUNT,
                    credit=pl.amount,
                    vat_code=REVENUE_VAT_CODE,
                    text=f"{number} {pl.measure}",
                )
            )
    if vat:
        specs.append(LineSpec(account=VAT_ACCOUNT, credit=vat, text=number))
    return EntrySpec(
        date=sel.month_end(period),
        description=_("Operator invoice %(number)s, services %(month)s")
        % {"number": number, "month": f"{period:%Y-%m}"},
        lines=specs,
        voucher_ref=number,
        source_type=SOURCE_TYPE,
        source_id=f"{billing.operator_id}:{number}",
    )


def _issue(
    *,
    actor: User | None,
    billing: OperatorBilling,
    institution: Institution,
    period: date,
    priced: list[tuple[ServicePrice, PricedLine]],
    today: date,
) -> Outcome:
    lines = [pl for _price, pl in priced]
    volumes = {pl.measure: pl.volume for pl in lines}
    outcome = Outcome(institution, "issued", lines=lines, volumes=volumes)
    _lock(institution)
    existing = Charge.objects.filter(
        institution=institution, operator=billing.operator, period=period
    ).first()
    if existing is not None:
        outcome.status, outcome.charge = "charged", existing
        return outcome
    net = round_money(sum((pl.amount for pl in lines), Decimal(0)))
    if net == 0:
        outcome.status = "nothing"
        return outcome
    endpoint = _buyer_endpoint(institution)
    if endpoint is None:
        outcome.status = "refused"
        outcome.reasons = [_("The institution has no endpoint to receive invoices at.")]
        return outcome
    vat = round_money(net * billing.vat_rate / 100)
    year = today.year
    number = (
        f"{NUMBER_PREFIX}-{year}-"
        f"{next_number(institution=billing.books, series=SERIES, year=year):06d}"
    )
    operator = billing.operator
    xml = charge_document(
        number=number,
        issue_date=today,
        period=period,
        period_end=sel.month_end(period),
        seller=Seller(
            name=operator.name,
            cvr=operator.cvr,
            iban=billing.iban,
            bic=billing.bic,
            street=billing.street,
            postal_zone=billing.postal_zone,
            city=billing.city,
        ),
        buyer=Buyer(
            name=institution.name,
            endpoint_scheme=endpoint[0],
            endpoint=endpoint[1],
            cvr=institution.cvr,
            reference=f"Driftsaftale {institution.short_name}",
        ),
        lines=lines,
        net=net,
        vat=vat,
        vat_rate=billing.vat_rate,
        payment_days=billing.payment_days,
    )
    result = validate_bytes(xml)
    if not result.valid:
        raise ValidationError(
            _("The invoice does not validate: %(rules)s")
            % {"rules": ", ".join(sorted({f.rule for f in result.findings if f.is_fatal}))},
            code="invalid_invoice",
        )
    entry = entry_record(
        actor=actor or system_user(),
        institution=billing.books,
        spec=_entry(billing, number, period, lines, vat),
    )
    intake = payables_services.document_receive(
        content=xml, channel="api", filename=f"{number}.xml"
    )
    charge = Charge(
        institution=institution,
        operator=operator,
        period=period,
        number=number,
        issue_date=today,
        net=net,
        vat=vat,
        total=net + vat,
        xml=xml,
        document=intake.document,
        invoice=intake.invoice,
        delivery=intake.status,
        entry=entry,
        issued_at=timezone.now(),
        issued_by=actor,
    )
    charge.full_clean(exclude=["xml"])
    charge.save()
    ChargeLine.objects.bulk_create(
        [
            ChargeLine(
                institution=institution,
                charge=charge,
                measure=pl.measure,
                price=price,
                volume=pl.volume,
                band_from=pl.band_from,
                fixed=pl.fixed,
                unit_price=pl.unit_price,
                variable=pl.variable,
                amount=pl.amount,
            )
            for price, pl in priced
        ]
    )
    record_event(
        institution=institution,
        actor=actor,
        action="economics.charge.issued",
        obj=charge,
        details={
            "number": number,
            "period": f"{period:%Y-%m}",
            "volumes": volumes,
            "net": net,
            "vat": vat,
            "total": charge.total,
            "delivery": intake.status,
            "entry": entry.pk,
        },
    )
    outcome.charge = charge
    return outcome


@refusals_recorded
def charges_run(
    *,
    actor: User | None,
    period: date,
    operator: Operator | None = None,
    institutions: Iterable[str] | None = None,
    today: date | None = None,
) -> list[Outcome]:
    """Charge the month of ``period`` to every institution each operator with billing details
    (or ``operator``) serves — only those whose short names are in ``institutions`` when
    given. One transaction per institution; answers one outcome per institution charged or
    considered, in the order of the institutions' names."""
    period = sel.month_start(period)
    today = today or timezone.localdate()
    if sel.month_end(period) >= today:
        raise ValidationError({"period": [_("Charge a month when it has ended.")]}, code="open")
    billings = OperatorBilling.objects.select_related("operator", "books").order_by("operator_id")
    if operator is not None:
        billings = billings.filter(operator=operator)
    wanted = set(institutions) if institutions is not None else None
    outcomes: list[Outcome] = []
    for billing in billings:
        _require_admin(actor, billing.operator, "economics.charge.run")
        served = sel.served_in_month(billing.operator, period)
        served.pop(billing.books_id, None)  # the operator does not invoice itself
        scope = list(Institution.objects.filter(pk__in=list(served)).order_by("name", "pk"))
        if wanted is not None:
            scope = [i for i in scope if i.short_name in wanted]
        prices = sel.prices_in_force(billing.operator, period)
        counts = sel.volumes(period, [i.pk for i in scope])
        for institution in scope:
            priced = priced_lines(
                prices,
                served[institution.pk],
                {m: counts.get((institution.pk, m), 0) for m in Measure.values},
            )
            if not priced:
                outcomes.append(Outcome(institution, "nothing"))
                continue
            try:
                with transaction.atomic():
                    outcome = _issue(
                        actor=actor,
                        billing=billing,
                        institution=institution,
                        period=period,
                        priced=priced,
                        today=today,
                    )
            except LedgerError as exc:
                lines = [pl for _p, pl in priced]
                outcome = Outcome(
                    institution,
                    "refused",
                    lines=lines,
                    volumes={pl.measure: pl.volume for pl in lines},
                    reasons=[p.message for p in exc.problems],
                )
            except ValidationError as exc:
                lines = [pl for _p, pl in priced]
                outcome = Outcome(
                    institution,
                    "refused",
                    lines=lines,
                    volumes={pl.measure: pl.volume for pl in lines},
                    reasons=list(exc.messages),
                )
            outcomes.append(outcome)
    return outcomes


def charges_queue(*, actor: User | None, period: date, operator: Operator | None = None) -> None:
    """Queue charging the month (Celery, after the caller's transaction commits; eager in
    the embedded default)."""
    from faelles.economics import tasks

    actor_id = actor.pk if actor is not None else None
    operator_id = operator.pk if operator is not None else None
    month = f"{period:%Y-%m}"
    transaction.on_commit(
        lambda: tasks.charge_month_task.delay(
            month=month, operator_id=operator_id, actor_id=actor_id
        )
    )
