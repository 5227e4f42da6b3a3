"""``faelles einvoice``: batch validation, display and conversion of e-invoices.

``validate [--json] FILE_OR_DIR...`` validates every file named and every ``*.xml`` under the
directories named, in one process: invoices and credit notes, and the Peppol post-award
documents (Order, Order Response, Catalogue, Despatch Advice ... see
:mod:`faelles.einvoice.ordering`), whose ``document`` is their transaction's name. Human-readable findings by default; with ``--json`` one
JSON object per file per line: ``{"file", "syntax", "document", "valid", "findings"}``, or
``{"file", "error"}`` for a file that cannot be read (or, should a rule ever fail, an
"internal error" for that file, so one document never stops a batch). Exit status: 0 when no document has a
fatal finding, 1 when one has, 2 when a file cannot be read (the others are still reported).

``show FILE`` prints the EN 16931 model of a document as JSON (amounts as strings); for a
post-award document, its :mod:`faelles.einvoice.ordering.model` (with its ``type``).
``convert FILE`` prints the document as Peppol BIS 3 UBL (e.g. to convert OIOUBL).

Findings and errors repeat values from the document and file names, so every line of
``validate`` and every error goes through the CPR scrubber (:mod:`faelles.redact`) before it is
written; ``show`` and ``convert`` print the document itself, as it is.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TextIO

from faelles.einvoice.findings import findings_to_json
from faelles.einvoice.ordering.reader import read as read_ordering
from faelles.einvoice.ordering.serialize import document_to_dict as ordering_to_dict
from faelles.einvoice.ordering.validate import OrderingResult, is_ordering_document
from faelles.einvoice.ordering.validate import validate_bytes as validate_ordering
from faelles.einvoice.reader import read
from faelles.einvoice.serialize import document_to_dict
from faelles.einvoice.validate import ValidationResult, validate_bytes
from faelles.einvoice.writer import to_ubl
from faelles.einvoice.xml import DEFAULT_MAX_BYTES, ReadError
from faelles.redact import scrub_cpr, scrub_data

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_UNREADABLE = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="faelles einvoice",
        description="Validate, show and convert OIOUBL 2.1 and Peppol BIS 3 e-invoices.",
    )
    parser.add_argument(
        "--max-bytes",
        type=int,
        default=DEFAULT_MAX_BYTES,
        help=f"refuse documents larger than this (default {DEFAULT_MAX_BYTES})",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    validate = sub.add_parser("validate", help="validate files and directories of documents")
    validate.add_argument("--json", action="store_true", help="JSON Lines, one object per file")
    validate.add_argument("paths", nargs="+", metavar="FILE_OR_DIR")
    show = sub.add_parser("show", help="print the model of a document as JSON")
    show.add_argument("file", metavar="FILE")
    convert = sub.add_parser("convert", help="print a document as Peppol BIS 3 UBL")
    convert.add_argument("file", metavar="FILE")
    return parser


def _files(paths: Sequence[str]) -> Iterator[Path]:
    for name in paths:
        path = Path(name)
        if path.is_dir():
            yield from sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() == ".xml"
            )
        else:
            yield path


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ReadError(f"document is {size} bytes, more than the limit of {max_bytes}")
        return path.read_bytes()
    except OSError as exc:
        raise ReadError(f"cannot open file: {exc.strerror or exc}") from None


def _validate_document(data: bytes, max_bytes: int) -> ValidationResult | OrderingResult:
    """A post-award document by its transaction's rules, anything else as an invoice."""
    if is_ordering_document(data):
        return validate_ordering(data, max_bytes=max_bytes)
    return validate_bytes(data, max_bytes=max_bytes)


def _human(out: TextIO, file: str, result: ValidationResult | OrderingResult) -> None:
    fatal = sum(1 for f in result.findings if f.is_fatal)
    warnings = len(result.findings) - fatal
    verdict = "valid" if result.valid else f"INVALID ({fatal} fatal)"
    extra = f", {warnings} warning{'s' if warnings != 1 else ''}" if warnings else ""
    lines = [f"{file}: {result.profile.syntax} {result.profile.document}: {verdict}{extra}\n"]
    for f in result.findings:
        lines.append(f"  {f.flag:<7} {f.rule}  {f.location}\n          {f.message}\n")
    out.write(scrub_cpr("".join(lines)))


def _validate(args: argparse.Namespace, out: TextIO) -> int:
    counts = {"valid": 0, "invalid": 0, "unreadable": 0}
    for path in _files(args.paths):
        file = str(path)
        try:
            result = _validate_document(_read_bytes(path, args.max_bytes), args.max_bytes)
        except Exception as exc:  # one bad file must not stop a batch
            counts["unreadable"] += 1
            error = str(exc) if isinstance(exc, ReadError) else f"internal error: {exc!r}"
            if args.json:
                line = json.dumps(scrub_data({"file": file, "error": error}), ensure_ascii=False)
                out.write(line + "\n")
            else:
                out.write(scrub_cpr(f"{file}: cannot be read: {error}\n"))
            continue
        counts["valid" if result.valid else "invalid"] += 1
        if args.json:
            record = {
                "file": file,
                "syntax": result.profile.syntax,
                "document": result.profile.document,
                "valid": result.valid,
                "findings": findings_to_json(result.findings),
            }
            out.write(json.dumps(scrub_data(record), ensure_ascii=False) + "\n")
        else:
            _human(out, file, result)
    if not args.json:
        total = sum(counts.values())
        out.write(
            f"{total} file{'s' if total != 1 else ''}: {counts['valid']} valid, "
            f"{counts['invalid']} invalid, {counts['unreadable']} unreadable\n"
        )
    if counts["unreadable"]:
        return EXIT_UNREADABLE
    return EXIT_INVALID if counts["invalid"] else EXIT_OK


def main(argv: list[str]) -> int:
    """Run ``faelles einvoice`` with ``argv`` (without the ``einvoice`` word); the exit status."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0) and EXIT_UNREADABLE
    out = sys.stdout
    if args.command == "validate":
        return _validate(args, out)
    path = Path(args.file)
    try:
        data = _read_bytes(path, args.max_bytes)
        if args.command == "show" and is_ordering_document(data):
            ordering = ordering_to_dict(read_ordering(data, max_bytes=args.max_bytes))
            out.write(json.dumps(ordering, ensure_ascii=False, indent=2) + "\n")
            return EXIT_OK
        doc = read(data, max_bytes=args.max_bytes)
    except ReadError as exc:
        sys.stderr.write(scrub_cpr(f"{path}: cannot be read: {exc}\n"))
        return EXIT_UNREADABLE
    if args.command == "show":
        out.write(json.dumps(document_to_dict(doc), ensure_ascii=False, indent=2) + "\n")
    else:
        out.write(to_ubl(doc, pretty=True).decode("utf-8"))
    return EXIT_OK
