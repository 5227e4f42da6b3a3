"""Peppol BIS post-award documents: Order, Order Response, Catalogue, Despatch Advice ...

Read, write and validate the twelve transactions of Peppol BIS Ordering, Advanced Ordering,
Order Agreement, Catalogue, Punch Out, Despatch Advice, Invoice Response and Message Level
Response 3 (:mod:`.transactions`): the UBL 2.1 XML Schema first, then the official
PEPPOLBIS-Txx rules in plain Python (:mod:`.rules`). Part of the pure e-invoice library: it
imports nothing from Django or the rest of Fælles.
"""
