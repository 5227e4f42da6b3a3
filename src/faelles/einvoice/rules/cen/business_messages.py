"""Ids, flags and messages of the EN 16931 business rules (CEN UBL validation artefacts 1.3.16).

Copied from the official Schematron, one entry per assert, in the order the rule set lists them.
"""

from __future__ import annotations

from faelles.einvoice.findings import Flag

RULES: dict[str, tuple[Flag, str]] = {
    "BR-52": (
        "fatal",
        "[BR-52]-Each Additional supporting document (BG-24) shall contain a Supporting document reference (BT-122).",
    ),
    "BR-63": (
        "fatal",
        "[BR-63]-The Buyer electronic address (BT-49) shall have a Scheme identifier.",
    ),
    "BR-11": (
        "fatal",
        "[BR-11]-The Buyer postal address shall contain a Buyer country code (BT-55).",
    ),
    "BR-51": (
        "warning",
        "[BR-51]-In accordance with card payments security standards an invoice should never include a full card primary account number (BT-87). At the moment PCI Security Standards Council has defined that the first 6 digits and last 4 digits are the maximum number of digits to be shown.",
    ),
    "BR-57": (
        "fatal",
        "[BR-57]-Each Deliver to address (BG-15) shall contain a Deliver to country code (BT-80).",
    ),
    "BR-31": (
        "fatal",
        "[BR-31]-Each Document level allowance (BG-20) shall have a Document level allowance amount (BT-92).",
    ),
    "BR-32": (
        "fatal",
        "[BR-32]-Each Document level allowance (BG-20) shall have a Document level allowance VAT category code (BT-95).",
    ),
    "BR-33": (
        "fatal",
        "[BR-33]-Each Document level allowance (BG-20) shall have a Document level allowance reason (BT-97) or a Document level allowance reason code (BT-98).",
    ),
    "BR-CO-05": (
        "fatal",
        "[BR-CO-05]-Document level allowance reason code (BT-98) and Document level allowance reason (BT-97) shall indicate the same type of allowance.",
    ),
    "BR-CO-21": (
        "fatal",
        "[BR-CO-21]-Each Document level allowance (BG-20) shall contain a Document level allowance reason (BT-97) or a Document level allowance reason code (BT-98), or both.",
    ),
    "BR-DEC-01": (
        "fatal",
        "[BR-DEC-01]-The allowed maximum number of decimals for the Document level allowance amount (BT-92) is 2.",
    ),
    "BR-DEC-02": (
        "fatal",
        "[BR-DEC-02]-The allowed maximum number of decimals for the Document level allowance base amount (BT-93) is 2.",
    ),
    "BR-36": (
        "fatal",
        "[BR-36]-Each Document level charge (BG-21) shall have a Document level charge amount (BT-99).",
    ),
    "BR-37": (
        "fatal",
        "[BR-37]-Each Document level charge (BG-21) shall have a Document level charge VAT category code (BT-102).",
    ),
    "BR-38": (
        "fatal",
        "[BR-38]-Each Document level charge (BG-21) shall have a Document level charge reason (BT-104) or a Document level charge reason code (BT-105).",
    ),
    "BR-CO-06": (
        "fatal",
        "[BR-CO-06]-Document level charge reason code (BT-105) and Document level charge reason (BT-104) shall indicate the same type of charge.",
    ),
    "BR-CO-22": (
        "fatal",
        "[BR-CO-22]-Each Document level charge (BG-21) shall contain a Document level charge reason (BT-104) or a Document level charge reason code (BT-105), or both.",
    ),
    "BR-DEC-05": (
        "fatal",
        "[BR-DEC-05]-The allowed maximum number of decimals for the Document level charge amount (BT-99) is 2.",
    ),
    "BR-DEC-06": (
        "fatal",
        "[BR-DEC-06]-The allowed maximum number of decimals for the Document level charge base amount (BT-100) is 2.",
    ),
    "BR-12": (
        "fatal",
        "[BR-12]-An Invoice shall have the Sum of Invoice line net amount (BT-106).",
    ),
    "BR-13": (
        "fatal",
        "[BR-13]-An Invoice shall have the Invoice total amount without VAT (BT-109).",
    ),
    "BR-14": (
        "fatal",
        "[BR-14]-An Invoice shall have the Invoice total amount with VAT (BT-112).",
    ),
    "BR-15": (
        "fatal",
        "[BR-15]-An Invoice shall have the Amount due for payment (BT-115).",
    ),
    "BR-CO-10": (
        "fatal",
        "[BR-CO-10]-Sum of Invoice line net amount (BT-106) = Σ Invoice line net amount (BT-131).",
    ),
    "BR-CO-11": (
        "fatal",
        "[BR-CO-11]-Sum of allowances on document level (BT-107) = Σ Document level allowance amount (BT-92).",
    ),
    "BR-CO-12": (
        "fatal",
        "[BR-CO-12]-Sum of charges on document level (BT-108) = Σ Document level charge amount (BT-99).",
    ),
    "BR-CO-13": (
        "fatal",
        "[BR-CO-13]-Invoice total amount without VAT (BT-109) = Σ Invoice line net amount (BT-131) - Sum of allowances on document level (BT-107) + Sum of charges on document level (BT-108).",
    ),
    "BR-CO-16": (
        "fatal",
        "[BR-CO-16]-Amount due for payment (BT-115) = Invoice total amount with VAT (BT-112) -Paid amount (BT-113) +Rounding amount (BT-114).",
    ),
    "BR-DEC-09": (
        "fatal",
        "[BR-DEC-09]-The allowed maximum number of decimals for the Sum of Invoice line net amount (BT-106) is 2.",
    ),
    "BR-DEC-10": (
        "fatal",
        "[BR-DEC-10]-The allowed maximum number of decimals for the Sum of allowanced on document level (BT-107) is 2.",
    ),
    "BR-DEC-11": (
        "fatal",
        "[BR-DEC-11]-The allowed maximum number of decimals for the Sum of charges on document level (BT-108) is 2.",
    ),
    "BR-DEC-12": (
        "fatal",
        "[BR-DEC-12]-The allowed maximum number of decimals for the Invoice total amount without VAT (BT-109) is 2.",
    ),
    "BR-DEC-14": (
        "fatal",
        "[BR-DEC-14]-The allowed maximum number of decimals for the Invoice total amount with VAT (BT-112) is 2.",
    ),
    "BR-DEC-16": (
        "fatal",
        "[BR-DEC-16]-The allowed maximum number of decimals for the Paid amount (BT-113) is 2.",
    ),
    "BR-DEC-17": (
        "fatal",
        "[BR-DEC-17]-The allowed maximum number of decimals for the Rounding amount (BT-114) is 2.",
    ),
    "BR-DEC-18": (
        "fatal",
        "[BR-DEC-18]-The allowed maximum number of decimals for the Amount due for payment (BT-115) is 2.",
    ),
    "BR-01": (
        "fatal",
        "[BR-01]-An Invoice shall have a Specification identifier (BT-24).",
    ),
    "BR-02": (
        "fatal",
        "[BR-02]-An Invoice shall have an Invoice number (BT-1).",
    ),
    "BR-03": (
        "fatal",
        "[BR-03]-An Invoice shall have an Invoice issue date (BT-2).",
    ),
    "BR-04": (
        "fatal",
        "[BR-04]-An Invoice shall have an Invoice type code (BT-3).",
    ),
    "BR-05": (
        "fatal",
        "[BR-05]-An Invoice shall have an Invoice currency code (BT-5).",
    ),
    "BR-06": (
        "fatal",
        "[BR-06]-An Invoice shall contain the Seller name (BT-27).",
    ),
    "BR-07": (
        "fatal",
        "[BR-07]-An Invoice shall contain the Buyer name (BT-44).",
    ),
    "BR-08": (
        "fatal",
        "[BR-08]-An Invoice shall contain the Seller postal address.",
    ),
    "BR-10": (
        "fatal",
        "[BR-10]-An Invoice shall contain the Buyer postal address (BG-8).",
    ),
    "BR-16": (
        "fatal",
        "[BR-16]-An Invoice shall have at least one Invoice line (BG-25)",
    ),
    "BR-53": (
        "fatal",
        "[BR-53]-If the VAT accounting currency code (BT-6) is present, then the Invoice total VAT amount in accounting currency (BT-111) shall be provided.",
    ),
    "BR-AE-01": (
        "fatal",
        '[BR-AE-01]-An Invoice that contains an Invoice line (BG-25), a Document level allowance (BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, BT-95 or BT-102) is "Reverse charge" shall contain in the VAT Breakdown (BG-23) exactly one VAT category code (BT-118) equal with "VAT reverse charge".',
    ),
    "BR-AE-02": (
        "fatal",
        '[BR-AE-02]-An Invoice that contains an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is "Reverse charge" shall contain the Seller VAT Identifier (BT-31), the Seller Tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63) and the Buyer VAT identifier (BT-48) and/or the Buyer legal registration identifier (BT-47).',
    ),
    "BR-AE-03": (
        "fatal",
        '[BR-AE-03]-An Invoice that contains a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is "Reverse charge" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63) and the Buyer VAT identifier (BT-48) and/or the Buyer legal registration identifier (BT-47).',
    ),
    "BR-AE-04": (
        "fatal",
        '[BR-AE-04]-An Invoice that contains a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is "Reverse charge" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63) and the Buyer VAT identifier (BT-48) and/or the Buyer legal registration identifier (BT-47).',
    ),
    "BR-CO-03": (
        "fatal",
        "[BR-CO-03]-Value added tax point date (BT-7) and Value added tax point date code (BT-8) are mutually exclusive.",
    ),
    "BR-CO-15": (
        "fatal",
        "[BR-CO-15]-Invoice total amount with VAT (BT-112) = Invoice total amount without VAT (BT-109) + Invoice total VAT amount (BT-110).",
    ),
    "BR-CO-18": (
        "fatal",
        "[BR-CO-18]-An Invoice shall at least have one VAT breakdown group (BG-23).",
    ),
    "BR-DEC-13": (
        "fatal",
        "[BR-DEC-13]-The allowed maximum number of decimals for the Invoice total VAT amount (BT-110) is 2.",
    ),
    "BR-DEC-15": (
        "fatal",
        "[BR-DEC-15]-The allowed maximum number of decimals for the Invoice total VAT amount in accounting currency (BT-111) is 2.",
    ),
    "BR-E-01": (
        "fatal",
        '[BR-E-01]-An Invoice that contains an Invoice line (BG-25), a Document level allowance (BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, BT-95 or BT-102) is "Exempt from VAT" shall contain exactly one VAT breakdown (BG-23) with the VAT category code (BT-118) equal to "Exempt from VAT".',
    ),
    "BR-E-02": (
        "fatal",
        '[BR-E-02]-An Invoice that contains an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is "Exempt from VAT" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).',
    ),
    "BR-E-03": (
        "fatal",
        '[BR-E-03]-An Invoice that contains a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is "Exempt from VAT" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).',
    ),
    "BR-E-04": (
        "fatal",
        '[BR-E-04]-An Invoice that contains a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is "Exempt from VAT" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).',
    ),
    "BR-G-01": (
        "fatal",
        '[BR-G-01]-An Invoice that contains an Invoice line (BG-25), a Document level allowance (BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, BT-95 or BT-102) is "Export outside the EU" shall contain in the VAT breakdown (BG-23) exactly one VAT category code (BT-118) equal with "Export outside the EU".',
    ),
    "BR-G-02": (
        "fatal",
        '[BR-G-02]-An Invoice that contains an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is "Export outside the EU" shall contain the Seller VAT Identifier (BT-31) or the Seller tax representative VAT identifier (BT-63).',
    ),
    "BR-G-03": (
        "fatal",
        '[BR-G-03]-An Invoice that contains a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is "Export outside the EU" shall contain the Seller VAT Identifier (BT-31) or the Seller tax representative VAT identifier (BT-63).',
    ),
    "BR-G-04": (
        "fatal",
        '[BR-G-04]-An Invoice that contains a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is "Export outside the EU" shall contain the Seller VAT Identifier (BT-31) or the Seller tax representative VAT identifier (BT-63).',
    ),
    "BR-IC-01": (
        "fatal",
        '[BR-IC-01]-An Invoice that contains an Invoice line (BG-25), a Document level allowance (BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, BT-95 or BT-102) is "Intra-community supply" shall contain in the VAT breakdown (BG-23) exactly one VAT category code (BT-118) equal with "Intra-community supply".',
    ),
    "BR-IC-02": (
        "fatal",
        '[BR-IC-02]-An Invoice that contains an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is "Intra-community supply" shall contain the Seller VAT Identifier (BT-31) or the Seller tax representative VAT identifier (BT-63) and the Buyer VAT identifier (BT-48).',
    ),
    "BR-IC-03": (
        "fatal",
        '[BR-IC-03]-An Invoice that contains a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is "Intra-community supply" shall contain the Seller VAT Identifier (BT-31) or the Seller tax representative VAT identifier (BT-63) and the Buyer VAT identifier (BT-48).',
    ),
    "BR-IC-04": (
        "fatal",
        '[BR-IC-04]-An Invoice that contains a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is "Intra-community supply" shall contain the Seller VAT Identifier (BT-31) or the Seller tax representative VAT identifier (BT-63) and the Buyer VAT identifier (BT-48).',
    ),
    "BR-IC-11": (
        "fatal",
        '[BR-IC-11]-In an Invoice with a VAT breakdown (BG-23) where the VAT category code (BT-118) is "Intra-community supply" the Actual delivery date (BT-72) or the Invoicing period (BG-14) shall not be blank.',
    ),
    "BR-IC-12": (
        "fatal",
        '[BR-IC-12]-In an Invoice with a VAT breakdown (BG-23) where the VAT category code (BT-118) is "Intra-community supply" the Deliver to country code (BT-80) shall not be blank.',
    ),
    "BR-AF-01": (
        "fatal",
        '[BR-AF-01]-An Invoice that contains an Invoice line (BG-25), a Document level allowance (BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, BT-95 or BT-102) is "IGIC" shall contain in the VAT breakdown (BG-23) at least one VAT category code (BT-118) equal with "IGIC".',
    ),
    "BR-AF-02": (
        "fatal",
        '[BR-AF-02]-An Invoice that contains an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is "IGIC" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).',
    ),
    "BR-AF-03": (
        "fatal",
        '[BR-AF-03]-An Invoice that contains a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is "IGIC" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).',
    ),
    "BR-AF-04": (
        "fatal",
        '[BR-AF-04]-An Invoice that contains a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is "IGIC" shall contain the Seller VAT Identifier (BT-31), the Seller Tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).',
    ),
    "BR-AG-01": (
        "fatal",
        '[BR-AG-01]-An Invoice that contains an Invoice line (BG-25), a Document level allowance (BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, BT-95 or BT-102) is "IPSI" shall contain in the VAT breakdown (BG-23) at least one VAT category code (BT-118) equal with "IPSI".',
    ),
    "BR-AG-02": (
        "fatal",
        '[BR-AG-02]-An Invoice that contains an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is "IPSI" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).',
    ),
    "BR-AG-03": (
        "fatal",
        '[BR-AG-03]-An Invoice that contains a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is "IPSI" shall contain the Seller VAT Identifier (BT-31), the Seller Tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).',
    ),
    "BR-AG-04": (
        "fatal",
        '[BR-AG-04]-An Invoice that contains a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is "IPSI" shall contain the Seller VAT Identifier (BT-31), the Seller Tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).',
    ),
    "BR-O-01": (
        "fatal",
        '[BR-O-01]-An Invoice that contains an Invoice line (BG-25), a Document level allowance (BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, BT-95 or BT-102) is "Not subject to VAT" shall contain exactly one VAT breakdown group (BG-23) with the VAT category code (BT-118) equal to "Not subject to VAT".',
    ),
    "BR-O-02": (
        "fatal",
        '[BR-O-02]-An Invoice that contains an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is "Not subject to VAT" shall not contain the Seller VAT identifier (BT-31), the Seller tax representative VAT identifier (BT-63) or the Buyer VAT identifier (BT-48).',
    ),
    "BR-O-03": (
        "fatal",
        '[BR-O-03]-An Invoice that contains a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is "Not subject to VAT" shall not contain the Seller VAT identifier (BT-31), the Seller tax representative VAT identifier (BT-63) or the Buyer VAT identifier (BT-48).',
    ),
    "BR-O-04": (
        "fatal",
        '[BR-O-04]-An Invoice that contains a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is "Not subject to VAT" shall not contain the Seller VAT identifier (BT-31), the Seller tax representative VAT identifier (BT-63) or the Buyer VAT identifier (BT-48).',
    ),
    "BR-O-11": (
        "fatal",
        '[BR-O-11]-An Invoice that contains a VAT breakdown group (BG-23) with a VAT category code (BT-118) "Not subject to VAT" shall not contain other VAT breakdown groups (BG-23).',
    ),
    "BR-O-12": (
        "fatal",
        '[BR-O-12]-An Invoice that contains a VAT breakdown group (BG-23) with a VAT category code (BT-118) "Not subject to VAT" shall not contain an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is not "Not subject to VAT".',
    ),
    "BR-O-13": (
        "fatal",
        '[BR-O-13]-An Invoice that contains a VAT breakdown group (BG-23) with a VAT category code (BT-118) "Not subject to VAT" shall not contain Document level allowances (BG-20) where Document level allowance VAT category code (BT-95) is not "Not subject to VAT".',
    ),
    "BR-O-14": (
        "fatal",
        '[BR-O-14]-An Invoice that contains a VAT breakdown group (BG-23) with a VAT category code (BT-118) "Not subject to VAT" shall not contain Document level charges (BG-21) where Document level charge VAT category code (BT-102) is not "Not subject to VAT".',
    ),
    "BR-S-01": (
        "fatal",
        '[BR-S-01]-An Invoice that contains an Invoice line (BG-25), a Document level allowance (BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, BT-95 or BT-102) is "Standard rated" shall contain in the VAT breakdown (BG-23) at least one VAT category code (BT-118) equal with "Standard rated".',
    ),
    "BR-S-02": (
        "fatal",
        '[BR-S-02]-An Invoice that contains an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is "Standard rated" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).',
    ),
    "BR-S-03": (
        "fatal",
        '[BR-S-03]-An Invoice that contains a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is "Standard rated" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).',
    ),
    "BR-S-04": (
        "fatal",
        '[BR-S-04]-An Invoice that contains a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is "Standard rated" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).',
    ),
    "BR-Z-01": (
        "fatal",
        '[BR-Z-01]-An Invoice that contains an Invoice line (BG-25), a Document level allowance (BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, BT-95 or BT-102) is "Zero rated" shall contain in the VAT breakdown (BG-23) exactly one VAT category code (BT-118) equal with "Zero rated".',
    ),
    "BR-Z-02": (
        "fatal",
        '[BR-Z-02]-An Invoice that contains an Invoice line where the Invoiced item VAT category code (BT-151) is "Zero rated" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).',
    ),
    "BR-Z-03": (
        "fatal",
        '[BR-Z-03]-An Invoice that contains a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is "Zero rated" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).',
    ),
    "BR-Z-04": (
        "fatal",
        '[BR-Z-04]-An Invoice that contains a Document level charge where the Document level charge VAT category code (BT-102) is "Zero rated" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).',
    ),
    "BR-B-01": (
        "fatal",
        "[BR-B-01]-An Invoice where the VAT category code (BT-151, BT-95 or BT-102) is “Split payment” shall be a domestic Italian invoice.",
    ),
    "BR-B-02": (
        "fatal",
        '[BR-B-02]-An Invoice that contains an Invoice line (BG-25), a Document level allowance (BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, BT-95, BT-118 or BT-102) is “Split payment" shall not contain an invoice line (BG-25), a Document level allowance (BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, BT-95, BT-118 or BT-102) is “Standard rated”.',
    ),
    "BR-21": (
        "fatal",
        "[BR-21]-Each Invoice line (BG-25) shall have an Invoice line identifier (BT-126).",
    ),
    "BR-22": (
        "fatal",
        "[BR-22]-Each Invoice line (BG-25) shall have an Invoiced quantity (BT-129).",
    ),
    "BR-23": (
        "fatal",
        "[BR-23]-An Invoice line (BG-25) shall have an Invoiced quantity unit of measure code (BT-130).",
    ),
    "BR-24": (
        "fatal",
        "[BR-24]-Each Invoice line (BG-25) shall have an Invoice line net amount (BT-131).",
    ),
    "BR-25": (
        "fatal",
        "[BR-25]-Each Invoice line (BG-25) shall contain the Item name (BT-153).",
    ),
    "BR-26": (
        "fatal",
        "[BR-26]-Each Invoice line (BG-25) shall contain the Item net price (BT-146).",
    ),
    "BR-27": (
        "fatal",
        "[BR-27]-The Item net price (BT-146) shall NOT be negative.",
    ),
    "BR-28": (
        "fatal",
        "[BR-28]-The Item gross price (BT-148) shall NOT be negative.",
    ),
    "BR-CO-04": (
        "fatal",
        "[BR-CO-04]-Each Invoice line (BG-25) shall be categorized with an Invoiced item VAT category code (BT-151).",
    ),
    "BR-DEC-23": (
        "fatal",
        "[BR-DEC-23]-The allowed maximum number of decimals for the Invoice line net amount (BT-131) is 2.",
    ),
    "BR-41": (
        "fatal",
        "[BR-41]-Each Invoice line allowance (BG-27) shall have an Invoice line allowance amount (BT-136).",
    ),
    "BR-42": (
        "fatal",
        "[BR-42]-Each Invoice line allowance (BG-27) shall have an Invoice line allowance reason (BT-139) or an Invoice line allowance reason code (BT-140).",
    ),
    "BR-CO-07": (
        "fatal",
        "[BR-CO-07]-Invoice line allowance reason code (BT-140) and Invoice line allowance reason (BT-139) shall indicate the same type of allowance reason.",
    ),
    "BR-CO-23": (
        "fatal",
        "[BR-CO-23]-Each Invoice line allowance (BG-27) shall contain an Invoice line allowance reason (BT-139) or an Invoice line allowance reason code (BT-140), or both.",
    ),
    "BR-DEC-24": (
        "fatal",
        "[BR-DEC-24]-The allowed maximum number of decimals for the Invoice line allowance amount (BT-136) is 2.",
    ),
    "BR-DEC-25": (
        "fatal",
        "[BR-DEC-25]-The allowed maximum number of decimals for the Invoice line allowance base amount (BT-137) is 2.",
    ),
    "BR-43": (
        "fatal",
        "[BR-43]-Each Invoice line charge (BG-28) shall have an Invoice line charge amount (BT-141).",
    ),
    "BR-44": (
        "fatal",
        "[BR-44]-Each Invoice line charge shall have an Invoice line charge reason or an invoice line allowance reason code.",
    ),
    "BR-CO-08": (
        "fatal",
        "[BR-CO-08]-Invoice line charge reason code (BT-145) and Invoice line charge reason (BT-144) shall indicate the same type of charge reason.",
    ),
    "BR-CO-24": (
        "fatal",
        "[BR-CO-24]-Each Invoice line charge (BG-28) shall contain an Invoice line charge reason (BT-144) or an Invoice line charge reason code (BT-145), or both.",
    ),
    "BR-DEC-27": (
        "fatal",
        "[BR-DEC-27]-The allowed maximum number of decimals for the Invoice line charge amount (BT-141) is 2.",
    ),
    "BR-DEC-28": (
        "fatal",
        "[BR-DEC-28]-The allowed maximum number of decimals for the Invoice line charge base amount (BT-142) is 2.",
    ),
    "BR-30": (
        "fatal",
        "[BR-30]-If both Invoice line period start date (BT-134) and Invoice line period end date (BT-135) are given then the Invoice line period end date (BT-135) shall be later or equal to the Invoice line period start date (BT-134).",
    ),
    "BR-CO-20": (
        "fatal",
        "[BR-CO-20]-If Invoice line period (BG-26) is used, the Invoice line period start date (BT-134) or the Invoice line period end date (BT-135) shall be filled, or both.",
    ),
    "BR-29": (
        "fatal",
        "[BR-29]-If both Invoicing period start date (BT-73) and Invoicing period end date (BT-74) are given then the Invoicing period end date (BT-74) shall be later or equal to the Invoicing period start date (BT-73).",
    ),
    "BR-CO-19": (
        "fatal",
        "[BR-CO-19]-If Invoicing period (BG-14) is used, the Invoicing period start date (BT-73) or the Invoicing period end date (BT-74) shall be filled, or both.",
    ),
    "BR-54": (
        "fatal",
        "[BR-54]-Each Item attribute (BG-32) shall contain an Item attribute name (BT-160) and an Item attribute value (BT-161).",
    ),
    "BR-65": (
        "fatal",
        "[BR-65]-The Item classification identifier (BT-158) shall have a Scheme identifier.",
    ),
    "BR-64": (
        "fatal",
        "[BR-64]-The Item standard identifier (BT-157) shall have a Scheme identifier.",
    ),
    "BR-17": (
        "fatal",
        "[BR-17]-The Payee name (BT-59) shall be provided in the Invoice, if the Payee (BG-10) is different from the Seller (BG-4)",
    ),
    "BR-50": (
        "fatal",
        "[BR-50]-A Payment account identifier (BT-84) shall be present if Credit transfer (BG-17) information is provided in the Invoice.",
    ),
    "BR-49": (
        "fatal",
        "[BR-49]-A Payment instruction (BG-16) shall specify the Payment means type code (BT-81).",
    ),
    "BR-61": (
        "fatal",
        "[BR-61]-If the Payment means type code (BT-81) means SEPA credit transfer, Local credit transfer or Non-SEPA international credit transfer, the Payment account identifier (BT-84) shall be present.",
    ),
    "BR-55": (
        "fatal",
        "[BR-55]-Each Preceding Invoice reference (BG-3) shall contain a Preceding Invoice reference (BT-25).",
    ),
    "BR-CO-26": (
        "fatal",
        "[BR-CO-26]-In order for the buyer to automatically identify a supplier, the Seller identifier (BT-29), the Seller legal registration identifier (BT-30) and/or the Seller VAT identifier (BT-31) shall be present.",
    ),
    "BR-62": (
        "fatal",
        "[BR-62]-The Seller electronic address (BT-34) shall have a Scheme identifier.",
    ),
    "BR-09": (
        "fatal",
        "[BR-09]-The Seller postal address (BG-5) shall contain a Seller country code (BT-40).",
    ),
    "BR-18": (
        "fatal",
        "[BR-18]-The Seller tax representative name (BT-62) shall be provided in the Invoice, if the Seller (BG-4) has a Seller tax representative party (BG-11)",
    ),
    "BR-19": (
        "fatal",
        "[BR-19]-The Seller tax representative postal address (BG-12) shall be provided in the Invoice, if the Seller (BG-4) has a Seller tax representative party (BG-11).",
    ),
    "BR-56": (
        "fatal",
        "[BR-56]-Each Seller tax representative party (BG-11) shall have a Seller tax representative VAT identifier (BT-63).",
    ),
    "BR-20": (
        "fatal",
        "[BR-20]-The Seller tax representative postal address (BG-12) shall contain a Tax representative country code (BT-69), if the Seller (BG-4) has a Seller tax representative party (BG-11).",
    ),
    "BR-CO-14": (
        "fatal",
        "[BR-CO-14]-Invoice total VAT amount (BT-110) = Σ VAT category tax amount (BT-117).",
    ),
    "BR-45": (
        "fatal",
        "[BR-45]-Each VAT breakdown (BG-23) shall have a VAT category taxable amount (BT-116).",
    ),
    "BR-46": (
        "fatal",
        "[BR-46]-Each VAT breakdown (BG-23) shall have a VAT category tax amount (BT-117).",
    ),
    "BR-47": (
        "fatal",
        "[BR-47]-Each VAT breakdown (BG-23) shall be defined through a VAT category code (BT-118).",
    ),
    "BR-48": (
        "fatal",
        "[BR-48]-Each VAT breakdown (BG-23) shall have a VAT category rate (BT-119), except if the Invoice is not subject to VAT.",
    ),
    "BR-CO-17": (
        "fatal",
        "[BR-CO-17]-VAT category tax amount (BT-117) = VAT category taxable amount (BT-116) x (VAT category rate (BT-119) / 100), rounded to two decimals.",
    ),
    "BR-DEC-19": (
        "fatal",
        "[BR-DEC-19]-The allowed maximum number of decimals for the VAT category taxable amount (BT-116) is 2.",
    ),
    "BR-DEC-20": (
        "fatal",
        "[BR-DEC-20]-The allowed maximum number of decimals for the VAT category tax amount (BT-117) is 2.",
    ),
    "BR-CO-09": (
        "fatal",
        "[BR-CO-09]-The Seller VAT identifier (BT-31), the Seller tax representative VAT identifier (BT-63) and the Buyer VAT identifier (BT-48) shall have a prefix in accordance with ISO code ISO 3166-1 alpha-2 by which the country of issue may be identified. Nevertheless, Greece may use the prefix ‘EL’.",
    ),
    "BR-AE-08": (
        "fatal",
        '[BR-AE-08]-In a VAT breakdown (BG-23) where the VAT category code (BT-118) is "Reverse charge" the VAT category taxable amount (BT-116) shall equal the sum of Invoice line net amounts (BT-131) minus the sum of Document level allowance amounts (BT-92) plus the sum of Document level charge amounts (BT-99) where the VAT category codes (BT-151, BT-95, BT-102) are "Reverse charge".',
    ),
    "BR-AE-09": (
        "fatal",
        '[BR-AE-09]-The VAT category tax amount (BT-117) in a VAT breakdown (BG-23) where the VAT category code (BT-118) is "Reverse charge" shall be 0 (zero).',
    ),
    "BR-AE-10": (
        "fatal",
        '[BR-AE-10]-A VAT breakdown (BG-23) with VAT Category code (BT-118) "Reverse charge" shall have a VAT exemption reason code (BT-121), meaning "Reverse charge" or the VAT exemption reason text (BT-120) "Reverse charge" (or the equivalent standard text in another language).',
    ),
    "BR-AE-06": (
        "fatal",
        '[BR-AE-06]-In a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is "Reverse charge" the Document level allowance VAT rate (BT-96) shall be 0 (zero).',
    ),
    "BR-AE-07": (
        "fatal",
        '[BR-AE-07]-In a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is "Reverse charge" the Document level charge VAT rate (BT-103) shall be 0 (zero).',
    ),
    "BR-AE-05": (
        "fatal",
        '[BR-AE-05]-In an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is "Reverse charge" the Invoiced item VAT rate (BT-152) shall be 0 (zero).',
    ),
    "BR-E-08": (
        "fatal",
        '[BR-E-08]-In a VAT breakdown (BG-23) where the VAT category code (BT-118) is "Exempt from VAT" the VAT category taxable amount (BT-116) shall equal the sum of Invoice line net amounts (BT-131) minus the sum of Document level allowance amounts (BT-92) plus the sum of Document level charge amounts (BT-99) where the VAT category codes (BT-151, BT-95, BT-102) are "Exempt from VAT".',
    ),
    "BR-E-09": (
        "fatal",
        '[BR-E-09]-The VAT category tax amount (BT-117) In a VAT breakdown (BG-23) where the VAT category code (BT-118) equals "Exempt from VAT" shall equal 0 (zero).',
    ),
    "BR-E-10": (
        "fatal",
        '[BR-E-10]-A VAT breakdown (BG-23) with VAT Category code (BT-118) "Exempt from VAT" shall have a VAT exemption reason code (BT-121) or a VAT exemption reason text (BT-120).',
    ),
    "BR-E-06": (
        "fatal",
        '[BR-E-06]-In a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is "Exempt from VAT", the Document level allowance VAT rate (BT-96) shall be 0 (zero).',
    ),
    "BR-E-07": (
        "fatal",
        '[BR-E-07]-In a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is "Exempt from VAT", the Document level charge VAT rate (BT-103) shall be 0 (zero).',
    ),
    "BR-E-05": (
        "fatal",
        '[BR-E-05]-In an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is "Exempt from VAT", the Invoiced item VAT rate (BT-152) shall be 0 (zero).',
    ),
    "BR-G-08": (
        "fatal",
        '[BR-G-08]-In a VAT breakdown (BG-23) where the VAT category code (BT-118) is "Export outside the EU" the VAT category taxable amount (BT-116) shall equal the sum of Invoice line net amounts (BT-131) minus the sum of Document level allowance amounts (BT-92) plus the sum of Document level charge amounts (BT-99) where the VAT category codes (BT-151, BT-95, BT-102) are "Export outside the EU".',
    ),
    "BR-G-09": (
        "fatal",
        '[BR-G-09]-The VAT category tax amount (BT-117) in a VAT breakdown (BG-23) where the VAT category code (BT-118) is "Export outside the EU" shall be 0 (zero).',
    ),
    "BR-G-10": (
        "fatal",
        '[BR-G-10]-A VAT breakdown (BG-23) with the VAT Category code (BT-118) "Export outside the EU" shall have a VAT exemption reason code (BT-121), meaning "Export outside the EU" or the VAT exemption reason text (BT-120) "Export outside the EU" (or the equivalent standard text in another language).',
    ),
    "BR-G-06": (
        "fatal",
        '[BR-G-06]-In a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is "Export outside the EU" the Document level allowance VAT rate (BT-96) shall be 0 (zero).',
    ),
    "BR-G-07": (
        "fatal",
        '[BR-G-07]-In a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is "Export outside the EU" the Document level charge VAT rate (BT-103) shall be 0 (zero).',
    ),
    "BR-G-05": (
        "fatal",
        '[BR-G-05]-In an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is "Export outside the EU" the Invoiced item VAT rate (BT-152) shall be 0 (zero).',
    ),
    "BR-IC-08": (
        "fatal",
        '[BR-IC-08]-In a VAT breakdown (BG-23) where the VAT category code (BT-118) is "Intra-community supply" the VAT category taxable amount (BT-116) shall equal the sum of Invoice line net amounts (BT-131) minus the sum of Document level allowance amounts (BT-92) plus the sum of Document level charge amounts (BT-99) where the VAT category codes (BT-151, BT-95, BT-102) are "Intra-community supply".',
    ),
    "BR-IC-09": (
        "fatal",
        '[BR-IC-09]-The VAT category tax amount (BT-117) in a VAT breakdown (BG-23) where the VAT category code (BT-118) is "Intra-community supply" shall be 0 (zero).',
    ),
    "BR-IC-10": (
        "fatal",
        '[BR-IC-10]-A VAT breakdown (BG-23) with the VAT Category code (BT-118) "Intra-community supply" shall have a VAT exemption reason code (BT-121), meaning "Intra-community supply" or the VAT exemption reason text (BT-120) "Intra-community supply" (or the equivalent standard text in another language).',
    ),
    "BR-IC-06": (
        "fatal",
        '[BR-IC-06]-In a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is "Intra-community supply" the Document level allowance VAT rate (BT-96) shall be 0 (zero).',
    ),
    "BR-IC-07": (
        "fatal",
        '[BR-IC-07]-In a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is "Intra-community supply" the Document level charge VAT rate (BT-103) shall be 0 (zero).',
    ),
    "BR-IC-05": (
        "fatal",
        '[BR-IC-05]-In an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is "Intracommunity supply" the Invoiced item VAT rate (BT-152) shall be 0 (zero).',
    ),
    "BR-AF-08": (
        "fatal",
        '[BR-AF-08]-For each different value of VAT category rate (BT-119) where the VAT category code (BT-118) is "IGIC", the VAT category taxable amount (BT-116) in a VAT breakdown (BG-23) shall equal the sum of Invoice line net amounts (BT-131) plus the sum of document level charge amounts (BT-99) minus the sum of document level allowance amounts (BT-92) where the VAT category code (BT-151, BT-102, BT-95) is "IGIC" and the VAT rate (BT-152, BT-103, BT-96) equals the VAT category rate (BT-119).',
    ),
    "BR-AF-09": (
        "fatal",
        '[BR-AF-09]-The VAT category tax amount (BT-117) in a VAT breakdown (BG-23) where VAT category code (BT-118) is "IGIC" shall equal the VAT category taxable amount (BT-116) multiplied by the VAT category rate (BT-119).',
    ),
    "BR-AF-10": (
        "fatal",
        '[BR-AF-10]-A VAT breakdown (BG-23) with VAT Category code (BT-118) "IGIC" shall not have a VAT exemption reason code (BT-121) or VAT exemption reason text (BT-120).',
    ),
    "BR-AF-06": (
        "fatal",
        '[BR-AF-06]-In a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is "IGIC" the Document level allowance VAT rate (BT-96) shall be 0 (zero) or greater than zero.',
    ),
    "BR-AF-07": (
        "fatal",
        '[BR-AF-07]-In a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is "IGIC" the Document level charge VAT rate (BT-103) shall be 0 (zero) or greater than zero.',
    ),
    "BR-AF-05": (
        "fatal",
        '[BR-AF-05]-In an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is "IGIC" the invoiced item VAT rate (BT-152) shall be 0 (zero) or greater than zero.',
    ),
    "BR-AG-08": (
        "fatal",
        '[BR-AG-08]-For each different value of VAT category rate (BT-119) where the VAT category code (BT-118) is "IPSI", the VAT category taxable amount (BT-116) in a VAT breakdown (BG-23) shall equal the sum of Invoice line net amounts (BT-131) plus the sum of document level charge amounts (BT-99) minus the sum of document level allowance amounts (BT-92) where the VAT category code (BT-151, BT-102, BT-95) is "IPSI" and the VAT rate (BT-152, BT-103, BT-96) equals the VAT category rate (BT-119).',
    ),
    "BR-AG-09": (
        "fatal",
        '[BR-AG-09]-The VAT category tax amount (BT-117) in a VAT breakdown (BG-23) where VAT category code (BT-118) is "IPSI" shall equal the VAT category taxable amount (BT-116) multiplied by the VAT category rate (BT-119).',
    ),
    "BR-AG-10": (
        "fatal",
        '[BR-AG-10]-A VAT breakdown (BG-23) with VAT Category code (BT-118) "IPSI" shall not have a VAT exemption reason code (BT-121) or VAT exemption reason text (BT-120).',
    ),
    "BR-AG-06": (
        "fatal",
        '[BR-AG-06]-In a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is "IPSI" the Document level allowance VAT rate (BT-96) shall be 0 (zero) or greater than zero.',
    ),
    "BR-AG-07": (
        "fatal",
        '[BR-AG-07]-In a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is "IPSI" the Document level charge VAT rate (BT-103) shall be 0 (zero) or greater than zero.',
    ),
    "BR-AG-05": (
        "fatal",
        '[BR-AG-05]-In an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is "IPSI" the Invoiced item VAT rate (BT-152) shall be 0 (zero) or greater than zero.',
    ),
    "BR-O-08": (
        "fatal",
        '[BR-O-08]-In a VAT breakdown (BG-23) where the VAT category code (BT-118) is " Not subject to VAT" the VAT category taxable amount (BT-116) shall equal the sum of Invoice line net amounts (BT-131) minus the sum of Document level allowance amounts (BT-92) plus the sum of Document level charge amounts (BT-99) where the VAT category codes (BT-151, BT-95, BT-102) are "Not subject to VAT".',
    ),
    "BR-O-09": (
        "fatal",
        '[BR-O-09]-The VAT category tax amount (BT-117) in a VAT breakdown (BG-23) where the VAT category code (BT-118) is "Not subject to VAT" shall be 0 (zero).',
    ),
    "BR-O-10": (
        "fatal",
        '[BR-O-10]-A VAT breakdown (BG-23) with VAT Category code (BT-118) " Not subject to VAT" shall have a VAT exemption reason code (BT-121), meaning " Not subject to VAT" or a VAT exemption reason text (BT-120) " Not subject to VAT" (or the equivalent standard text in another language).',
    ),
    "BR-O-06": (
        "fatal",
        '[BR-O-06]-A Document level allowance (BG-20) where VAT category code (BT-95) is "Not subject to VAT" shall not contain a Document level allowance VAT rate (BT-96).',
    ),
    "BR-O-07": (
        "fatal",
        '[BR-O-07]-A Document level charge (BG-21) where the VAT category code (BT-102) is "Not subject to VAT" shall not contain a Document level charge VAT rate (BT-103).',
    ),
    "BR-O-05": (
        "fatal",
        '[BR-O-05]-An Invoice line (BG-25) where the VAT category code (BT-151) is "Not subject to VAT" shall not contain an Invoiced item VAT rate (BT-152).',
    ),
    "BR-S-08": (
        "fatal",
        '[BR-S-08]-For each different value of VAT category rate (BT-119) where the VAT category code (BT-118) is "Standard rated", the VAT category taxable amount (BT-116) in a VAT breakdown (BG-23) shall equal the sum of Invoice line net amounts (BT-131) plus the sum of document level charge amounts (BT-99) minus the sum of document level allowance amounts (BT-92) where the VAT category code (BT-151, BT-102, BT-95) is "Standard rated" and the VAT rate (BT-152, BT-103, BT-96) equals the VAT category rate (BT-119).',
    ),
    "BR-S-09": (
        "fatal",
        '[BR-S-09]-The VAT category tax amount (BT-117) in a VAT breakdown (BG-23) where VAT category code (BT-118) is "Standard rated" shall equal the VAT category taxable amount (BT-116) multiplied by the VAT category rate (BT-119).',
    ),
    "BR-S-10": (
        "fatal",
        '[BR-S-10]-A VAT breakdown (BG-23) with VAT Category code (BT-118) "Standard rate" shall not have a VAT exemption reason code (BT-121) or VAT exemption reason text (BT-120).',
    ),
    "BR-S-06": (
        "fatal",
        '[BR-S-06]-In a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is "Standard rated" the Document level allowance VAT rate (BT-96) shall be greater than zero.',
    ),
    "BR-S-07": (
        "fatal",
        '[BR-S-07]-In a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is "Standard rated" the Document level charge VAT rate (BT-103) shall be greater than zero.',
    ),
    "BR-S-05": (
        "fatal",
        '[BR-S-05]-In an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is "Standard rated" the Invoiced item VAT rate (BT-152) shall be greater than zero.',
    ),
    "BR-Z-08": (
        "fatal",
        '[BR-Z-08]-In a VAT breakdown (BG-23) where VAT category code (BT-118) is "Zero rated" the VAT category taxable amount (BT-116) shall equal the sum of Invoice line net amount (BT-131) minus the sum of Document level allowance amounts (BT-92) plus the sum of Document level charge amounts (BT-99) where the VAT category codes (BT-151, BT-95, BT-102) are "Zero rated".',
    ),
    "BR-Z-09": (
        "fatal",
        '[BR-Z-09]-The VAT category tax amount (BT-117) in a VAT breakdown (BG-23) where VAT category code (BT-118) is "Zero rated" shall equal 0 (zero).',
    ),
    "BR-Z-10": (
        "fatal",
        '[BR-Z-10]-A VAT breakdown (BG-23) with VAT Category code (BT-118) "Zero rated" shall not have a VAT exemption reason code (BT-121) or VAT exemption reason text (BT-120).',
    ),
    "BR-Z-06": (
        "fatal",
        '[BR-Z-06]-In a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is "Zero rated" the Document level allowance VAT rate (BT-96) shall be 0 (zero).',
    ),
    "BR-Z-07": (
        "fatal",
        '[BR-Z-07]-In a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is "Zero rated" the Document level charge VAT rate (BT-103) shall be 0 (zero).',
    ),
    "BR-Z-05": (
        "fatal",
        '[BR-Z-05]-In an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is "Zero rated" the Invoiced item VAT rate (BT-152) shall be 0 (zero).',
    ),
}
