"""The common chart of accounts and VAT codes that institutions adopt.

Modelled on the state's standard chart of accounts (Statens standardkontoplan): account
numbers whose first two digits give the class — 10–29 operating items, 30–49 transfers,
50–69 assets, 70–99 liabilities and equity. Two-digit accounts are non-postable sum accounts;
four-digit accounts beneath them are the postable common accounts; institutions add local
accounts beneath a common account (its number plus two digits). The selection below covers
what the platform's modules post to; names are Danish as in the state's chart.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class TemplateAccount:
    number: str
    name: str
    type: str
    postable: bool = True
    requires_org_unit: bool = False
    requires_purpose: bool = False
    vat_code: str = ""


def _sum(number: str, name: str, type_: str) -> TemplateAccount:
    return TemplateAccount(number, name, type_, postable=False)


def _cost(number: str, name: str, vat: str = "") -> TemplateAccount:
    return TemplateAccount(number, name, "expense", requires_org_unit=True, vat_code=vat)


COMMON_CHART: tuple[TemplateAccount, ...] = (
    # Operating items (10–29)
    _sum("11", "Salg af varer og tjenesteydelser", "income"),
    TemplateAccount("1110", "Salg af varer", "income", vat_code="U25"),
    TemplateAccount("1120", "Salg af tjenesteydelser", "income", vat_code="U25"),
    _sum("12", "Gebyrer og brugerbetaling", "income"),
    TemplateAccount("1210", "Gebyrindtægter", "income"),
    _sum("15", "Vareforbrug", "expense"),
    _cost("1510", "Vareforbrug", "I25"),
    _sum("16", "Husleje, leje af arealer og leasing", "expense"),
    _cost("1610", "Husleje", "I25"),
    _cost("1620", "Leje af arealer og lokaler", "I25"),
    _cost("1630", "Leasing", "I25"),
    _sum("18", "Lønninger og personaleomkostninger", "expense"),
    _cost("1811", "Lønninger"),
    _cost("1816", "Feriepenge og særlig feriegodtgørelse"),
    _cost("1818", "Over- og merarbejde"),
    _cost("1881", "Pensionsbidrag"),
    _cost("1882", "ATP-bidrag"),
    _cost("1890", "Personaleomkostninger i øvrigt", "I25"),
    _sum("20", "Af- og nedskrivninger", "expense"),
    _cost("2010", "Afskrivninger"),
    _sum("21", "Andre driftsindtægter", "income"),
    TemplateAccount("2110", "Andre driftsindtægter", "income"),
    _sum("22", "Andre ordinære driftsomkostninger", "expense"),
    _cost("2210", "Kontorartikler og forbrugsvarer", "I25"),
    _cost("2220", "IT-drift og licenser", "I25"),
    _cost("2230", "Konsulentydelser", "I25"),
    _cost("2240", "Rejser og transport", "I25"),
    _cost("2250", "Kurser og uddannelse", "I25"),
    _cost("2260", "El, vand og varme", "I25"),
    _cost("2270", "Rengøring og vedligeholdelse", "I25"),
    _cost("2290", "Andre driftsomkostninger", "I25"),
    _sum("25", "Finansielle indtægter", "income"),
    TemplateAccount("2510", "Renteindtægter", "income"),
    _sum("26", "Finansielle omkostninger", "expense"),
    TemplateAccount("2610", "Renteudgifter", "expense"),
    TemplateAccount("2620", "Kursregulering", "expense"),
    # Transfers (30–49)
    _sum("30", "Skatter og afgifter", "transfer"),
    TemplateAccount("3010", "Skatter og afgifter", "transfer"),
    _sum("42", "Overførsler til personer", "transfer"),
    TemplateAccount("4210", "Tilskud til personer", "transfer", requires_purpose=True),
    _sum("44", "Tilskud til erhverv og organisationer", "transfer"),
    TemplateAccount("4410", "Tilskud til erhverv", "transfer", requires_purpose=True),
    TemplateAccount("4420", "Tilskud til organisationer", "transfer", requires_purpose=True),
    # Assets (50–69)
    _sum("52", "Materielle anlægsaktiver", "asset"),
    TemplateAccount("5210", "Grunde og bygninger", "asset"),
    TemplateAccount("5230", "Inventar og IT-udstyr", "asset"),
    _sum("56", "Tilgodehavender", "asset"),
    TemplateAccount("5610", "Tilgodehavender fra salg", "asset"),
    TemplateAccount("5620", "Købsmoms", "asset"),
    TemplateAccount("5630", "Forudbetalinger", "asset"),
    _sum("58", "Likvide beholdninger", "asset"),
    TemplateAccount("5810", "Bankkonto", "asset"),
    TemplateAccount("5820", "Mellemregning med Finansministeriet", "asset"),
    # Liabilities and equity (70–99)
    _sum("71", "Egenkapital", "equity"),
    TemplateAccount("7110", "Overført overskud", "equity"),
    _sum("72", "Hensatte forpligtelser", "liability"),
    TemplateAccount("7210", "Hensatte forpligtelser", "liability"),
    _sum("91", "Kortfristet gæld", "liability"),
    TemplateAccount("9110", "Leverandører af varer og tjenesteydelser", "liability"),
    TemplateAccount("9120", "Salgsmoms", "liability"),
    TemplateAccount("9125", "Moms af varekøb i udlandet (omvendt betalingspligt)", "liability"),
    TemplateAccount("9130", "Skyldig A-skat og AM-bidrag", "liability"),
    TemplateAccount("9140", "Skyldig ATP", "liability"),
    TemplateAccount("9150", "Skyldig pension", "liability"),
    TemplateAccount("9160", "Skyldig nettoløn", "liability"),
    TemplateAccount("9170", "Skyldige feriepenge", "liability"),
    TemplateAccount("9190", "Anden kortfristet gæld", "liability"),
)


@dataclass(frozen=True, slots=True)
class TemplateVatCode:
    code: str
    name: str
    kind: str
    rate: Decimal
    input_account: str = ""
    output_account: str = ""


COMMON_VAT_CODES: tuple[TemplateVatCode, ...] = (
    TemplateVatCode("I25", "Købsmoms 25 %", "purchase", Decimal("25.00"), input_account="5620"),
    TemplateVatCode("U25", "Salgsmoms 25 %", "sales", Decimal("25.00"), output_account="9120"),
    TemplateVatCode(
        "RC25",
        "Omvendt betalingspligt 25 %",
        "reverse_charge",
        Decimal("25.00"),
        input_account="5620",
        output_account="9125",
    ),
    TemplateVatCode("E0", "Momsfri", "exempt", Decimal("0.00")),
)
