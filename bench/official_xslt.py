"""The official Schematron rules as XSLT, run with Saxon: the baseline of the e-invoice bench.

The official validators (phive, the Peppol and OIOUBL validators) do not interpret Schematron:
they run each rule set as an XSLT stylesheet compiled from it by the ISO Schematron skeleton,
with Saxon. The shared material holds the Schematron sources (``data/einvoice/rules``), not
the compiled stylesheets, so this module compiles them the same way: ``iso_dsdl_include`` (the
OIOUBL includes), ``iso_abstract_expand``, then ``iso_svrl_for_xslt1`` with foreign elements
allowed, all three the ISO skeleton files lxml ships; the result is made an XSLT 2.0
stylesheet (the rule sets' query binding); with foreign elements allowed the skeleton copies
the rule set's ``xsl:function`` elements (the Peppol check-digit functions). The compiled
stylesheet has the skeleton's shape (one mode per pattern, one template per rule, an
``svrl:failed-assert`` per failing assert), which is what decides its speed.

Needs ``saxonche`` (``pip install -e .[bench]``). :func:`official` returns a callable that
parses a document with Saxon and runs every stylesheet of its rule sets on it, giving the ids
of the failed fatal asserts (so the baseline's verdict can be compared with ours).

OIOUBL (:func:`official_oioubl`): the OIOUBL rules are one Schematron per document kind
(``oioubl-invoice.sch``, ``oioubl-creditnote.sch``, each including the code lists and the
common rules), so the callable picks the stylesheet by the document's root element (a search
of the first bytes, a few microseconds). The OIOUBL asserts carry no ``id`` or ``flag``: the
id and the severity are the "[F-LIB001]" / "[W-…]" at the start of the message, F for an
error. The compiled OIOUBL stylesheet (1.9 MB: the included abstract rules are copied into
every rule that extends them, and the code lists are inlined) makes Saxon-HE 12's optimizer
fail on compiling it ("Bad parent pointer in expression tree" in ``LoopLifter``, which ends
the process); with loop lifting alone switched off (``optimizationLevel`` "-l") it compiles,
and with the optimizer off (``optimizationLevel`` "0") it compiles too and runs about five
times faster than with "-l". The bench uses the faster, "0" (``OIOUBL_OPTIMIZATION``), so the
baseline is the best Saxon we can run; the EN 16931 and Peppol stylesheets keep Saxon's
default optimization, which is faster for them than "0".
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import lxml
from lxml import etree

SKELETON = Path(lxml.__file__).parent / "isoschematron/resources/xsl/iso-schematron-xslt1"
XSL = "http://www.w3.org/1999/XSL/Transform"
SVRL = "http://purl.oclc.org/dsdl/svrl"

# The rule set files in ../shared/data/einvoice/rules; OIOUBL's includes name the files as
# NemHandel publishes them.
SOURCES = {
    "cen-ubl": ("cen-ubl.sch",),
    "peppol-ubl": ("peppol-ubl.sch",),
    "oioubl-invoice": ("oioubl-invoice.sch",),
    "oioubl-creditnote": ("oioubl-creditnote.sch",),
}
OIOUBL_INCLUDES = {
    "OIOUBL_Codelist_Schematron.xml": "oioubl-codelist.sch",
    "OIOUBL_Common_Schematron.xml": "oioubl-common.sch",
}


def compile_schematron(proc: object, source: Path, work: Path) -> str:
    """The XSLT 2.0 text of one Schematron file, compiled by the ISO skeleton under Saxon."""
    text = source.read_text(encoding="utf-8")
    for published, renamed in OIOUBL_INCLUDES.items():
        text = text.replace(f'href="{published}"', f'href="{renamed}"')
    # The XSLT 1 skeleton refuses queryBinding "xslt2"; the output is made XSLT 2.0 below.
    text = text.replace('queryBinding="xslt2"', 'queryBinding="xslt"')
    staged = work / source.name
    staged.write_text(text, encoding="utf-8")
    for name in OIOUBL_INCLUDES.values():
        included = source.parent / name
        if included.is_file() and not (work / name).exists():
            (work / name).write_text(included.read_text(encoding="utf-8"), encoding="utf-8")
    xslt = proc.new_xslt30_processor()  # type: ignore[attr-defined]
    current = str(staged)
    for step, params in (
        ("iso_dsdl_include.xsl", {}),
        ("iso_abstract_expand.xsl", {}),
        ("iso_svrl_for_xslt1.xsl", {"allow-foreign": "true"}),
    ):
        executable = xslt.compile_stylesheet(stylesheet_file=str(SKELETON / step))
        for name, value in params.items():
            executable.set_parameter(name, proc.make_string_value(value))  # type: ignore[attr-defined]
        out = work / f"{staged.stem}.{step}.xml"
        executable.transform_to_file(source_file=current, output_file=str(out))
        current = str(out)
    compiled = etree.parse(current)
    root = compiled.getroot()
    root.set("version", "2.0")
    result = etree.tostring(compiled, encoding="unicode")
    return re.sub(r"^<\?xml[^>]*>\s*", "", result)


OPTIMIZATION = "http://saxon.sf.net/feature/optimizationLevel"
OIOUBL_OPTIMIZATION = "0"  # Saxon's default crashes on the OIOUBL stylesheet (see above)


def _compiled(
    shared: Path, rule_sets: Sequence[str], optimization: str | None
) -> tuple[object, list[object]]:
    """A Saxon processor and the compiled stylesheets of ``rule_sets`` (in that order)."""
    from saxonche import PySaxonProcessor  # type: ignore[import-not-found]

    proc = PySaxonProcessor(license=False)
    if optimization is not None:
        proc.set_configuration_property(OPTIMIZATION, optimization)
    rules = shared / "data" / "einvoice" / "rules"
    executables = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in rule_sets:
            for file in SOURCES[name]:
                text = compile_schematron(proc, rules / file, Path(tmp))
                xslt = proc.new_xslt30_processor()
                executables.append(xslt.compile_stylesheet(stylesheet_text=text))
    return proc, executables


def official_oioubl(
    shared: Path, optimization: str | None = OIOUBL_OPTIMIZATION
) -> Callable[[bytes], list[str]]:
    """Parse with Saxon and run the OIOUBL Invoice or CreditNote stylesheet, by the root
    element; the failed asserts whose message starts with an "[F-…]" id."""
    proc, (invoice, credit_note) = _compiled(
        shared, ["oioubl-invoice", "oioubl-creditnote"], optimization
    )
    root = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(Invoice|CreditNote)[\s>/]")
    failed = re.compile(r"<svrl:failed-assert\b[^>]*>\s*<svrl:text>\s*\[([A-Z]+)-([^\]]*)\]")

    def run(data: bytes) -> list[str]:
        kind = root.search(data, 0, 4096)
        executable = credit_note if kind is not None and kind.group(1) == b"CreditNote" else invoice
        node = proc.parse_xml(xml_text=data.decode("utf-8-sig"))  # type: ignore[attr-defined]
        svrl = executable.transform_to_string(xdm_node=node)  # type: ignore[attr-defined]
        return [f"{m.group(1)}-{m.group(2)}" for m in failed.finditer(svrl) if m.group(1) == "F"]

    run.proc = proc  # type: ignore[attr-defined]  # keep the processor alive with the closure
    return run


def official(
    shared: Path, rule_sets: Sequence[str], optimization: str | None = None
) -> Callable[[bytes], list[str]]:
    """Parse with Saxon and run the compiled stylesheets of ``rule_sets``; the failed fatal
    asserts' ids (and flagless ones, which the official validators count as errors).
    ``optimization`` is Saxon's ``optimizationLevel`` (None: Saxon's default)."""
    proc, executables = _compiled(shared, rule_sets, optimization)
    failed = re.compile(r"<svrl:failed-assert\b([^>]*)>")
    ident = re.compile(r'\bid="([^"]*)"')
    flag = re.compile(r'\bflag="([^"]*)"')

    def run(data: bytes) -> list[str]:
        node = proc.parse_xml(xml_text=data.decode("utf-8-sig"))  # type: ignore[attr-defined]
        fired: list[str] = []
        for executable in executables:
            svrl = executable.transform_to_string(xdm_node=node)  # type: ignore[attr-defined]
            for match in failed.finditer(svrl):
                attributes = match.group(1)
                level = flag.search(attributes)
                if level is None or level.group(1) in ("fatal", "error"):
                    found = ident.search(attributes)
                    fired.append(found.group(1) if found else "?")
        return fired

    run.proc = proc  # type: ignore[attr-defined]  # keep the processor alive with the closure
    return run
