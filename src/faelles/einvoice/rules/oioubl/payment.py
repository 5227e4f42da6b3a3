"""OIOUBL common rules for payment means (per PaymentMeansCode) and payment terms."""

from __future__ import annotations

from faelles.einvoice.rules.oioubl.nodes import (
    Doc,
    El,
    cac,
    cbc,
    eq,
    excluded,
    exclusions,
    fs,
    kids,
    matches,
    nb,
    ne,
    norm,
    nstr,
    num,
    p,
)

_PAYMENT_MEANS_CHECK_EXCLUDED = exclusions(
    (
        "cac:PayerFinancialAccount/cac:FinancialInstitutionBranch/cac:Address",
        "F-LIB151",
        "[F-LIB151] Address class must be excluded",
    ),
    (
        "cac:PayerFinancialAccount/cac:Country",
        "F-LIB162",
        "[F-LIB162] Country class must be excluded",
    ),
    (
        "cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cac:FinancialInstitution/cac:Address",
        "F-LIB243",
        "[F-LIB243] Address class must be excluded",
    ),
    (
        "cac:PayeeFinancialAccount/cac:Country",
        "F-LIB244",
        "[F-LIB244] Country class must be excluded",
    ),
)


def payment_means_check(e: El, d: Doc) -> None:
    """Abstract rule PaymentMeansCheck."""
    k = kids(e)
    payer_financial_account_account_type_code = p(
        e, "cac:PayerFinancialAccount/cbc:AccountTypeCode"
    )
    payee_financial_account_account_type_code = p(
        e, "cac:PayeeFinancialAccount/cbc:AccountTypeCode"
    )
    # extends CardAccountCheck: not defined in the published rules
    excluded(e, d, _PAYMENT_MEANS_CHECK_EXCLUDED)
    if not (
        (
            (
                (
                    (
                        (
                            (
                                (
                                    (
                                        (
                                            (
                                                eq(k[cbc.PaymentMeansCode], "1")
                                                or eq(k[cbc.PaymentMeansCode], "10")
                                            )
                                            or eq(k[cbc.PaymentMeansCode], "20")
                                        )
                                        or eq(k[cbc.PaymentMeansCode], "31")
                                    )
                                    or eq(k[cbc.PaymentMeansCode], "42")
                                )
                                or eq(k[cbc.PaymentMeansCode], "48")
                            )
                            or eq(k[cbc.PaymentMeansCode], "49")
                        )
                        or eq(k[cbc.PaymentMeansCode], "50")
                    )
                    or eq(k[cbc.PaymentMeansCode], "58")
                )
                or eq(k[cbc.PaymentMeansCode], "59")
            )
            or eq(k[cbc.PaymentMeansCode], "93")
        )
        or eq(k[cbc.PaymentMeansCode], "97")
    ):
        d.fail(
            e, "F-LIB100", "[F-LIB100] Invalid PaymentMeansCode. Must be a value from the codelist"
        )
    if (len(p(e, "../cac:PaymentMeans")) > 1) and not ne(k[cbc.ID], ""):
        d.fail(
            e,
            "W-LIB241",
            "[W-LIB241] PaymentMeans/ID should be used when more than one instance of the PaymentMeans class is present.",
        )
    if bool(payer_financial_account_account_type_code) and not eq(
        p(e, "cac:PayerFinancialAccount/cbc:AccountTypeCode/@listID"),
        "urn:oioubl:codelist:accounttypecode-1.1",
    ):
        d.fail(
            e,
            "F-LIB105",
            "[F-LIB105] Invalid listID. Must be 'urn:oioubl:codelist:accounttypecode-1.1'",
        )
    if bool(payer_financial_account_account_type_code) and not eq(
        p(e, "cac:PayerFinancialAccount/cbc:AccountTypeCode/@listAgencyID"), "320"
    ):
        d.fail(e, "W-LIB121", "[W-LIB121] Invalid listAgencyID. Must be '320'")
    if bool(payee_financial_account_account_type_code) and not eq(
        p(e, "cac:PayeeFinancialAccount/cbc:AccountTypeCode/@listID"),
        "urn:oioubl:codelist:accounttypecode-1.1",
    ):
        d.fail(
            e,
            "F-LIB136",
            "[F-LIB136] Invalid listID. Must be 'urn:oioubl:codelist:accounttypecode-1.1'",
        )
    if bool(payee_financial_account_account_type_code) and not eq(
        p(e, "cac:PayeeFinancialAccount/cbc:AccountTypeCode/@listAgencyID"), "320"
    ):
        d.fail(e, "W-LIB141", "[W-LIB141] Invalid listAgencyID. Must be '320'")


def payment_means_code31_check(e: El, d: Doc) -> None:
    """Abstract rule PaymentMeansCode31Check."""
    k = kids(e)
    payment_means_code_is_31 = eq(k[cbc.PaymentMeansCode], "31")
    if not payment_means_code_is_31:
        return
    payee_financial_account_id = p(e, "cac:PayeeFinancialAccount/cbc:ID")
    payee_financial_account_financial_institution_branch_id = p(
        e, "cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID"
    )
    payment_channel_code_is_iban = eq(k[cbc.PaymentChannelCode], "IBAN")
    payment_channel_code_is_zzz = eq(k[cbc.PaymentChannelCode], "ZZZ")
    if payment_means_code_is_31 and bool(k[cbc.InstructionNote]):
        d.fail(
            e, "F-LIB103", "[F-LIB103] PaymentMeansCode = 31, InstructionNote element not allowed"
        )
    if payment_means_code_is_31 and not eq(
        p(e, "cbc:PaymentChannelCode/@listID"), "urn:oioubl:codelist:paymentchannelcode-1.1"
    ):
        d.fail(
            e,
            "F-LIB106",
            "[F-LIB106] PaymentMeansCode = 31, Invalid listID. Must be 'urn:oioubl:codelist:paymentchannelcode-1.1'",
        )
    if payment_means_code_is_31 and not bool(payee_financial_account_id):
        d.fail(e, "F-LIB107", "[F-LIB107] PaymentMeansCode = 31, ID element is mandatory")
    if payment_means_code_is_31 and not (
        payment_channel_code_is_iban or payment_channel_code_is_zzz
    ):
        d.fail(
            e,
            "F-LIB109",
            "[F-LIB109] PaymentMeansCode = 31, PaymentChannelCode must equal IBAN or ZZZ",
        )
    if payment_means_code_is_31 and (
        len(fs(p(e, "cac:PayerFinancialAccount/cbc:PaymentNote"))) > 20
    ):
        d.fail(
            e,
            "F-LIB110",
            "[F-LIB110] PaymentMeansCode = 31, PaymentNote must be no more than 20 characters",
        )
    if payment_means_code_is_31 and (
        len(fs(p(e, "cac:PayeeFinancialAccount/cbc:PaymentNote"))) > 20
    ):
        d.fail(
            e,
            "F-LIB111",
            "[F-LIB111] PaymentMeansCode = 31, PaymentNote must be no more than 20 characters",
        )
    if payment_means_code_is_31 and (len(fs(p(e, "cac:CreditAccount/cbc:AccountID"))) > 8):
        d.fail(
            e,
            "F-LIB112",
            "[F-LIB112] PaymentMeansCode = 31, AccountID must be no more than 8 characters",
        )
    if (payment_means_code_is_31 and payment_channel_code_is_iban) and bool(
        payee_financial_account_financial_institution_branch_id
    ):
        d.fail(
            e,
            "F-LIB108",
            "[F-LIB108] PaymentMeansCode = 31, FinancialInstitutionBranch/ID (Registreringsnummer) element is not used, when PaymentChannelCode equals IBAN",
        )
    if (payment_means_code_is_31 and payment_channel_code_is_iban) and not bool(
        p(
            e,
            "cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cac:FinancialInstitution/cbc:ID",
        )
    ):
        d.fail(e, "F-LIB113", "[F-LIB113] PaymentMeansCode = 31, ID element is mandatory")
    if (payment_means_code_is_31 and payment_channel_code_is_iban) and (
        len(fs(payee_financial_account_id)) > 34
    ):
        d.fail(
            e,
            "F-LIB114",
            "[F-LIB114] PaymentMeansCode = 31, Account ID must be no more than 34 characters",
        )
    if (payment_means_code_is_31 and payment_channel_code_is_iban) and (
        len(fs(payee_financial_account_id)) < 1
    ):
        d.fail(
            e, "F-LIB115", "[F-LIB115] PaymentMeansCode = 31, Account ID must must not be empty."
        )
    if (payment_means_code_is_31 and payment_channel_code_is_zzz) and not bool(
        payee_financial_account_financial_institution_branch_id
    ):
        d.fail(
            e,
            "F-LIB276",
            "[F-LIB276] PaymentMeansCode = 31, FinancialInstitutionBranch/ID (Registreringsnummer) element is mandatory, when PaymentChannelCode equals ZZZ",
        )
    if (payment_means_code_is_31 and payment_channel_code_is_zzz) and not bool(
        p(e, "cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:Name")
    ):
        d.fail(
            e,
            "F-LIB116",
            "[F-LIB116] PaymentMeansCode = 31, FinancialInstitutionBranch/Name element is mandatory",
        )
    if (payment_means_code_is_31 and payment_channel_code_is_zzz) and not bool(
        p(e, "cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cac:Address")
    ):
        d.fail(
            e,
            "F-LIB117",
            "[F-LIB117] PaymentMeansCode = 31, FinancialInstitutionBranch/Address class is mandatory",
        )


def payment_means_code42_check(e: El, d: Doc) -> None:
    """Abstract rule PaymentMeansCode42Check."""
    k = kids(e)
    payment_means_code_is_42 = eq(k[cbc.PaymentMeansCode], "42")
    if not payment_means_code_is_42:
        return
    payer_financial_account_financial_institution_branch_id = p(
        e, "cac:PayerFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID"
    )
    payee_financial_account_id = p(e, "cac:PayeeFinancialAccount/cbc:ID")
    payee_financial_account_financial_institution_branch_id = p(
        e, "cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID"
    )
    if payment_means_code_is_42 and bool(k[cac.CreditAccount]):
        d.fail(e, "F-LIB122", "[F-LIB122] PaymentMeansCode = 42, CreditAccount class not allowed")
    if payment_means_code_is_42 and bool(k[cbc.InstructionNote]):
        d.fail(
            e, "F-LIB119", "[F-LIB119] PaymentMeansCode = 42, InstructionNote element not allowed"
        )
    if payment_means_code_is_42 and not eq(
        p(e, "cbc:PaymentChannelCode/@listID"), "urn:oioubl:codelist:paymentchannelcode-1.1"
    ):
        d.fail(
            e,
            "F-LIB123",
            "[F-LIB123] PaymentMeansCode = 42, Invalid listID. Must be 'urn:oioubl:codelist:paymentchannelcode-1.1'",
        )
    if payment_means_code_is_42 and ne(k[cbc.PaymentChannelCode], "DK:BANK"):
        d.fail(
            e, "F-LIB128", "[F-LIB128] PaymentMeansCode = 42, PaymentChannelCode must equal DK:BANK"
        )
    if payment_means_code_is_42 and (
        len(fs(p(e, "cac:PayerFinancialAccount/cbc:PaymentNote"))) > 20
    ):
        d.fail(
            e,
            "F-LIB129",
            "[F-LIB129] PaymentMeansCode = 42, PaymentNote must be no more than 20 characters",
        )
    if payment_means_code_is_42 and (
        len(fs(p(e, "cac:PayeeFinancialAccount/cbc:PaymentNote"))) > 20
    ):
        d.fail(
            e,
            "F-LIB133",
            "[F-LIB133] PaymentMeansCode = 42, PaymentNote must be no more than 20 characters",
        )
    if (
        payment_means_code_is_42
        and bool(p(e, "cac:PayerFinancialAccount/cac:FinancialInstitutionBranch"))
    ) and not bool(payer_financial_account_financial_institution_branch_id):
        d.fail(
            e,
            "F-LIB124",
            "[F-LIB124] PaymentMeansCode = 42, FinancialInstitutionBranch/ID (Registreringsnummer) element is mandatory",
        )
    if payment_means_code_is_42 and not bool(k[cac.PayeeFinancialAccount]):
        d.fail(
            e,
            "F-LIB125",
            "[F-LIB125] PaymentMeansCode = 42, PayeeFinancialAccount class is mandatory",
        )
    if payment_means_code_is_42 and not bool(payee_financial_account_id):
        d.fail(e, "F-LIB126", "[F-LIB126] PaymentMeansCode = 42, Account ID element is mandatory")
    if payment_means_code_is_42 and not bool(
        payee_financial_account_financial_institution_branch_id
    ):
        d.fail(
            e,
            "F-LIB127",
            "[F-LIB127] PaymentMeansCode = 42, FinancialInstitutionBranch/ID (Registreringsnummer) element is mandatory",
        )
    if payment_means_code_is_42 and (
        len(fs(payer_financial_account_financial_institution_branch_id)) > 4
    ):
        d.fail(
            e,
            "F-LIB130",
            "[F-LIB130] PaymentMeansCode = 42, FinancialInstitutionBranch/ID (Registreringsnummer) must be no more than 4 numerical characters",
        )
    if payment_means_code_is_42 and (len(fs(payee_financial_account_id)) > 10):
        d.fail(
            e,
            "F-LIB131",
            "[F-LIB131] PaymentMeansCode = 42, Account ID must be no more than 10 characters",
        )
    if payment_means_code_is_42 and (
        len(fs(payee_financial_account_financial_institution_branch_id)) > 4
    ):
        d.fail(
            e,
            "F-LIB132",
            "[F-LIB132] PaymentMeansCode = 42, FinancialInstitutionBranch/ID (Registreringsnummer) must be no more than 4 numerical characters",
        )
    if payment_means_code_is_42 and not nb(
        num(fs(payee_financial_account_financial_institution_branch_id))
    ):
        d.fail(
            e,
            "F-LIB311",
            "[F-LIB311] FinancialInstitutionBranch/ID (Registreringsnummer) must contain a numerical value",
        )


def payment_means_code48_check(e: El, d: Doc) -> None:
    """Abstract rule PaymentMeansCode48Check."""
    k = kids(e)
    payment_means_code_is_48 = eq(k[cbc.PaymentMeansCode], "48")
    if not payment_means_code_is_48:
        return
    if payment_means_code_is_48 and bool(k[cbc.PaymentChannelCode]):
        d.fail(
            e,
            "F-LIB365",
            "[F-LIB365] When PaymentMeansCode is '48', PaymentChannelCode class must be excluded",
        )
    if payment_means_code_is_48 and bool(k[cbc.InstructionID]):
        d.fail(
            e,
            "F-LIB366",
            "[F-LIB366] When PaymentMeansCode is '48', InstructionID class must be excluded",
        )
    if payment_means_code_is_48 and bool(k[cbc.InstructionNote]):
        d.fail(
            e,
            "F-LIB367",
            "[F-LIB367] When PaymentMeansCode is '48', InstructionNote class must be excluded",
        )
    if payment_means_code_is_48 and bool(k[cac.PayerFinancialAccount]):
        d.fail(
            e,
            "F-LIB368",
            "[F-LIB368] When PaymentMeansCode is '48', PayerFinancialAccount class must be excluded",
        )
    if payment_means_code_is_48 and bool(k[cac.PayeeFinancialAccount]):
        d.fail(
            e,
            "F-LIB369",
            "[F-LIB369] When PaymentMeansCode is '48', PayeeFinancialAccount class must be excluded",
        )
    if payment_means_code_is_48 and bool(k[cac.CreditAccount]):
        d.fail(
            e,
            "F-LIB370",
            "[F-LIB370] When PaymentMeansCode is '48', CreditAccount class must be excluded",
        )
    if payment_means_code_is_48 and not bool(k[cac.CardAccount]):
        d.fail(
            e,
            "F-LIB342",
            "[F-LIB342] When PaymentMeansCode is '48', the CardAccount class must be used",
        )
    if payment_means_code_is_48 and bool(p(e, "cac:CardAccount/cbc:CardTypeCode")):
        d.fail(
            e,
            "F-LIB343",
            "[F-LIB343] When PaymentMeansCode is '48', CardAccount/CardTypeCode class must be excluded",
        )
    if payment_means_code_is_48 and bool(p(e, "cac:CardAccount/cbc:ValidityStartDate")):
        d.fail(
            e,
            "F-LIB344",
            "[F-LIB344] When PaymentMeansCode is '48', CardAccount/ValidityStartDate class must be excluded",
        )
    if payment_means_code_is_48 and bool(p(e, "cac:CardAccount/cbc:ExpiryDate")):
        d.fail(
            e,
            "F-LIB345",
            "[F-LIB345] When PaymentMeansCode is '48', CardAccount/ExpiryDate class must be excluded",
        )
    if payment_means_code_is_48 and bool(p(e, "cac:CardAccount/cbc:IssuerID")):
        d.fail(
            e,
            "F-LIB346",
            "[F-LIB346] When PaymentMeansCode is '48', CardAccount/IssuerID class must be excluded",
        )
    if payment_means_code_is_48 and bool(p(e, "cac:CardAccount/cbc:IssueNumberID")):
        d.fail(
            e,
            "F-LIB347",
            "[F-LIB347] When PaymentMeansCode is '48', CardAccount/IssueNumberID class must be excluded",
        )
    if payment_means_code_is_48 and bool(p(e, "cac:CardAccount/cbc:CV2ID")):
        d.fail(
            e,
            "F-LIB348",
            "[F-LIB348] When PaymentMeansCode is '48', CardAccount/CV2ID class must be excluded",
        )
    if payment_means_code_is_48 and bool(p(e, "cac:CardAccount/cbc:CardChipCode")):
        d.fail(
            e,
            "F-LIB349",
            "[F-LIB349] When PaymentMeansCode is '48', CardAccount/CardChipCode class must be excluded",
        )
    if payment_means_code_is_48 and bool(p(e, "cac:CardAccount/cbc:ChipApplicationID")):
        d.fail(
            e,
            "F-LIB350",
            "[F-LIB350] When PaymentMeansCode is '48', CardAccount/ChipApplicationID class must be excluded",
        )


def payment_means_code49_check(e: El, d: Doc) -> None:
    """Abstract rule PaymentMeansCode49Check."""
    k = kids(e)
    payment_means_code_is_49 = eq(k[cbc.PaymentMeansCode], "49")
    if not payment_means_code_is_49:
        return
    payer_financial_account_id = p(e, "cac:PayerFinancialAccount/cbc:ID")
    payer_financial_account_financial_institution_branch_id = p(
        e, "cac:PayerFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID"
    )
    payment_channel_code_is_iban = eq(k[cbc.PaymentChannelCode], "IBAN")
    payment_channel_code_is_dk_bank = eq(k[cbc.PaymentChannelCode], "DK:BANK")
    if payment_means_code_is_49 and bool(k[cbc.InstructionNote]):
        d.fail(
            e, "F-LIB135", "[F-LIB135] PaymentMeansCode = 49, InstructionNote element not allowed"
        )
    if payment_means_code_is_49 and bool(k[cac.CreditAccount]):
        d.fail(e, "F-LIB137", "[F-LIB137] PaymentMeansCode = 49, CreditAccount class not allowed")
    if (payment_means_code_is_49 and bool(k[cbc.PaymentChannelCode])) and bool(
        k[cbc.InstructionID]
    ):
        d.fail(
            e,
            "F-LIB134",
            "[F-LIB134] PaymentMeansCode = 49, Use either PaymentChannelCode or InstructionID element",
        )
    if payment_means_code_is_49 and (
        len(fs(p(e, "cac:PayerFinancialAccount/cbc:PaymentNote"))) > 20
    ):
        d.fail(
            e,
            "F-LIB288",
            "[F-LIB288] PaymentMeansCode = 49, PaymentNote must be no more than 20 characters",
        )
    if (payment_means_code_is_49 and bool(k[cbc.PaymentChannelCode])) and not (
        payment_channel_code_is_iban or payment_channel_code_is_dk_bank
    ):
        d.fail(
            e,
            "F-LIB289",
            "[F-LIB289] PaymentMeansCode = 49, If present, PaymentChannelCode must equal IBAN or DK:BANK",
        )
    if payment_means_code_is_49 and (len(fs(k[cbc.InstructionID])) > 60):
        d.fail(
            e,
            "F-LIB140",
            "[F-LIB140] PaymentMeansCode = 49, InstructionID must be no more than 60 characters",
        )
    if (payment_means_code_is_49 and payment_channel_code_is_dk_bank) and (
        len(fs(payer_financial_account_id)) != 10
    ):
        d.fail(
            e,
            "F-LIB290",
            "[F-LIB290] PaymentMeansCode = 49, For DK:BANK, Account ID must be 10 characters",
        )
    if (payment_means_code_is_49 and payment_channel_code_is_dk_bank) and (
        len(fs(payer_financial_account_financial_institution_branch_id)) != 4
    ):
        d.fail(
            e,
            "F-LIB291",
            "[F-LIB291] PaymentMeansCode = 49, For DK:BANK, FinancialInstitutionBranch/ID (Registreringsnummer) must be 4 numerical characters",
        )
    if (payment_means_code_is_49 and payment_channel_code_is_iban) and (
        len(fs(payer_financial_account_id)) > 34
    ):
        d.fail(
            e,
            "F-LIB292",
            "[F-LIB292] PaymentMeansCode = 49, For IBAN, Account ID must be no more than 34 characters",
        )
    if (payment_means_code_is_49 and payment_channel_code_is_iban) and (
        len(fs(payer_financial_account_id)) < 18
    ):
        d.fail(
            e,
            "F-LIB293",
            "[F-LIB293] PaymentMeansCode = 49, For IBAN, Account ID must be at least 18 characters",
        )
    if (payment_means_code_is_49 and payment_channel_code_is_iban) and bool(
        payer_financial_account_financial_institution_branch_id
    ):
        d.fail(
            e,
            "F-LIB294",
            "[F-LIB294] PaymentMeansCode = 49, FinancialInstitutionBranch/ID (Registreringsnummer) element is not used, when PaymentChannelCode equals IBAN",
        )
    if (payment_means_code_is_49 and payment_channel_code_is_iban) and not bool(
        p(
            e,
            "cac:PayerFinancialAccount/cac:FinancialInstitutionBranch/cac:FinancialInstitution/cbc:ID",
        )
    ):
        d.fail(e, "F-LIB295", "[F-LIB295] PaymentMeansCode = 49, For IBAN, ID element is mandatory")


def payment_means_code50_check(e: El, d: Doc) -> None:
    """Abstract rule PaymentMeansCode50Check."""
    k = kids(e)
    payee_financial_account_id = p(e, "cac:PayeeFinancialAccount/cbc:ID")
    payment_means_code_is_50 = eq(k[cbc.PaymentMeansCode], "50")
    payment_id_is_04 = eq(k[cbc.PaymentID], "04")
    payment_id_is_15 = eq(k[cbc.PaymentID], "15")
    payment_id_is_01 = eq(k[cbc.PaymentID], "01")
    if payment_means_code_is_50 and bool(k[cac.CreditAccount]):
        d.fail(e, "F-LIB142", "[F-LIB142] PaymentMeansCode = 50, CreditAccount class not allowed")
    if payment_means_code_is_50 and not bool(k[cbc.PaymentID]):
        d.fail(e, "F-LIB144", "[F-LIB144] PaymentMeansCode = 50, PaymentID element is mandatory")
    if payment_means_code_is_50 and not bool(k[cac.PayeeFinancialAccount]):
        d.fail(
            e,
            "F-LIB319",
            "[F-LIB319] PaymentMeansCode = 50, PayeeFinancialAccount class is mandatory.",
        )
    if payment_means_code_is_50 and not bool(payee_financial_account_id):
        d.fail(
            e,
            "F-LIB320",
            "[F-LIB320] PaymentMeansCode = 50, PayeeFinancialAccount.ID element is mandatory.",
        )
    if (payment_means_code_is_50 and (payment_id_is_04 or payment_id_is_15)) and not bool(
        k[cbc.InstructionID]
    ):
        d.fail(
            e,
            "F-LIB145",
            "[F-LIB145] PaymentMeansCode = 50, InstructionID is mandatory when PaymentID equals 04 or 15",
        )
    if (payment_means_code_is_50 and bool(k[cbc.PaymentChannelCode])) and ne(
        k[cbc.PaymentChannelCode], "DK:GIRO"
    ):
        d.fail(
            e, "F-LIB146", "[F-LIB146] PaymentMeansCode = 50, PaymentChannelCode must equal DK:GIRO"
        )
    if (payment_means_code_is_50 and bool(k[cbc.PaymentChannelCode])) and not eq(
        p(e, "cbc:PaymentChannelCode/@listID"), "urn:oioubl:codelist:paymentchannelcode-1.1"
    ):
        d.fail(
            e,
            "F-LIB143",
            "[F-LIB143] PaymentMeansCode = 50, Invalid listID. Must be 'urn:oioubl:codelist:paymentchannelcode-1.1'",
        )
    if payment_means_code_is_50 and not (
        (payment_id_is_01 or payment_id_is_04) or payment_id_is_15
    ):
        d.fail(e, "F-LIB147", "[F-LIB147] PaymentMeansCode = 50, PaymentID must equal 01, 04 or 15")
    if (payment_means_code_is_50 and bool(k[cbc.InstructionNote])) and not payment_id_is_01:
        d.fail(
            e,
            "F-LIB148",
            "[F-LIB148] PaymentMeansCode = 50, InstructionNote only allowed if PaymentID equals 01",
        )
    if payment_means_code_is_50 and (len(fs(k[cbc.InstructionID])) > 16):
        d.fail(
            e,
            "F-LIB149",
            "[F-LIB149] PaymentMeansCode = 50, InstructionID must be no more than 16 characters",
        )
    if payment_means_code_is_50 and (
        (payment_id_is_04 or payment_id_is_15) and eq(k[cbc.InstructionID], "")
    ):
        d.fail(
            e,
            "F-LIB312",
            "[F-LIB312] When PaymentMeansCode = 50 and PaymentID = '04' or '15', InstructionID must not be blank.",
        )
    if (
        eq(p(e, "cbc:PaymentMeansCode"), "50")
        and (eq(p(e, "cbc:PaymentID"), "04") or eq(p(e, "cbc:PaymentID"), "15"))
        and matches(fs(p(e, "cbc:InstructionID")), r"[^\d]+")
    ):
        d.fail(
            e,
            "F-LIB390",
            "[F-LIB390] When PaymentMeansCode = 50 and PaymentID = '04' or '15', InstructionID must be numeric.",
        )
    if (payment_means_code_is_50 or eq(k[cbc.PaymentChannelCode], "DK:GIRO")) and (
        ((len(fs(payee_financial_account_id)) < 7) or (len(fs(payee_financial_account_id)) > 8))
        or (nstr(num(fs(payee_financial_account_id))) == "NaN")
    ):
        d.fail(
            e,
            "F-LIB321",
            "[F-LIB321] PaymentMeansCode = 50 or PaymentChannelCode = DK:GIRO, PayeeFinancialAccount.ID must consist of 7 or 8 numerical characters.",
        )


def payment_means_code58_check(e: El, d: Doc) -> None:
    """Abstract rule PaymentMeansCode58Check."""
    k = kids(e)
    payment_means_code_is_58 = eq(k[cbc.PaymentMeansCode], "58")
    if not payment_means_code_is_58:
        return
    payee_financial_account_id = p(e, "cac:PayeeFinancialAccount/cbc:ID")
    if payment_means_code_is_58 and (
        not bool(payee_financial_account_id) or (norm(fs(payee_financial_account_id)) == "")
    ):
        d.fail(
            e, "F-LIB377", "[F-LIB377] PaymentMeansCode = 58, PayeeFinancialAccount.ID must be used"
        )
    if (payment_means_code_is_58 and bool(k[cbc.PaymentChannelCode])) and not eq(
        k[cbc.PaymentChannelCode], "IBAN"
    ):
        d.fail(
            e,
            "F-LIB379",
            "[F-LIB379] PaymentMeansCode = 58, when PaymentChannelCode is used it must be 'IBAN'.",
        )


def payment_means_code59_check(e: El, d: Doc) -> None:
    """Abstract rule PaymentMeansCode59Check."""
    k = kids(e)
    if (eq(k[cbc.PaymentMeansCode], "59") and bool(k[cbc.PaymentChannelCode])) and not eq(
        k[cbc.PaymentChannelCode], "IBAN"
    ):
        d.fail(
            e,
            "F-LIB380",
            "[F-LIB380] PaymentMeansCode = 59, when PaymentChannelCode is used it must be 'IBAN'.",
        )


def payment_means_code93_check(e: El, d: Doc) -> None:
    """Abstract rule PaymentMeansCode93Check."""
    k = kids(e)
    payment_means_code_is_93 = eq(k[cbc.PaymentMeansCode], "93")
    payment_id_is_71 = eq(k[cbc.PaymentID], "71")
    payment_id_is_75 = eq(k[cbc.PaymentID], "75")
    payment_id_is_73 = eq(k[cbc.PaymentID], "73")
    if payment_means_code_is_93 and not bool(k[cbc.PaymentID]):
        d.fail(e, "F-LIB152", "[F-LIB152] PaymentMeansCode = 93, PaymentID element is mandatory")
    if (payment_means_code_is_93 and (payment_id_is_71 or payment_id_is_75)) and not bool(
        k[cbc.InstructionID]
    ):
        d.fail(
            e,
            "F-LIB153",
            "[F-LIB153] PaymentMeansCode = 93, InstructionID is mandatory when PaymentID equals 71 or 75",
        )
    if (payment_means_code_is_93 and bool(k[cbc.PaymentChannelCode])) and ne(
        k[cbc.PaymentChannelCode], "DK:FIK"
    ):
        d.fail(
            e, "F-LIB277", "[F-LIB277] PaymentMeansCode = 93, PaymentChannelCode must equal DK:FIK"
        )
    if (payment_means_code_is_93 and bool(k[cbc.PaymentChannelCode])) and not eq(
        p(e, "cbc:PaymentChannelCode/@listID"), "urn:oioubl:codelist:paymentchannelcode-1.1"
    ):
        d.fail(
            e,
            "F-LIB278",
            "[F-LIB278] PaymentMeansCode = 93, Invalid listID. Must be 'urn:oioubl:codelist:paymentchannelcode-1.1'",
        )
    if (payment_means_code_is_93 and bool(k[cbc.InstructionNote])) and not (
        payment_id_is_73 or payment_id_is_75
    ):
        d.fail(
            e,
            "F-LIB154",
            "[F-LIB154] PaymentMeansCode = 93, InstructionNote only allowed if PaymentID equals 73 or 75",
        )
    if payment_means_code_is_93 and not (
        (payment_id_is_71 or payment_id_is_73) or payment_id_is_75
    ):
        d.fail(e, "F-LIB155", "[F-LIB155] PaymentMeansCode = 93, PaymentID must equal 71, 73 or 75")
    if (payment_means_code_is_93 and payment_id_is_71) and (len(fs(k[cbc.InstructionID])) != 15):
        d.fail(
            e,
            "F-LIB156",
            "[F-LIB156] PaymentMeansCode = 93, InstructionID must be equal to 15 characters (when PaymentID equals 71)",
        )
    if (payment_means_code_is_93 and payment_id_is_75) and (len(fs(k[cbc.InstructionID])) != 16):
        d.fail(
            e,
            "F-LIB157",
            "[F-LIB157] PaymentMeansCode = 93, InstructionID must be equal to 16 characters (when PaymentID equals 75)",
        )
    instruction_id = p(e, "cbc:InstructionID")
    if eq(p(e, "cbc:PaymentMeansCode"), "93") and (
        (
            (eq(p(e, "cbc:PaymentID"), "71") or eq(p(e, "cbc:PaymentID"), "75"))
            and (not instruction_id or matches(fs(instruction_id), r"[^\d]+"))
        )
        or eq(instruction_id, "")
    ):
        d.fail(
            e,
            "F-LIB336",
            "[F-LIB336] PaymentMeansCode = 93, InstructionID must be a numeric value when PaymentID equals 71 or 75.",
        )
    if (payment_means_code_is_93 and payment_id_is_73) and bool(k[cbc.InstructionID]):
        d.fail(
            e,
            "F-LIB275",
            "[F-LIB275] PaymentMeansCode = 93, InstructionID only allowed if PaymentID equals 71 or 75",
        )
    if payment_means_code_is_93 and (len(fs(p(e, "cac:CreditAccount/cbc:AccountID"))) != 8):
        d.fail(e, "F-LIB305", "[F-LIB305] PaymentMeansCode = 93, AccountID must be 8 characters")


def payment_means_code97_check(e: El, d: Doc) -> None:
    """Abstract rule PaymentMeansCode97Check."""
    k = kids(e)
    payment_means_code_is_97 = eq(k[cbc.PaymentMeansCode], "97")
    if not payment_means_code_is_97:
        return
    if (payment_means_code_is_97 and bool(k[cbc.PaymentChannelCode])) and not eq(
        k[cbc.PaymentChannelCode], "DK:NEMKONTO"
    ):
        d.fail(
            e,
            "F-LIB158",
            '[F-LIB158] PaymentMeansCode = 97, PaymentChannelCode element only allowed with value = "DK:NEMKONTO"',
        )
    if payment_means_code_is_97 and bool(k[cbc.InstructionID]):
        d.fail(e, "F-LIB159", "[F-LIB159] PaymentMeansCode = 97, InstructionID element not allowed")
    if payment_means_code_is_97 and bool(k[cbc.InstructionNote]):
        d.fail(
            e, "F-LIB160", "[F-LIB160] PaymentMeansCode = 97, InstructionNote element not allowed"
        )
    if payment_means_code_is_97 and bool(k[cbc.PaymentID]):
        d.fail(e, "F-LIB161", "[F-LIB161] PaymentMeansCode = 97, PaymentID element not allowed")
    if payment_means_code_is_97 and bool(k[cac.PayerFinancialAccount]):
        d.fail(
            e,
            "F-LIB163",
            "[F-LIB163] PaymentMeansCode = 97, PayerFinancialAccount class not allowed",
        )
    if payment_means_code_is_97 and bool(k[cac.PayeeFinancialAccount]):
        d.fail(
            e,
            "F-LIB164",
            "[F-LIB164] PaymentMeansCode = 97, PayeeFinancialAccount class not allowed",
        )
    if payment_means_code_is_97 and bool(k[cac.CreditAccount]):
        d.fail(e, "F-LIB165", "[F-LIB165] PaymentMeansCode = 97, CreditAccount class not allowed")


def payment_terms_check(e: El, d: Doc) -> None:
    """Abstract rule PaymentTermsCheck."""
    k = kids(e)
    if (len(p(e, "../cac:PaymentTerms")) > 1) and not ne(k[cbc.ID], ""):
        d.fail(
            e,
            "W-LIB245",
            "[W-LIB245]: ID should be used when more than one instance of the PaymentTerms class is present",
        )
    if eq(k[cbc.ID], "Factoring") and not ne(k[cbc.Note], ""):
        d.fail(
            e,
            "F-LIB246",
            "[F-LIB246] when ID equals 'Factoring', Note element is mandatory (factoring note)",
        )
    if len(k[cbc.Note]) > 1:
        d.fail(e, "F-LIB247", "[F-LIB247] No more than one Note element may be present")
