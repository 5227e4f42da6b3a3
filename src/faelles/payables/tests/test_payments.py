"""Payment runs: posted, due, unblocked invoices net of the vendor's credit notes; released by
a second payer (not the creator) who posted none of them into a pain.001.001.03 file; paid with
the payment entry."""

import dataclasses
import functools
import hashlib
import re
from datetime import date
from decimal import Decimal
from importlib import resources

import pytest
import xmlschema
from django.core.exceptions import ValidationError
from django.test import Client, TestCase
from django.urls import reverse
from lxml import etree

from faelles.core.models import AuditEvent
from faelles.einvoice.model import FinancialAccount, PaymentMeans
from faelles.einvoice.reader import read
from faelles.einvoice.writer import to_ubl
from faelles.payables import demo, services
from faelles.payables.models import Invoice, InvoiceState, PaymentRun
from faelles.payables.payments import (
    PAIN_NS,
    payment_run_create,
    payment_run_mark_paid,
    payment_run_release,
)
from faelles.payables.tests.factories import make_world, member
from faelles.tenancy.models import Role

pytestmark = pytest.mark.django_db

D = Decimal
GLN = "5798009811578"


@pytest.fixture
def world():
    w = make_world()
    w.payer2 = member(w.institution, Role.PAYER)  # releases what ``payer`` creates
    return w


@functools.cache
def pain001_schema() -> xmlschema.XMLSchema:
    """The published ISO 20022 pain.001.001.03 schema (generic, any currency), as shipped in
    the ``sepaxml`` package."""
    xsd = resources.files("sepaxml").joinpath("schemas/pain.001.001.03.xsd")
    with resources.as_file(xsd) as path:
        return xmlschema.XMLSchema(str(path))


def assert_valid_pain001(content: bytes) -> None:
    pain001_schema().validate(content)  # raises XMLSchemaValidationError with the reason


def cvr(seed: int) -> str:
    """An 8-digit CVR number with a valid modulus-11 check."""
    while True:
        value = f"{43000000 + seed}"
        if sum(int(d) * w for d, w in zip(value, (2, 7, 6, 5, 4, 3, 2, 1), strict=True)) % 11 == 0:
            return value
        seed += 1


def slip_vendor(no: int):
    return (f"Leverandør {no} ApS", cvr(no * 100), "", [("Kopipapir A4", "14111507", "42.50")])


def posted(
    world,
    number,
    vendor=0,
    qty="2",
    credit_note=False,
    issue=date(2026, 3, 15),
    iban=None,
    means=None,
    approve=True,
):
    v = vendor if isinstance(vendor, tuple) else demo.VENDORS[vendor]
    text, unspsc, price = v[3][0]
    content = demo._document(
        number=number,
        issue=issue,
        buyer_gln=GLN,
        buyer_name="Styrelsen",
        vendor=v,
        lines=[(text, unspsc, D(qty), D(price))],
        buyer_reference="X",
        credit_note=credit_note,
        iban=iban,
    )
    if means is not None:  # the vendor's payment details instead of the IBAN
        content = to_ubl(dataclasses.replace(read(content), payment_means=(means,)))
    invoice = services.document_receive(content=content, channel="api").invoice
    services.invoice_code(
        actor=world.receiver,
        invoice=invoice,
        allocations=[services.AllocationSpec(1, "2210", invoice.net_amount, "100", vat_code="I25")],
    )
    services.invoice_attest(actor=world.receiver, invoice=invoice)
    if not approve:
        return invoice
    services.invoice_approve(actor=world.high_approver, invoice=invoice)
    invoice.refresh_from_db()
    assert invoice.state == "posted"
    return invoice


def codes(exc):
    return sorted({e.code for errors in exc.value.error_dict.values() for e in errors})


def release(actor, run):
    """Release ``run`` and let the file task that follows the commit run (eagerly)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        payment_run_release(actor=actor, run=run)
    return PaymentRun.objects.get(pk=run.pk)


def test_a_run_pays_due_invoices_net_of_credit_notes(world):
    a1 = posted(world, "A1", qty="2")  # 2 × 42.50 + 25 % = 106.25
    a2 = posted(world, "A2", qty="4")  # 212.50
    credit = posted(world, "AC1", qty="1", credit_note=True)  # 53.13
    later = posted(world, "B1", vendor=3, issue=date(2026, 4, 20))  # due 2026-05-20
    blocked = posted(world, "A3", iban="DK3730000000000001", approve=False)
    assert blocked.payment_blocked
    # Posted before the change control existed: blocked, so left out all the same.
    legacy = posted(world, "A4", iban="DK3730000000000001", approve=False)
    Invoice.objects.filter(pk=legacy.pk).update(state=InvoiceState.POSTED)

    run = payment_run_create(
        actor=world.payer,
        institution=world.institution,
        execution_date=date(2026, 4, 30),
        debtor_iban="DK50 0040 0440 1162 43",
    )

    assert run.total == D("106.25") + D("212.50") - D("53.13")
    assert set(run.invoices.values_list("pk", flat=True)) == {a1.pk, a2.pk, credit.pk}
    assert {i.state for i in run.invoices.all()} == {InvoiceState.SCHEDULED}
    assert Invoice.objects.get(pk=later.pk).state == "posted"
    assert Invoice.objects.get(pk=blocked.pk).state == "attested"
    assert Invoice.objects.get(pk=legacy.pk).state == "posted"


def test_release_makes_a_pain001_file_and_paid_posts_the_payment(world):
    a1 = posted(world, "A1")
    posted(world, "C1", vendor=2)
    run = payment_run_create(
        actor=world.payer,
        institution=world.institution,
        execution_date=date(2026, 4, 30),
        debtor_iban="DK5000400440116243",
        debtor_bic="DABADKKK",
    )
    member(world.institution, Role.PAYER, user=world.high_approver)  # who posted them
    with pytest.raises(ValidationError) as exc:
        payment_run_release(actor=world.high_approver, run=run)
    assert codes(exc) == ["poster"]
    assert PaymentRun.objects.get(pk=run.pk).state == "draft"

    run = release(world.payer2, run)

    assert_valid_pain001(bytes(run.file))
    root = etree.fromstring(bytes(run.file))
    ns = {"p": PAIN_NS}
    assert root.tag == f"{{{PAIN_NS}}}Document"
    assert root.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:NbOfTxs", namespaces=ns) == "2"
    assert root.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:CtrlSum", namespaces=ns) == str(run.total)
    ibans = root.xpath("//p:CdtrAcct/p:Id/p:IBAN/text()", namespaces=ns)
    assert sorted(ibans) == sorted([demo.VENDORS[0][2], demo.VENDORS[2][2]])
    assert root.xpath("//p:RmtInf/p:Ustrd/text()", namespaces=ns)[0] == "A1"

    run = payment_run_mark_paid(actor=world.payer, run=run)

    assert (run.state, Invoice.objects.get(pk=a1.pk).state) == ("paid", "paid")
    lines = list(
        run.journal_entry.lines.order_by("line_no").values_list(
            "account__number", "debit", "credit"
        )
    )
    assert lines[-1] == ("5810", D("0.00"), run.total)
    assert sum(d for a, d, _c in lines if a == "9110") == run.total
    with pytest.raises(ValidationError) as exc:
        payment_run_mark_paid(actor=world.payer, run=run)
    assert codes(exc) == ["wrong_state"]


def test_only_payers_run_payments_and_empty_runs_are_refused(world):
    with pytest.raises(ValidationError) as exc:
        payment_run_create(
            actor=world.payer,
            institution=world.institution,
            execution_date=date(2026, 4, 30),
            debtor_iban="DK5000400440116243",
        )
    assert codes(exc) == ["nothing_to_pay"]
    posted(world, "A1")
    other = make_world(gln="5790000000005")
    for who, inst in ((world.bookkeeper, world.institution), (other.payer, world.institution)):
        with pytest.raises(ValidationError) as exc:
            payment_run_create(
                actor=who, institution=inst, execution_date=date(2026, 4, 30), debtor_iban="DK50"
            )
        assert codes(exc) == ["not_permitted"]
    with pytest.raises(ValidationError) as exc:
        payment_run_create(
            actor=world.payer,
            institution=world.institution,
            execution_date=date(2026, 4, 30),
            debtor_iban="DK5000400440116244",
        )
    assert codes(exc) == ["invalid_iban"]
    assert PaymentRun.objects.count() == 0


def test_payment_run_pages(world):
    posted(world, "A1")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(world.payer)
    response = client.post(
        reverse("payables:payment-run-create"),
        {"execution_date": "2026-04-30", "debtor_iban": "DK5000400440116243"},
    )
    run = PaymentRun.objects.get()
    assert response["Location"] == reverse("payables:payment-run-detail", args=[run.pk])
    assert (
        "A1" in client.get(reverse("payables:payment-run-detail", args=[run.pk])).content.decode()
    )
    refused = client.post(
        reverse("payables:payment-run-action", args=[run.pk, "release"]), follow=True
    )
    assert "You created this payment run; a second payer must release it." in (
        refused.content.decode()
    )
    assert PaymentRun.objects.get().state == "draft"
    client.force_login(world.payer2)
    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        client.post(reverse("payables:payment-run-action", args=[run.pk, "release"]))
    assert PaymentRun.objects.get().state == "released"
    # The file is made by a task after the release commits: until then the page says so.
    page = client.get(reverse("payables:payment-run-detail", args=[run.pk])).content.decode()
    assert 'id="file-pending"' in page
    assert reverse("payables:payment-run-file", args=[run.pk]) not in page
    assert client.get(reverse("payables:payment-run-file", args=[run.pk])).status_code == 404
    with TestCase.captureOnCommitCallbacks(execute=True):
        for callback in callbacks:
            callback()
    stored = PaymentRun.objects.get()
    page = client.get(reverse("payables:payment-run-detail", args=[run.pk])).content.decode()
    assert 'id="file-pending"' not in page
    assert stored.file_sha256 in page
    file = client.get(reverse("payables:payment-run-file", args=[run.pk]))
    assert file.status_code == 200 and b"CstmrCdtTrfInitn" in file.content
    assert file.content == bytes(stored.file)
    assert hashlib.sha256(file.content).hexdigest() == stored.file_sha256
    assert_valid_pain001(file.content)
    client.post(reverse("payables:payment-run-action", args=[run.pk, "paid"]))
    assert PaymentRun.objects.get().state == "paid"
    other = make_world(gln="5790000000005")
    client.force_login(other.payer)
    for name in ("payables:payment-run-detail", "payables:payment-run-file"):
        assert client.get(reverse(name, args=[run.pk])).status_code == 404
    assert (
        client.post(reverse("payables:payment-run-action", args=[run.pk, "paid"])).status_code
        == 404
    )
    client.force_login(world.requester)
    assert client.get(reverse("payables:payment-run-create")).status_code == 403


# --- domestic accounts, FIK and giro --------------------------------------------------------

FIK71_ID = "000000000000018"  # 14 digits and the modulus-10 check digit 8
FIK75_ID = "1234567890123452"
KINDS = [
    # number, payment means, payment type, PmtTpInf, creditor agent + account, remittance
    (
        "P-IBAN",
        None,
        "IBAN",
        "",
        "<CdtrAcct><Id><IBAN>DK5000400440116243</IBAN></Id></CdtrAcct>",
        "<Ustrd>P-IBAN</Ustrd>",
    ),
    (
        "P-DOM",
        PaymentMeans(
            "31", payment_id="P-DOM", account=FinancialAccount("1234567", branch_id="3000")
        ),
        "DOMESTIC",
        "",
        "<CdtrAgt><FinInstnId><ClrSysMmbId><ClrSysId><Cd>DKNCC</Cd></ClrSysId><MmbId>3000</MmbId></ClrSysMmbId></FinInstnId></CdtrAgt>"
        "{cdtr}<CdtrAcct><Id><Othr><Id>30000001234567</Id><SchmeNm><Cd>BBAN</Cd></SchmeNm></Othr></Id></CdtrAcct>",
        "<Ustrd>P-DOM</Ustrd>",
    ),
    (
        "P-71",
        PaymentMeans("93", payment_id=f"71#{FIK71_ID}", account=FinancialAccount("85012345")),
        "FIK71",
        "<PmtTpInf><LclInstrm><Prtry>71</Prtry></LclInstrm></PmtTpInf>",
        "<CdtrAcct><Id><Othr><Id>85012345</Id></Othr></Id></CdtrAcct>",
        f"<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>{FIK71_ID}</Ref></CdtrRefInf></Strd>",
    ),
    (
        "P-73",
        PaymentMeans("93", payment_id="73#", account=FinancialAccount("85012346")),
        "FIK73",
        "<PmtTpInf><LclInstrm><Prtry>73</Prtry></LclInstrm></PmtTpInf>",
        "<CdtrAcct><Id><Othr><Id>85012346</Id></Othr></Id></CdtrAcct>",
        "<Ustrd>P-73</Ustrd>",
    ),
    (
        "P-75",
        PaymentMeans("93", payment_id=f"75#{FIK75_ID}", account=FinancialAccount("85012347")),
        "FIK75",
        "<PmtTpInf><LclInstrm><Prtry>75</Prtry></LclInstrm></PmtTpInf>",
        "<CdtrAcct><Id><Othr><Id>85012347</Id></Othr></Id></CdtrAcct>",
        f"<Ustrd>P-75</Ustrd><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>{FIK75_ID}</Ref></CdtrRefInf></Strd>",
    ),
    (
        "P-01",
        PaymentMeans("50", payment_id="01#", account=FinancialAccount("1234567")),
        "GIRO01",
        "<PmtTpInf><LclInstrm><Prtry>01</Prtry></LclInstrm></PmtTpInf>",
        "<CdtrAcct><Id><Othr><Id>1234567</Id></Othr></Id></CdtrAcct>",
        "<Ustrd>P-01</Ustrd>",
    ),
    (
        "P-04",
        PaymentMeans("50", payment_id="04#1234567890123456", account=FinancialAccount("7654321")),
        "GIRO04",
        "<PmtTpInf><LclInstrm><Prtry>04</Prtry></LclInstrm></PmtTpInf>",
        "<CdtrAcct><Id><Othr><Id>7654321</Id></Othr></Id></CdtrAcct>",
        "<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>1234567890123456</Ref></CdtrRefInf></Strd>",
    ),
    (
        "P-15",
        PaymentMeans("50", payment_id="15#6543210987654321", account=FinancialAccount("76543210")),
        "GIRO15",
        "<PmtTpInf><LclInstrm><Prtry>15</Prtry></LclInstrm></PmtTpInf>",
        "<CdtrAcct><Id><Othr><Id>76543210</Id></Othr></Id></CdtrAcct>",
        "<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>6543210987654321</Ref></CdtrRefInf></Strd>",
    ),
]


def plain(element) -> str:
    """The element's XML without the pain.001 namespace declaration."""
    return etree.tostring(element, encoding="unicode").replace(f' xmlns="{PAIN_NS}"', "")


def new_run(world, execution_date=date(2026, 4, 30)):
    return payment_run_create(
        actor=world.payer,
        institution=world.institution,
        execution_date=execution_date,
        debtor_iban="DK5000400440116243",
        debtor_bic="DABADKKK",
    )


def test_every_kind_of_payee_gets_its_payment_information_block_and_the_file_validates(world):
    vendors = {}
    for no, (number, means, *_rest) in enumerate(KINDS):
        vendors[number] = 0 if means is None else slip_vendor(no)
        invoice = posted(world, number, vendor=vendors[number], means=means)
        assert (invoice.state, invoice.payment_blocked) == ("posted", False)
    run = release(world.payer2, new_run(world))

    assert_valid_pain001(bytes(run.file))
    root = etree.fromstring(bytes(run.file))
    ns = {"p": PAIN_NS}
    header = root.find("p:CstmrCdtTrfInitn/p:GrpHdr", ns)
    assert (
        header.findtext("p:NbOfTxs", namespaces=ns),
        header.findtext("p:CtrlSum", namespaces=ns),
    ) == ("8", "850.00")
    blocks = root.findall("p:CstmrCdtTrfInitn/p:PmtInf", ns)
    assert [b.findtext("p:PmtInfId", namespaces=ns) for b in blocks] == [
        f"RUN-{run.pk}-{kind[2]}" for kind in KINDS
    ]
    name = world.institution.name
    for no, (block, (number, _m, _type, tp, account, remittance)) in enumerate(
        zip(blocks, KINDS, strict=True), start=1
    ):
        vendor = demo.VENDORS[0][0] if vendors[number] == 0 else vendors[number][0]
        cdtr = f"<Cdtr><Nm>{vendor}</Nm></Cdtr>"
        account = account.replace("{cdtr}", cdtr) if "{cdtr}" in account else cdtr + account
        assert plain(block) == (
            f"<PmtInf><PmtInfId>RUN-{run.pk}-{_type}</PmtInfId><PmtMtd>TRF</PmtMtd>"
            f"<NbOfTxs>1</NbOfTxs><CtrlSum>106.25</CtrlSum>{tp}"
            f"<ReqdExctnDt>2026-04-30</ReqdExctnDt><Dbtr><Nm>{name}</Nm></Dbtr>"
            "<DbtrAcct><Id><IBAN>DK5000400440116243</IBAN></Id></DbtrAcct>"
            "<DbtrAgt><FinInstnId><BIC>DABADKKK</BIC></FinInstnId></DbtrAgt>"
            f"<CdtTrfTxInf><PmtId><EndToEndId>RUN{run.pk}-{no}</EndToEndId></PmtId>"
            '<Amt><InstdAmt Ccy="DKK">106.25</InstdAmt></Amt>'
            f"{account}<RmtInf>{remittance}</RmtInf></CdtTrfTxInf></PmtInf>"
        ), number

    run = payment_run_mark_paid(actor=world.payer, run=run)
    lines = list(
        run.journal_entry.lines.order_by("line_no").values_list(
            "account__number", "debit", "credit"
        )
    )
    assert lines == [("9110", D("106.25"), D("0.00"))] * 8 + [("5810", D("0.00"), D("850.00"))]


def test_each_invoice_with_a_payment_id_is_its_own_transfer_and_credit_notes_wait(world):
    vendor = slip_vendor(1)
    fik = PaymentMeans("93", payment_id=f"71#{FIK71_ID}", account=FinancialAccount("85012345"))
    second_id = "00000000000002" + "6"
    one = posted(world, "F1", vendor=vendor, means=fik)
    two = posted(
        world, "F2", vendor=vendor, means=dataclasses.replace(fik, payment_id=f"71#{second_id}")
    )
    credit = posted(world, "FC1", vendor=vendor, qty="1", credit_note=True, means=fik)
    assert not two.payment_blocked  # same creditor number: the same vendor master

    run = release(world.payer2, new_run(world))

    assert_valid_pain001(bytes(run.file))
    assert run.total == D("212.50")
    assert set(run.invoices.values_list("pk", flat=True)) == {one.pk, two.pk}
    assert Invoice.objects.get(pk=credit.pk).state == "posted"
    root = etree.fromstring(bytes(run.file))
    refs = root.xpath("//p:CdtrRefInf/p:Ref/text()", namespaces={"p": PAIN_NS})
    assert refs == [FIK71_ID, second_id]


def test_an_invoice_with_a_wrong_fik_check_digit_is_refused_and_nothing_changes(world):
    bad = posted(
        world,
        "X1",
        vendor=slip_vendor(2),
        means=PaymentMeans(
            "93", payment_id="71#000000000000017", account=FinancialAccount("85012345")
        ),
    )
    events = AuditEvent.objects.count()

    with pytest.raises(ValidationError) as exc:
        new_run(world)

    assert [
        (e.code, e.message % (e.params or {})) for e in exc.value.error_dict["payment_means"]
    ] == [
        (
            "invalid_check_digit",
            "X1 (Leverandør 2 ApS): The check digit of payment id 000000000000017 is wrong "
            "(modulus 10: expected 8).",
        )
    ]
    assert PaymentRun.objects.count() == 0
    assert Invoice.objects.get(pk=bad.pk).state == "posted"
    assert AuditEvent.objects.count() == events


def test_a_run_leaves_out_invoices_it_cannot_pay_and_the_pages_say_why(world):
    good = posted(
        world,
        "G1",
        vendor=slip_vendor(3),
        means=PaymentMeans(
            "31", payment_id="G1", account=FinancialAccount("1234567", branch_id="3000")
        ),
    )
    bad = posted(
        world,
        "B1",
        vendor=slip_vendor(4),
        means=PaymentMeans(
            "31", payment_id="B1", account=FinancialAccount("1234567", branch_id="3000")
        ),
    )
    Invoice.objects.filter(pk=bad.pk).update(
        payment_means=[
            {"code": "31", "kind": "dk_account", "reg": "3000", "account": "12345678901"}
        ]
    )

    run = new_run(world)

    assert list(run.invoices.values_list("pk", flat=True)) == [good.pk]
    event = AuditEvent.objects.filter(action="payables.payment_run.created").get()
    assert event.details["left_out"] == [{"invoice": bad.pk, "code": "invalid_account"}]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(world.payer)
    page = client.get(reverse("payables:payment-run-detail", args=[run.pk])).content.decode()
    assert re.search(r'<td class="payee">Account 3000 0001234567</td>', page)
    assert "The account number 12345678901 must be 1 to 10 digits." in page
    assert_valid_pain001(bytes(release(world.payer2, run).file))
    other = make_world(gln="5790000000005")
    client.force_login(other.payer)
    assert client.get(reverse("payables:payment-run-detail", args=[run.pk])).status_code == 404


def test_the_schema_check_is_live_and_takes_danish_kroner(world):
    posted(world, "A1")
    content = bytes(release(world.payer2, new_run(world)).file)
    assert b'Ccy="DKK"' in content
    assert_valid_pain001(content)
    with pytest.raises(xmlschema.XMLSchemaValidationError):
        assert_valid_pain001(content.replace(b"<PmtMtd>TRF</PmtMtd>", b"<PmtMtd>XXX</PmtMtd>"))
    with pytest.raises(xmlschema.XMLSchemaValidationError):
        assert_valid_pain001(content.replace(b'Ccy="DKK"', b'Ccy="dkk"'))


# --- a second payer releases ------------------------------------------------------------------


def test_one_person_cannot_create_and_release_a_run_and_the_attempt_is_audited(world):
    posted(world, "A1")
    run = new_run(world)  # created by world.payer
    events = AuditEvent.objects.count()

    with pytest.raises(ValidationError) as exc:
        payment_run_release(actor=world.payer, run=run)

    assert codes(exc) == ["creator"]
    assert exc.value.message_dict == {
        "actor": ["You created this payment run; a second payer must release it."]
    }
    run.refresh_from_db()
    assert (run.state, run.file, run.released_by) == ("draft", None, None)
    assert run.creator_ids == [world.payer.pk]
    assert AuditEvent.objects.count() == events + 1
    refusal = AuditEvent.objects.get(action="payables.payment_run.release.refused")
    assert (refusal.actor_id, refusal.object_id) == (world.payer.pk, str(run.pk))
    assert refusal.details == {
        "code": "creator",
        "reason": "You created this payment run; a second payer must release it.",
        "created_by": world.payer.pk,
        "total": str(run.total),
    }

    released = payment_run_release(actor=world.payer2, run=run)

    assert (released.state, released.released_by) == ("released", world.payer2)
    assert AuditEvent.objects.filter(action="payables.payment_run.released").count() == 1


def test_the_creators_substitute_and_principal_cannot_release_either(world):
    from datetime import timedelta

    from django.utils import timezone

    from faelles.tenancy.models import Delegation

    posted(world, "A1")
    substitute = member(world.institution, Role.REQUESTER)  # no payer role of their own
    today = timezone.localdate()
    Delegation.objects.create(
        institution=world.institution,
        principal=world.payer,
        substitute=substitute,
        valid_from=today - timedelta(days=1),
        valid_to=today + timedelta(days=1),
    )
    first = new_run(world)  # by the principal
    with pytest.raises(ValidationError) as exc:
        payment_run_release(actor=substitute, run=first)
    assert codes(exc) == ["creator"]
    payment_run_release(actor=world.payer2, run=first)

    posted(world, "A2")
    second = payment_run_create(
        actor=substitute,
        institution=world.institution,
        execution_date=date(2026, 4, 30),
        debtor_iban="DK5000400440116243",
    )
    assert sorted(second.creator_ids) == sorted([world.payer.pk, substitute.pk])
    with pytest.raises(ValidationError) as exc:
        payment_run_release(actor=world.payer, run=second)
    assert codes(exc) == ["creator"]
    assert PaymentRun.objects.get(pk=second.pk).state == "draft"
    assert AuditEvent.objects.filter(action="payables.payment_run.release.refused").count() == 2
    assert payment_run_release(actor=world.payer2, run=second).state == "released"


def test_a_second_run_for_the_same_date_is_refused_while_the_draft_holds_the_invoices(world):
    posted(world, "A1")
    run = new_run(world)
    with pytest.raises(ValidationError) as exc:
        new_run(world)
    assert codes(exc) == ["draft_run_exists"]
    assert exc.value.message_dict == {
        "execution_date": [
            f"There is already a draft payment run (no. {run.pk}) for 2026-04-30 with the "
            "invoices to pay; no invoices are left for another run."
        ]
    }
    assert PaymentRun.objects.count() == 1


def test_an_invoice_to_an_account_with_a_pending_change_is_left_out_of_runs(world):
    paid_to_old = posted(world, "A1")
    # The vendor's old account comes back while another one is master: a pending change, and
    # the invoice that is unblocked (the account was once the master) waits for it.
    change = services.vendor_bank_change_request(
        actor=world.receiver,
        vendor=paid_to_old.vendor,
        payment_means=[{"kind": "iban", "iban": "DK3730000000000001"}],
    )
    services.vendor_bank_change_confirm(actor=world.bookkeeper, change=change)
    back = services.vendor_bank_change_request(
        actor=world.receiver, vendor=paid_to_old.vendor, payment_means=paid_to_old.payment_means
    )
    assert back.state == "requested"

    with pytest.raises(ValidationError) as exc:
        new_run(world)

    assert codes(exc) == ["bank_change_pending"]
    assert PaymentRun.objects.count() == 0
    assert Invoice.objects.get(pk=paid_to_old.pk).state == "posted"
