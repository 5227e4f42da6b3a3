"""Read, validate and answer e-invoices: OIOUBL 2.1 and Peppol BIS 3 into the EN 16931 model.

A pure library: it imports nothing from Django or the rest of Fælles.
"""
