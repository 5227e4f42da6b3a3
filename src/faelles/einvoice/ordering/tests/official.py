"""The published PEPPOLBIS-Txx Schematron compiled to XSLT and run by Saxon: the oracle.

As ``bench/official_xslt.py`` does for the invoice rules (and the official validators do):
the ISO skeleton that lxml ships compiles each ``PEPPOLBIS-Txx.sch`` (``iso_dsdl_include``,
``iso_abstract_expand``, ``iso_svrl_for_xslt1`` with foreign elements allowed, made XSLT 2.0),
and Saxon runs it. Two adjustments, because the published sources are not the whole build:
the ``xi:include`` of the check-digit functions is resolved first, and the generated
``target/generated/Txx-basic.sch`` (not published) is left out; the two code lists its
variables define for the CL001/CL002 rules are declared from our lists instead.

Needs ``saxonche`` (the ``bench`` extra); :func:`official` returns None without it.
"""

from __future__ import annotations

import locale
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import lxml
from lxml import etree

from faelles.einvoice.rules.peppol import codes

SKELETON = Path(lxml.__file__).parent / "isoschematron/resources/xsl/iso-schematron-xslt1"
SCH = "http://purl.oclc.org/dsdl/schematron"

Fired = Counter[tuple[str, str]]


def _staged(rules: Path, code: str, work: Path) -> Path:
    """``PEPPOLBIS-<code>.sch`` with its functions included, without the generated part and
    with the code list variables, written beside a copy of ``parts``."""
    if not (work / "parts").exists():
        shutil.copytree(rules / "parts", work / "parts")
    source = rules / f"PEPPOLBIS-{code}.sch"
    tree = etree.parse(str(source))
    tree.xinclude()
    root = tree.getroot()
    for include in root.findall(f"{{{SCH}}}include"):
        if "target/generated" in include.get("href", ""):
            root.remove(include)
    for name, values in (("clUNCL5189", codes.UNCL5189), ("clUNCL7161", codes.UNCL7161)):
        let = etree.Element(f"{{{SCH}}}let", name=name)
        let.set("value", f"tokenize('{' '.join(sorted(values))}', '\\s')")
        title = root.find(f"{{{SCH}}}title")
        assert title is not None
        title.addnext(let)
    text = etree.tostring(tree, encoding="unicode").replace(
        'queryBinding="xslt2"', 'queryBinding="xslt"'
    )
    staged = work / source.name
    staged.write_text(text, encoding="utf-8")
    return staged


def _compile(proc: object, staged: Path, work: Path) -> str:
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
    compiled.getroot().set("version", "2.0")
    return re.sub(r"^<\?xml[^>]*>\s*", "", etree.tostring(compiled, encoding="unicode"))


_FAILED = re.compile(r"<svrl:failed-assert\b([^>]*)>")
_ID = re.compile(r'\bid="([^"]*)"')
_FLAG = re.compile(r'\bflag="([^"]*)"')


def official(rules: Path, codes_: list[str]) -> Callable[[str, bytes], Fired | None] | None:
    """A function running transaction ``code``'s compiled rules on a document: the failed
    asserts as (id, flag) counts, or None where Saxon stops with a dynamic error."""
    try:
        from saxonche import PySaxonProcessor  # type: ignore[import-not-found]
    except ImportError:
        return None
    # Saxon's native library sets the process's C locale from the environment when it starts
    # (C.UTF-8 here), which Python then reports as en_US.UTF-8: elementpath, used by other
    # tests in the same process, fails to set that collation and keeps its collation lock.
    # The locale is put back after every call into Saxon.
    saved = locale.setlocale(locale.LC_ALL)
    try:
        proc = PySaxonProcessor(license=False)
    finally:
        locale.setlocale(locale.LC_ALL, saved)
    executables = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for code in codes_:
            text = _compile(proc, _staged(rules, code, work), work)
            executables[code] = proc.new_xslt30_processor().compile_stylesheet(stylesheet_text=text)

    def run(code: str, data: bytes) -> Fired | None:
        try:
            node = proc.parse_xml(xml_text=data.decode("utf-8"))
            svrl = executables[code].transform_to_string(xdm_node=node)
        except Exception:  # a dynamic error: the official validator reports no asserts
            return None
        finally:
            locale.setlocale(locale.LC_ALL, saved)
        if svrl is None:
            return None
        fired: Fired = Counter()
        for match in _FAILED.finditer(svrl):
            found, flag = _ID.search(match.group(1)), _FLAG.search(match.group(1))
            fired[(found.group(1) if found else "?", flag.group(1) if flag else "")] += 1
        return fired

    run.proc = proc  # type: ignore[attr-defined]  # keep the processor alive
    return run
