"""Ids, flags and messages of every assert of the Peppol BIS post-award rule sets.

Copied from the published Schematron (``poacc-upgrade-3``, ``rules/parts``); the message is the
official one with its whitespace normalised, as the validators report it.
"""

from __future__ import annotations

from faelles.einvoice.findings import Flag

ASSERTS: dict[str, tuple[Flag, str]] = {
    # common/empty-elements.sch
    "PEPPOL-COMMON-R001": ("fatal", "Document MUST not contain empty elements."),
    # common/rules.sch
    "PEPPOL-COMMON-R003": ("warning", "Document SHOULD not contain schema location."),
    "PEPPOL-COMMON-R030": ("fatal", "A date must be formatted YYYY-MM-DD."),
    "PEPPOL-COMMON-R040": ("fatal", "GLN must have a valid format according to GS1 rules."),
    "PEPPOL-COMMON-R041": (
        "fatal",
        "Norwegian organization number MUST be stated in the correct format.",
    ),
    "PEPPOL-COMMON-R043": (
        "fatal",
        "Belgian enterprise number MUST be stated in the correct format.",
    ),
    "PEPPOL-COMMON-R044": (
        "warning",
        "IPA Code (Codice Univoco Unità Organizzativa) must be stated in the correct format",
    ),
    "PEPPOL-COMMON-R045": (
        "warning",
        "Tax Code (Codice Fiscale) must be stated in the correct format",
    ),
    "PEPPOL-COMMON-R046": (
        "warning",
        "Tax Code (Codice Fiscale) must be stated in the correct format",
    ),
    "PEPPOL-COMMON-R047": (
        "warning",
        "Italian VAT Code (Partita Iva) must be stated in the correct format",
    ),
    "PEPPOL-COMMON-R048": (
        "warning",
        "Italian VAT Code (Partita Iva) must be stated in the correct format",
    ),
    "PEPPOL-COMMON-R049": (
        "fatal",
        "Swedish organization number MUST be stated in the correct format.",
    ),
    "PEPPOL-COMMON-R050": (
        "fatal",
        "Australian Business Number (ABN) MUST be stated in the correct format.",
    ),
    # PEPPOL-M-T01.sch
    "PEPPOL-T01-R031": (
        "fatal",
        "An order transaction SHALL use profile order only, ordering or advanced_ordering.",
    ),
    "PEPPOL-T01-R034": (
        "fatal",
        "Specification identifier SHALL start with the value 'urn:fdc:peppol.eu:poacc:trns:order:3'.",
    ),
    "PEPPOL-T01-R003": ("fatal", "An order SHALL be stated in a single currency"),
    "PEPPOL-T01-R028": (
        "fatal",
        "Elements of data type amount cannot have more than 2 decimals (I.e. all amounts except unit price amounts)",
    ),
    "PEPPOL-T01-R002": (
        "warning",
        "An order SHOULD provide information about its validity end date.",
    ),
    "PEPPOL-T01-R014": ("fatal", "An order SHALL have the originator party name or an identifier"),
    "PEPPOL-T01-R026": (
        "fatal",
        "When TAX is VAT then Party VAT identifiers SHALL have a prefix in accordance with ISO code ISO 3166-1 alpha-2 by which the country of issue may be identified. Nevertheless, Greece may use the prefix ‘EL’.",
    ),
    "PEPPOL-T01-R006": ("fatal", "Expected total amount for payment SHALL NOT be negative"),
    "PEPPOL-T01-R007": ("fatal", "Expected total sum of line amounts SHALL NOT be negative"),
    "PEPPOL-T01-R008": (
        "fatal",
        "Expected total sum of line amounts SHALL equal the sum of the order line amounts at order line level",
    ),
    "PEPPOL-T01-R009": (
        "fatal",
        "Expected total sum of allowance at document level SHALL be equal to the sum of allowance amounts at document level",
    ),
    "PEPPOL-T01-R010": (
        "fatal",
        "Expected total sum of charges at document level SHALL be equal to the sum of charge amounts at document level",
    ),
    "PEPPOL-T01-R011": (
        "fatal",
        "Expected total amount without TAX = Expected total sum of line amounts - Sum of allowances on document level + Sum of charges on document level",
    ),
    "PEPPOL-T01-R016": (
        "fatal",
        "Amount due for payment = Invoice total amount with TAX - Paid amount + Rounding amount.",
    ),
    "PEPPOL-T01-R017": (
        "fatal",
        "Expected total amount with TAX = Expected total amount without TAX + Order total TAX amount.",
    ),
    "PEPPOL-T01-R020": (
        "fatal",
        "Allowance/charge base amount SHALL be provided when allowance/charge percentage is provided.",
    ),
    "PEPPOL-T01-R021": (
        "fatal",
        "Allowance/charge percentage SHALL be provided when allowance/charge base amount is provided.",
    ),
    "PEPPOL-T01-R022": (
        "fatal",
        "Allowance/charge amount SHALL equal base amount * percentage/100 if base amount and percentage exists",
    ),
    "PEPPOL-T01-R023": (
        "fatal",
        "Each document or line level allowance SHALL have an allowance reason text or an allowance reason code.",
    ),
    "PEPPOL-T01-R032": ("fatal", "Allowance or charge amounts SHALL NOT be negative."),
    "PEPPOL-T01-R029": (
        "fatal",
        "Each Tax Category SHALL have a TAX category rate, except if the order is not subject to TAX.",
    ),
    "PEPPOL-T01-R030": (
        "fatal",
        'When TAX category code is "Standard rated" (S) the TAX rate SHALL be greater than zero.',
    ),
    "PEPPOL-T01-R024": (
        "fatal",
        "Order line net amount SHALL equal (Ordered quantity * (Item net price/item price base quantity) + Order line charge amount - Order line allowance amount",
    ),
    "PEPPOL-T01-R025": ("fatal", "Base quantity SHALL be a positive number above zero."),
    "PEPPOL-T01-R001": (
        "fatal",
        "Each order line SHALL have a document line identifier that is unique within the order.",
    ),
    "PEPPOL-T01-R004": ("fatal", "Each order line ordered quantity SHALL not be negative"),
    "PEPPOL-T01-R013": ("warning", "Each order line SHOULD have an ordered quantity"),
    "PEPPOL-T01-R019": (
        "fatal",
        "Item net price SHALL equal (Gross price - Allowance amount) when gross price is provided.",
    ),
    "PEPPOL-T01-R005": ("fatal", "Each order line item net price SHALL not be negative"),
    "PEPPOL-T01-R027": ("fatal", "The Item gross price SHALL NOT be negative."),
    "PEPPOL-T01-R033": ("fatal", "Allowance or charge amounts SHALL NOT be negative."),
    "PEPPOL-T01-CL001": ("fatal", "Reason code MUST be according to subset of UNCL 5189 D.16B."),
    "PEPPOL-T01-CL002": ("fatal", "Reason code MUST be according to UNCL 7161 D.16B."),
    # PEPPOL-M-T76.sch
    "PEPPOL-T76-R006": (
        "fatal",
        "Specification identifier SHALL start with the value 'urn:fdc:peppol.eu:poacc:trns:order_response:3'.",
    ),
    "PEPPOL-T76-R005": ("fatal", "An order response SHALL be stated in a single currency"),
    "PEPPOL-T76-R001": (
        "fatal",
        "An order response SHALL have the buyer party official name or a buyer party identifier",
    ),
    "PEPPOL-T76-R002": (
        "fatal",
        "An order response SHALL have the seller party official name or a seller party identifier",
    ),
    "PEPPOL-T76-R004": (
        "fatal",
        "If both delivery period start date and delivery period end date are given then the end date SHALL be later or equal to the start date.",
    ),
    "PEPPOL-T76-R003": (
        "fatal",
        "Each order response line SHALL have a document line identifier that is unique within the order.",
    ),
    "PEPPOL-T76-R007": (
        "fatal",
        "An order response with code CA (Conditionally accepted) must provide order lines.",
    ),
    "PEPPOL-T76-R008": (
        "fatal",
        "An order response with code AP (Accepted) should NOT provide order lines.",
    ),
    "PEPPOL-T76-R009": (
        "fatal",
        "An order response with code RE (Rejected) should NOT provide order lines.",
    ),
    "PEPPOL-T76-R010": (
        "fatal",
        "An order response with code AB (Acknowledged) must NOT provide order lines.",
    ),
    # PEPPOL-M-T110.sch
    "PEPPOL-T110-R030": (
        "fatal",
        "Specification identifier SHALL start with the value 'urn:fdc:peppol.eu:poacc:trns:order_agreement:3'.",
    ),
    "PEPPOL-T110-R002": (
        "fatal",
        'Each item in an Order agreement line SHALL be identifiable by either "item sellers identifier" or "item standard identifier"',
    ),
    "PEPPOL-T110-R004": ("fatal", "All amounts SHALL have same currency code as document currency"),
    "PEPPOL-T110-R013": (
        "fatal",
        "Elements of data type amount cannot have more than 2 decimals (I.e. all amounts except unit price amounts)",
    ),
    "PEPPOL-T110-R024": (
        "fatal",
        "TAX category tax amount = TAX category taxable amount x (TAX category rate / 100), rounded to two decimals.",
    ),
    "PEPPOL-T110-R025": (
        "fatal",
        "If TAX breakdown is present, the order agreement TAX total amount = Σ TAX category tax amount.",
    ),
    "PEPPOL-T110-R028": (
        "fatal",
        "A TAX breakdown with TAX Category codes E, AE, K, G or O SHALL have a TAX exemption reason text",
    ),
    "PEPPOL-T110-R029": (
        "fatal",
        "A TAX breakdown with TAX Category codes S, Z, L and M SHALL NOT have a TAX exemption reason text",
    ),
    "PEPPOL-T110-R026": (
        "fatal",
        "Tax category rates MUST match provided tax categories on document level when such exists.",
    ),
    "PEPPOL-T110-R027": (
        "fatal",
        "Tax categories MUST match provided tax categories on document level when such exists.",
    ),
    "PEPPOL-T110-R019": (
        "fatal",
        "Each Tax Category SHALL have a TAX category rate, except if the order is not subject to TAX.",
    ),
    "PEPPOL-T110-R020": (
        "fatal",
        'When TAX category code is "Standard rated" (S) the TAX rate SHALL be greater than zero.',
    ),
    "PEPPOL-T110-R014": (
        "fatal",
        "If document totals is provided, all order agreement lines SHALL have a line extension amount",
    ),
    "PEPPOL-T110-R005": (
        "fatal",
        "Total amount for payment SHALL NOT be negative, if expected total amount for payment is provided.",
    ),
    "PEPPOL-T110-R006": (
        "fatal",
        "Total amount for payment SHALL NOT be negative, if expected total amount for payment is provided.",
    ),
    "PEPPOL-T110-R007": (
        "fatal",
        "Total sum of line amounts SHALL equal the sum of the order line amounts at order line level, if total sum of line amounts is provided.",
    ),
    "PEPPOL-T110-R008": (
        "fatal",
        "Total sum of charges at document level SHALL be equal to the sum of charges at document level, if total sum of charges at document level is provided.",
    ),
    "PEPPOL-T110-R009": (
        "fatal",
        "Total sum of allowance at document level SHALL be equal to the sum of allowance amounts at document level, if total sum of allowance at document level is provided.",
    ),
    "PEPPOL-T110-R010": (
        "fatal",
        "Tax exclusive amount SHALL equal the sum of line amount plus total charge amount at document level less total allowance amount at document level if tax exclusive amount is provided.",
    ),
    "PEPPOL-T110-R011": (
        "fatal",
        "Tax inclusive amount SHALL equal tax exclusive amount plus total tax amount.",
    ),
    "PEPPOL-T110-R012": (
        "fatal",
        "Total amount for payment SHALL be equal to the tax inclusive amount minus the prepaid amount plus rounding amount",
    ),
    "PEPPOL-T110-R015": (
        "fatal",
        "Allowance/charge base amount SHALL be provided when allowance/charge percentage is provided.",
    ),
    "PEPPOL-T110-R016": (
        "fatal",
        "Allowance/charge percentage SHALL be provided when allowance/charge base amount is provided.",
    ),
    "PEPPOL-T110-R017": (
        "fatal",
        "Allowance/charge amount SHALL equal base amount * percentage/100 if base amount and percentage exists",
    ),
    "PEPPOL-T110-R018": (
        "fatal",
        "Each document level allowance SHALL have an allowance reason text or an allowance reason code.",
    ),
    "PEPPOL-T110-R021": (
        "fatal",
        "Document level allowance or charge amounts SHALL NOT be negative.",
    ),
    "PEPPOL-T110-R001": ("fatal", "Each order agreement line item net price SHALL not be negative"),
    "PEPPOL-T110-R022": ("fatal", "The Item gross price SHALL NOT be negative."),
    "PEPPOL-T110-R023": ("fatal", "Allowance or charge price amounts SHALL NOT be negative."),
    "PEPPOL-T110-CL001": ("fatal", "Reason code MUST be according to subset of UNCL 5189 D.16B."),
    "PEPPOL-T110-CL002": ("fatal", "Reason code MUST be according to UNCL 7161 D.16B."),
    # PEPPOL-M-T116.sch
    "PEPPOL-T116-R006": (
        "fatal",
        "Specification identifier MUST start with the value 'urn:fdc:peppol.eu:poacc:trns:order_response_advanced:3'.",
    ),
    "PEPPOL-T116-R005": ("fatal", "An order response MUST be stated in a single currency"),
    "PEPPOL-T116-R001": (
        "fatal",
        "An order response MUST have the buyer party official name or a buyer party identifier",
    ),
    "PEPPOL-T116-R002": (
        "fatal",
        "An order response MUST have the seller party official name or a seller party identifier",
    ),
    "PEPPOL-T116-R004": (
        "fatal",
        "If both delivery period start date and delivery period end date are given then the end date MUST be later or equal to the start date.",
    ),
    "PEPPOL-T116-R007": (
        "fatal",
        "An order response with code CA (Conditionally accepted) must provide order lines.",
    ),
    "PEPPOL-T116-R008": (
        "fatal",
        "An order response with code AP (Accepted) should NOT provide order lines.",
    ),
    "PEPPOL-T116-R009": (
        "fatal",
        "An order response with code RE (Rejected) should NOT provide order lines.",
    ),
    "PEPPOL-T116-R010": (
        "fatal",
        "An order response with code AB (Acknowledged) must NOT provide order lines.",
    ),
    "PEPPOL-T116-R003": (
        "fatal",
        "Each order response line MUST have a document line identifier that is unique within the order.",
    ),
    # PEPPOL-M-T114.sch
    "PEPPOL-T114-R031": (
        "fatal",
        "An order change transaction MUST use profile advanced_ordering.",
    ),
    "PEPPOL-T114-R034": (
        "fatal",
        "Specification identifier MUST start with the value 'urn:fdc:peppol.eu:poacc:trns:order_change:3'.",
    ),
    "PEPPOL-T114-R003": ("fatal", "An order MUST be stated in a single currency"),
    "PEPPOL-T114-R028": (
        "fatal",
        "Elements of data type amount cannot have more than 2 decimals (I.e. all amounts except unit price amounts)",
    ),
    "PEPPOL-T114-R002": (
        "warning",
        "An order change SHOULD provide information about its validity end date.",
    ),
    "PEPPOL-T114-R014": (
        "fatal",
        "An order change MUST have the originator party name or an identifier",
    ),
    "PEPPOL-T114-R026": (
        "fatal",
        "When TAX is VAT then Party VAT identifiers MUST have a prefix in accordance with ISO code ISO 3166-1 alpha-2 by which the country of issue may be identified. Nevertheless, Greece may use the prefix ‘EL’.",
    ),
    "PEPPOL-T114-R006": ("fatal", "Expected total amount for payment MUST NOT be negative"),
    "PEPPOL-T114-R007": ("fatal", "Expected total sum of line amounts MUST NOT be negative"),
    "PEPPOL-T114-R008": (
        "fatal",
        "Expected total sum of line amounts MUST equal the sum of the order line amounts at order line level",
    ),
    "PEPPOL-T114-R009": (
        "fatal",
        "Expected total sum of allowance at document level MUST be equal to the sum of allowance amounts at document level",
    ),
    "PEPPOL-T114-R010": (
        "fatal",
        "Expected total sum of charges at document level MUST be equal to the sum of charge amounts at document level",
    ),
    "PEPPOL-T114-R011": (
        "fatal",
        "Expected total amount without TAX = Expected total sum of line amounts - Sum of allowances on document level + Sum of charges on document level",
    ),
    "PEPPOL-T114-R016": (
        "fatal",
        "Amount due for payment = Order change total amount with TAX - Paid amount + Rounding amount.",
    ),
    "PEPPOL-T114-R017": (
        "fatal",
        "Expected total amount with TAX = Expected total amount without TAX + Order total TAX amount.",
    ),
    "PEPPOL-T114-R020": (
        "fatal",
        "Allowance/charge base amount MUST be provided when allowance/charge percentage is provided.",
    ),
    "PEPPOL-T114-R021": (
        "fatal",
        "Allowance/charge percentage MUST be provided when allowance/charge base amount is provided.",
    ),
    "PEPPOL-T114-R022": (
        "fatal",
        "Allowance/charge amount MUST equal base amount * percentage/100 if base amount and percentage exists",
    ),
    "PEPPOL-T114-R023": (
        "fatal",
        "Each document or line level allowance MUST have an allowance reason text or an allowance reason code.",
    ),
    "PEPPOL-T114-R032": ("fatal", "Allowance or charge amounts MUST NOT be negative."),
    "PEPPOL-T114-R029": (
        "fatal",
        "Each Tax Category MUST have a TAX category rate, except if the order is not subject to TAX.",
    ),
    "PEPPOL-T114-R030": (
        "fatal",
        'When TAX category code is "Standard rated" (S) the TAX rate MUST be greater than zero.',
    ),
    "PEPPOL-T114-R024": (
        "fatal",
        "Order line net amount MUST equal (Ordered quantity * (Item net price/item price base quantity) + Order line charge amount - Order line allowance amount",
    ),
    "PEPPOL-T114-R025": ("fatal", "Base quantity MUST be a positive number above zero."),
    "PEPPOL-T114-R001": (
        "fatal",
        "Each order line MUST have a document line identifier that is unique within the order.",
    ),
    "PEPPOL-T114-R004": ("fatal", "Each order line ordered quantity MUST not be negative"),
    "PEPPOL-T114-R013": ("warning", "Each order line SHOULD have an ordered quantity"),
    "PEPPOL-T114-R019": (
        "fatal",
        "Item net price MUST equal (Gross price - Allowance amount) when gross price is provided.",
    ),
    "PEPPOL-T114-R005": ("fatal", "Each order line item net price MUST not be negative"),
    "PEPPOL-T114-R027": ("fatal", "The Item gross price MUST NOT be negative."),
    "PEPPOL-T114-R033": ("fatal", "Allowance or charge amounts MUST NOT be negative."),
    "PEPPOL-T114-CL001": ("fatal", "Reason code MUST be according to subset of UNCL 5189 D.16B."),
    "PEPPOL-T114-CL002": ("fatal", "Reason code MUST be according to UNCL 7161 D.16B."),
    # PEPPOL-M-T115.sch
    "PEPPOL-T115-R031": (
        "fatal",
        "An order cancellation transaction MUST use profile advanced_ordering.",
    ),
    "PEPPOL-T115-R034": (
        "fatal",
        "Specification identifier MUST start with the value 'urn:fdc:peppol.eu:poacc:trns:order_cancellation:3'.",
    ),
    # PEPPOL-M-T19.sch
    "PEPPOL-T19-R017": (
        "fatal",
        "An order transaction SHALL use profile catalogue only or catalogue without response.",
    ),
    "PEPPOL-T19-R018": (
        "fatal",
        "Specification identifier SHALL start with the value 'urn:fdc:peppol.eu:poacc:trns:catalogue:3'.",
    ),
    "PEPPOL-T19-R001": (
        "fatal",
        "A validity period end date SHALL be later or equal to a validity period start date",
    ),
    "PEPPOL-T19-R004": (
        "fatal",
        "A catalogue supplier SHALL contain the full name or an identifier",
    ),
    "PEPPOL-T19-R005": (
        "fatal",
        "A catalogue customer SHALL contain the full name or an identifier",
    ),
    "PEPPOL-T19-R008": ("fatal", "Maximum quantity SHALL be greater than zero"),
    "PEPPOL-T19-R009": ("fatal", "Minimum quantity SHALL be greater than zero"),
    "PEPPOL-T19-R010": (
        "fatal",
        "Maximum quantity SHALL be greater or equal to the Minimum quantity",
    ),
    "PEPPOL-T19-R007": (
        "fatal",
        "Catalogue line validity period SHALL be within the range of the whole catalogue validity period",
    ),
    "PEPPOL-T19-R013": (
        "fatal",
        "A line validity period end date SHALL be later or equal to the line validity period start date",
    ),
    "PEPPOL-T19-R006": ("fatal", "Prices of items SHALL not be negative"),
    "PEPPOL-T19-R011": (
        "fatal",
        "Price validity start date SHALL be within the range of the catalogue line or catalogue validity period",
    ),
    "PEPPOL-T19-R016": (
        "fatal",
        "A price validity period end date SHALL be later or equal to the price validity period start date",
    ),
    "PEPPOL-T19-R014": (
        "fatal",
        "Each Tax Category SHALL have a TAX category rate, except if the catalogue line is not subject to TAX.",
    ),
    "PEPPOL-T19-R015": (
        "fatal",
        'When TAX category code is "Standard rated" (S) the TAX rate SHALL be greater than zero.',
    ),
    "PEPPOL-T19-R012": (
        "fatal",
        'Each item in a Catalogue line SHALL be identifiable by either "item sellers identifier" or "item standard identifier"',
    ),
    # PEPPOL-M-T77.sch
    "PEPPOL-T77-R010": (
        "fatal",
        "Specification identifier SHALL start with the value 'urn:fdc:peppol.eu:poacc:trns:punch_out:3'.",
    ),
    "PEPPOL-T77-R001": (
        "fatal",
        "The validity period end date SHALL NOT be earlier than the issue date.",
    ),
    "PEPPOL-T77-R003": ("fatal", "Prices of items SHALL not be negative"),
    "PEPPOL-T77-R004": (
        "fatal",
        'Each item in a shopping cart line SHALL be identifiable by either "item sellers identifier" or "item standard identifier"',
    ),
    "PEPPOL-T77-R005": ("fatal", "Only one attachment may be identified as main image."),
    "PEPPOL-T77-R006": (
        "fatal",
        "Unit code for price base quantity SHALL be same as for batch quantity.",
    ),
    "PEPPOL-T77-R002": ("fatal", "Shopping cart line quantities SHALL be greater than ZERO."),
    "PEPPOL-T77-R007": (
        "fatal",
        'For AdditionalItemProperties where name is ServiceIndicator the value may only be "true" or "false".',
    ),
    "PEPPOL-T77-R008": (
        "fatal",
        "Each Tax Category SHALL have a TAX category rate, except if the shopping cart is not subject to TAX.",
    ),
    "PEPPOL-T77-R009": (
        "fatal",
        'When TAX category code is "Standard rated" (S) the TAX rate SHALL be greater than zero.',
    ),
    # PEPPOL-M-T58.sch
    "PEPPOL-T58-R001": (
        "fatal",
        "Specification identifier SHALL start with the value 'urn:fdc:peppol.eu:poacc:trns:catalogue_response:3'.",
    ),
    # PEPPOL-M-T71.sch
    "PEPPOL-T71-R001": (
        "fatal",
        "Specification identifier SHALL start with the value 'urn:fdc:peppol.eu:poacc:trns:mlr:3'.",
    ),
    # PEPPOL-M-T111.sch
    "PEPPOL-T111-R001": (
        "fatal",
        "If status code is one of: CA, UQ or RE then there SHALL be at a clarification code in Invoice Response.",
    ),
    "PEPPOL-T111-R002": (
        "warning",
        "If Clarification code is OTH then Clarification reason SHOULD be provided.",
    ),
    "PEPPOL-T111-R003": (
        "fatal",
        "Specification identifier SHALL start with the value 'urn:fdc:peppol.eu:poacc:trns:invoice_response:3'.",
    ),
    "PEPPOL-T111-R004": (
        "fatal",
        "If Clarification code is PPD, indicating partial payment, then Clarification reason SHALL be provided.",
    ),
    "PEPPOL-T111-R005": (
        "fatal",
        'Clarification Reason "PPD" SHALL only be used in compination with Status "PD".',
    ),
    # PEPPOL-M-T111-2.sch
    "PEPPOL-T111-R006": (
        "fatal",
        "Clarification Reason code shall exist in the OPStatusAction code lists as identified by listID.",
    ),
    "PEPPOL-T111-R007": (
        "fatal",
        "Clarification Reason code shall exist in the OPStatusReason code lists as identified by listID.",
    ),
    # PEPPOL-M-T16.sch
    "PEPPOL-T16-R011": (
        "fatal",
        "Specification identifier SHALL start with the value 'urn:fdc:peppol.eu:poacc:trns:despatch_advice:3'.",
    ),
    "PEPPOL-T16-R008": (
        "fatal",
        "A despatch advice buyer party SHALL contain the name or an identifier",
    ),
    "PEPPOL-T16-R009": (
        "fatal",
        "A despatch advice seller party SHALL contain the name or an identifier",
    ),
    "PEPPOL-T16-R010": (
        "fatal",
        "A despatch advice originator customer party SHALL contain the name or an identifier",
    ),
    "PEPPOL-T16-R003": (
        "fatal",
        'Each item in a Despatch Advice line SHALL be identifiable by either "item sellers identifier" or "item standard identifier"',
    ),
    "PEPPOL-T16-R004": ("fatal", "Each Despatch Advice SHALL contain the item name"),
    "PEPPOL-T16-R005": ("warning", "Each despatch advice line SHOULD have a delivered quantity"),
    "PEPPOL-T16-R006": (
        "fatal",
        "Each despatch advice line delivered quantity SHALL not be negative",
    ),
    "PEPPOL-T16-R007": (
        "warning",
        "An outstanding quantity reason SHOULD be provided if the despatch line contains an outstanding quantity",
    ),
}
