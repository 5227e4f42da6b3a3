"""Known disagreements with the peppol conformance cases, each with its reason."""

_DK_R_003_FLAG = (
    "the test set expects DK-R-003 as a warning, but Peppol BIS Billing 3.0.21 "
    "(peppol-ubl.sch) flags DK-R-003 as fatal; the rule fires as the release says"
)

PEPPOL_EXCEPTIONS: dict[str, str] = {
    "DK/DK_Validation_DKR003#10": _DK_R_003_FLAG,
    "DK/DK_Validation_DKR003#11": _DK_R_003_FLAG,
    "DK/DK_Validation_DKR003#12": _DK_R_003_FLAG,
}
