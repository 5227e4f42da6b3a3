"""The steps of an invoice's life cycle, with segregation of duties enforced here, not in views.

received → coded → attested (the requester confirms receipt) → approved (an approver within
their approval limit; above it, a second approver whose limit covers the amount) → posted
(a ledger entry through the ledger service) → scheduled → paid. Every step can reject with a
reason until the invoice is posted; posted money is never un-posted here.

Rules (Regnskabsbekendtgørelsen §§ 24, 28; Rigsrevisionen 7/2020):

* the attester never approves the same invoice, and the two approvers are two people;
* nobody approves an invoice they coded, or whose payment details they changed;
* no invoice is approved while a change of its bank account awaits confirmation, and whoever
  requested or confirmed a change never approves an invoice paid to that account
  (``vendors``);
* the operator's system administrators never approve;
* the payer is not the person who posted;
* a substitute acts only between the delegation's dates, and is logged "on behalf of";
* a duplicate (``duplicate_of`` set) is never approved, posted or paid.

Every transition locks the invoice row first (``select_for_update(of=("self",))``: the invoice
only, never the joined institution or vendor) and re-checks the state, so two people acting at
once cannot both succeed. A refusal on segregation of duties is an audit event of its own
(``payables.invoice.approve.refused``).

One module per step: :mod:`.attestation`, :mod:`.approval` (with the exchange rate),
:mod:`.posting`, :mod:`.payment` and :mod:`.rejection`; what they share is in :mod:`.common`
and the transition table in :mod:`faelles.payables.workflow`.
"""
