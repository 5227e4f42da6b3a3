"""Backups that are proven by restoring them: ``faelles backup`` and ``faelles restore``.

A backup is one tar file holding

* the database: on PostgreSQL a ``pg_dump`` custom-format archive (compressed by pg_dump)
  taken by the server's own tools; on SQLite a copy made with sqlite3's online backup API,
  gzip-compressed;
* ``manifest.json``: when, from which server, the schema version (the applied migrations of
  every app), the row count of every table, every audit chain head, and the size and sha256
  of the database part;
* ``SHA256SUMS``: the sha256 of the two members above, so a changed byte anywhere is found.

Consistency: on PostgreSQL the manifest is computed in a read-only REPEATABLE READ transaction
whose snapshot is exported to ``pg_dump --snapshot``, so the counts and chain heads describe
exactly the rows in the dump, however busy the database is. On SQLite the backup API copies a
consistent image and the manifest is computed from that copy.

``restore`` refuses a file whose checksums do not match and a target database that already has
tables; it restores, compares the restored row counts, schema and audit chain heads with the
manifest, then runs ``faelles audit verify`` and ``faelles ledger check`` (by name: ``core``
imports no domain app). Any difference raises :class:`BackupError`; success is reported only
when every step passed.

Secrets stay out of argv and output: the PostgreSQL tools get the password through
``PGPASSWORD`` in their environment, and the database is named as ``name@host:port``.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command, get_commands
from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from faelles.core.audit import chain_owner
from faelles.core.models import INSTITUTION_MODEL, AuditChainHead

FORMAT = "faelles-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SUMS = "SHA256SUMS"
PG_MEMBER = "database.pgdump"
SQLITE_MEMBER = "database.sqlite3.gz"
CHUNK = 1 << 20
LEFT_BEHIND = (
    "\nThe target database holds the restored data and must not be used; drop and recreate it "
    "before the next attempt."
)
# The checks a restore runs after the data is back, as management commands called by name.
VERIFY_COMMANDS: tuple[tuple[str, ...], ...] = (("audit", "verify"), ("ledger", "check"))


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, without secrets."""


Report = Callable[[str], None]


def _quiet(_line: str) -> None:
    return None


@dataclass
class RestoreResult:
    manifest: dict[str, Any]
    steps: dict[str, float] = field(default_factory=dict)
    checks: list[str] = field(default_factory=list)


# --- facts that the manifest records and the restore compares ------------------------------------


def database_label(alias: str = "default") -> str:
    """The database as ``vendor:name@host:port`` (or the SQLite path), never with a password."""
    conf = connections[alias].settings_dict
    vendor = connections[alias].vendor
    if vendor == "sqlite":
        return f"sqlite:{conf['NAME']}"
    host = conf.get("HOST") or "localhost"
    port = conf.get("PORT") or "5432"
    return f"{vendor}:{conf['NAME']}@{host}:{port}"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def collect_facts(connection: BaseDatabaseWrapper) -> dict[str, Any]:
    """Schema version, row counts per table and audit chain heads, read on ``connection``.

    Call it inside one transaction (or on a copy nobody writes to) so that the facts agree.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            tables = _sqlite_tables(cursor)
        else:
            tables = sorted(connection.introspection.table_names(cursor))
        return facts_from_cursor(cursor, tables)


def _sqlite_tables(cursor: Any) -> list[str]:
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    return sorted(str(row[0]) for row in cursor.fetchall())


def facts_from_cursor(cursor: Any, tables: list[str]) -> dict[str, Any]:
    """The facts through a DB-API cursor, in plain SQL (the same on both backends)."""
    counts: dict[str, int] = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608 - quoted table name
        counts[table] = int(cursor.fetchone()[0])
    schema: dict[str, list[str]] = {}
    if "django_migrations" in tables:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        for app, name in cursor.fetchall():
            schema.setdefault(str(app), []).append(str(name))
    names: dict[str, str] = {}
    try:
        institutions = apps.get_model(INSTITUTION_MODEL)._meta.db_table
    except LookupError:
        institutions = ""
    if institutions in tables:
        cursor.execute(f"SELECT id, short_name FROM {_quote(institutions)}")  # noqa: S608
        names = {f"inst:{pk}": str(short) for pk, short in cursor.fetchall()}
    heads: dict[str, dict[str, Any]] = {}
    head_table = AuditChainHead._meta.db_table
    if head_table in tables:
        cursor.execute(
            f"SELECT chain, last_seq, last_hash FROM {_quote(head_table)} ORDER BY chain"  # noqa: S608
        )
        for chain, last_seq, last_hash in cursor.fetchall():
            heads[str(chain)] = {
                "institution": chain_owner(str(chain), names),
                "last_seq": int(last_seq),
                "last_hash": str(last_hash),
            }
    return {
        "schema": schema,
        "schema_version": {app: applied[-1] for app, applied in schema.items()},
        "tables": counts,
        "audit_chain_heads": heads,
    }


def compare_facts(expected: dict[str, Any], found: dict[str, Any]) -> list[str]:
    """Each difference between the manifest's facts and the restored database's, in words."""
    problems: list[str] = []
    if expected["schema"] != found["schema"]:
        problems.append("schema: the applied migrations differ from the manifest")
    want, got = expected["tables"], found["tables"]
    for table in sorted(set(want) | set(got)):
        if table not in got:
            problems.append(f"table {table}: missing after restore")
        elif table not in want:
            problems.append(f"table {table}: not in the manifest")
        elif want[table] != got[table]:
            problems.append(f"table {table}: {got[table]} rows, the manifest says {want[table]}")
    want_heads, got_heads = expected["audit_chain_heads"], found["audit_chain_heads"]
    for chain in sorted(set(want_heads) | set(got_heads)):
        a, b = want_heads.get(chain), got_heads.get(chain)
        if a is None or b is None:
            problems.append(f"audit chain {chain}: {'missing' if b is None else 'unexpected'}")
        elif (a["last_seq"], a["last_hash"]) != (b["last_seq"], b["last_hash"]):
            problems.append(
                f"audit chain {chain}: head #{b['last_seq']} {b['last_hash'][:12]}, "
                f"the manifest says #{a['last_seq']} {a['last_hash'][:12]}"
            )
    return problems


# --- files ---------------------------------------------------------------------------------------


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def default_backup_path(now: dt.datetime | None = None) -> Path:
    now = now or dt.datetime.now(dt.UTC)
    return Path(settings.VAR_DIR) / "backups" / f"faelles-{now:%Y%m%dT%H%M%SZ}.tar"


def _utcnow() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _private(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.mode, info.uid, info.gid, info.uname, info.gname = 0o600, 0, 0, "", ""
    return info


def _write_archive(out: Path, member: str, data: Path, manifest: dict[str, Any]) -> None:
    """The tar file: database part, manifest, checksums; written beside ``out`` and renamed
    into place, so a half-written backup never carries the final name."""
    manifest_bytes = (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode()
    sums = (
        f"{manifest['database']['sha256']}  {member}\n"
        f"{hashlib.sha256(manifest_bytes).hexdigest()}  {MANIFEST}\n"
    ).encode()
    partial = out.with_name(out.name + ".partial")
    with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar:
        tar.add(data, arcname=member, filter=_private)
        for name, blob in ((MANIFEST, manifest_bytes), (SUMS, sums)):
            info = tarfile.TarInfo(name)
            info.size = len(blob)
            info.mtime = int(time.time())
            info.mode = 0o600
            tar.addfile(info, io.BytesIO(blob))
    partial.chmod(0o600)
    os.replace(partial, out)


# --- PostgreSQL ----------------------------------------------------------------------------------


def _pg_env(connection: BaseDatabaseWrapper) -> dict[str, str]:
    conf = connection.settings_dict
    env = dict(os.environ)
    for var, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        value = conf.get(key)
        if value:
            env[var] = str(value)
        else:
            env.pop(var, None)
    options = conf.get("OPTIONS") or {}
    for var, key in (
        ("PGSSLMODE", "sslmode"),
        ("PGSSLROOTCERT", "sslrootcert"),
        ("PGSSLCERT", "sslcert"),
        ("PGSSLKEY", "sslkey"),
    ):
        if options.get(key):
            env[var] = str(options[key])
    return env


def pg_tool(name: str) -> str:
    """The path of a PostgreSQL client tool: ``$PG_BIN_DIR/<name>`` when set, else PATH."""
    bin_dir = os.environ.get("PG_BIN_DIR")
    path = str(Path(bin_dir) / name) if bin_dir else shutil.which(name)
    if not path or not Path(path).exists():
        raise BackupError(f"{name} not found (install the PostgreSQL client or set PG_BIN_DIR)")
    return path


def _tool_major(tool: str) -> int:
    out = subprocess.run([tool, "--version"], capture_output=True, text=True, check=True).stdout
    match = re.search(r"(\d+)(?:\.\d+)?", out)
    if not match:
        raise BackupError(f"cannot read the version of {tool}: {out.strip()!r}")
    return int(match.group(1))


def check_pg_tools(connection: BaseDatabaseWrapper, *names: str) -> dict[str, str]:
    """Each tool's path, after checking that its major version is the server's (pg_dump refuses
    a newer server, and an older restore tool may not read a newer archive)."""
    connection.ensure_connection()
    server_major = int(connection.pg_version) // 10000  # type: ignore[attr-defined]
    paths = {}
    for name in names:
        path = pg_tool(name)
        major = _tool_major(path)
        if major != server_major:
            raise BackupError(
                f"{name} is version {major} but the server is PostgreSQL {server_major}; "
                f"use the server's own tools (set PG_BIN_DIR to their directory)"
            )
        paths[name] = path
    return paths


def _run_tool(args: list[str], env: dict[str, str], what: str) -> None:
    proc = subprocess.run(args, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        message = (proc.stderr or proc.stdout).strip().splitlines()
        tail = "\n".join(message[-10:])
        password = env.get("PGPASSWORD")
        if password:
            tail = tail.replace(password, "***")
        raise BackupError(f"{what} failed (exit {proc.returncode}):\n{tail}")


def _backup_postgresql(
    connection: BaseDatabaseWrapper, out: Path, report: Report
) -> dict[str, Any]:
    tools = check_pg_tools(connection, "pg_dump")
    env = _pg_env(connection)
    work = Path(tempfile.mkdtemp(prefix=".faelles-backup-", dir=out.parent))
    try:
        dump = work / PG_MEMBER
        started = time.perf_counter()
        connection.ensure_connection()
        with transaction.atomic(using=connection.alias):
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SELECT pg_export_snapshot(), now()")
                snapshot, snapshot_at = cursor.fetchone()
            facts = collect_facts(connection)
            report(f"snapshot {snapshot_at:%Y-%m-%dT%H:%M:%SZ}: {len(facts['tables'])} tables")
            # pg_dump reads the same snapshot while this transaction stays open.
            _run_tool(
                [
                    tools["pg_dump"],
                    "--format=custom",
                    "--compress=6",
                    "--no-password",
                    f"--snapshot={snapshot}",
                    f"--file={dump}",
                ],
                env,
                "pg_dump",
            )
        dump_s = time.perf_counter() - started
        manifest = _manifest(
            connection,
            facts,
            member=PG_MEMBER,
            data=dump,
            fmt="pg_dump custom format (compressed)",
            snapshot_at=snapshot_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        )
        manifest["timings_s"] = {"dump": round(dump_s, 3)}
        _write_archive(out, PG_MEMBER, dump, manifest)
        return manifest
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _restore_postgresql(
    connection: BaseDatabaseWrapper, data: Path, jobs: int, report: Report
) -> None:
    tools = check_pg_tools(connection, "pg_restore")
    args = [tools["pg_restore"], "--no-owner", "--no-privileges", "--exit-on-error"]
    args += ["--no-password", f"--dbname={connection.settings_dict['NAME']}"]
    args += [f"--jobs={jobs}"] if jobs > 1 else ["--single-transaction"]
    connection.close()
    _run_tool([*args, str(data)], _pg_env(connection), "pg_restore")
    # pg_restore brings back no planner statistics; gather them before the checks walk tables.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# --- SQLite --------------------------------------------------------------------------------------


def _backup_sqlite(connection: BaseDatabaseWrapper, out: Path, report: Report) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix=".faelles-backup-", dir=out.parent))
    try:
        copy = work / "database.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(copy)
        try:
            connection.connection.backup(target)  # the online backup API: a consistent image
        finally:
            target.close()
        snapshot_at = _utcnow()
        facts = _facts_of_sqlite_file(copy)
        report(f"snapshot {snapshot_at}: {len(facts['tables'])} tables")
        packed = work / SQLITE_MEMBER
        with copy.open("rb") as src, gzip.open(packed, "wb", compresslevel=6) as dst:
            shutil.copyfileobj(src, dst, CHUNK)
        manifest = _manifest(
            connection,
            facts,
            member=SQLITE_MEMBER,
            data=packed,
            fmt="SQLite database file (online backup API), gzip",
            snapshot_at=snapshot_at,
        )
        _write_archive(out, SQLITE_MEMBER, packed, manifest)
        return manifest
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _facts_of_sqlite_file(path: Path) -> dict[str, Any]:
    db = sqlite3.connect(path)
    try:
        cursor = db.cursor()
        return facts_from_cursor(cursor, _sqlite_tables(cursor))
    finally:
        db.close()


def _restore_sqlite(connection: BaseDatabaseWrapper, data: Path) -> None:
    with tempfile.TemporaryDirectory(dir=data.parent) as work:
        plain = Path(work) / "database.sqlite3"
        with gzip.open(data, "rb") as src, plain.open("wb") as dst:
            shutil.copyfileobj(src, dst, CHUNK)
        source = sqlite3.connect(plain)
        try:
            connection.ensure_connection()
            source.backup(connection.connection)
        finally:
            source.close()


# --- backup --------------------------------------------------------------------------------------


def _manifest(
    connection: BaseDatabaseWrapper,
    facts: dict[str, Any],
    *,
    member: str,
    data: Path,
    fmt: str,
    snapshot_at: str,
) -> dict[str, Any]:
    server = (
        connection.connection.execute("select sqlite_version()").fetchone()[0]
        if connection.vendor == "sqlite"
        else connection.connection.info.parameter_status("server_version")
    )
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": _utcnow(),
        "snapshot_at": snapshot_at,
        "vendor": connection.vendor,
        "server_version": server,
        "source": database_label(connection.alias),
        **facts,
        "database": {
            "member": member,
            "format": fmt,
            "bytes": data.stat().st_size,
            "sha256": sha256_file(data),
        },
    }


def backup(*, out: Path | None = None, alias: str = "default", report: Report = _quiet) -> Path:
    """Write a backup of the ``alias`` database to ``out`` (default under ``var/backups/``)."""
    out = Path(out) if out else default_backup_path()
    if out.exists():
        raise BackupError(f"{out} exists already; backups are never overwritten")
    out.parent.mkdir(parents=True, exist_ok=True)
    connection = connections[alias]
    if connection.vendor == "postgresql":
        _backup_postgresql(connection, out, report)
    elif connection.vendor == "sqlite":
        if connection.is_in_memory_db():  # type: ignore[attr-defined]
            raise BackupError("an in-memory SQLite database cannot be backed up")
        _backup_sqlite(connection, out, report)
    else:
        raise BackupError(f"no backup for the {connection.vendor} backend")
    return out


# --- restore -------------------------------------------------------------------------------------


@contextmanager
def open_backup(path: Path, work: Path) -> Iterator[tuple[dict[str, Any], Path]]:
    """The manifest and the extracted database part of a backup file, after checking every
    checksum; :class:`BackupError` for a file that is not a whole, unchanged backup."""
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    try:
        tar = tarfile.open(path, "r:")  # noqa: SIM115 - closed by the ``with tar`` below
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"{path}: not a Fælles backup file ({exc})") from exc
    with tar:
        try:
            members = {m.name: m for m in tar.getmembers()}
        except (tarfile.TarError, OSError) as exc:
            raise BackupError(f"{path}: damaged backup file ({exc})") from exc
        if MANIFEST not in members or SUMS not in members:
            raise BackupError(f"{path}: not a Fælles backup file (no manifest or checksums)")
        sums = _parse_sums(_read_member(tar, members[SUMS]).decode("utf-8", "replace"))
        manifest_bytes = _read_member(tar, members[MANIFEST])
        if sums.get(MANIFEST) != hashlib.sha256(manifest_bytes).hexdigest():
            raise BackupError(f"{path}: checksum mismatch in {MANIFEST}; the file was changed")
        try:
            manifest = json.loads(manifest_bytes)
        except ValueError as exc:
            raise BackupError(f"{path}: unreadable manifest ({exc})") from exc
        if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
            raise BackupError(f"{path}: unknown backup format {manifest.get('format')!r}")
        member = manifest["database"]["member"]
        if member not in members or member not in sums:
            raise BackupError(f"{path}: the database part {member} is missing")
        data = work / member
        digest = _extract(tar, members[member], data)
        if digest != sums[member] or digest != manifest["database"]["sha256"]:
            raise BackupError(f"{path}: checksum mismatch in {member}; the file was changed")
        yield manifest, data


def _read_member(tar: tarfile.TarFile, member: tarfile.TarInfo) -> bytes:
    fh = tar.extractfile(member)
    if fh is None:
        raise BackupError(f"{member.name} is not a regular file")
    return fh.read()


def _extract(tar: tarfile.TarFile, member: tarfile.TarInfo, target: Path) -> str:
    src: IO[bytes] | None = tar.extractfile(member)
    if src is None:
        raise BackupError(f"{member.name} is not a regular file")
    digest = hashlib.sha256()
    with target.open("wb") as dst:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            dst.write(chunk)
    return digest.hexdigest()


def _parse_sums(text: str) -> dict[str, str]:
    sums = {}
    for line in text.splitlines():
        digest, _, name = line.partition("  ")
        if name:
            sums[name.strip()] = digest.strip()
    return sums


def schema_notes(applied: dict[str, list[str]]) -> list[str]:
    """How the backup's schema stands to this code's migrations: migrations to apply after the
    restore, or migrations this code does not know (a backup from a newer version)."""
    from django.db.migrations.loader import MigrationLoader

    on_disk = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    done = {(app, name) for app, names in applied.items() for name in names}
    notes = []
    pending = sorted(on_disk - done)
    unknown = sorted(done - on_disk)
    if pending:
        notes.append(
            f"note: {len(pending)} migration(s) of this version are not applied in the backup "
            f"(e.g. {pending[0][0]}.{pending[0][1]}); run 'faelles migrate' before opening"
        )
    if unknown:
        notes.append(
            f"note: the backup has {len(unknown)} migration(s) this version does not know "
            f"(e.g. {unknown[0][0]}.{unknown[0][1]}): it comes from a newer version"
        )
    return notes


def database_is_empty(connection: BaseDatabaseWrapper) -> list[str]:
    """The tables already in the database (none: empty)."""
    with connection.cursor() as cursor:
        return sorted(connection.introspection.table_names(cursor))


def run_checks(report: Report) -> list[str]:
    """Run each verification command; the problems (an empty list when all passed)."""
    available = get_commands()
    problems = []
    for command in VERIFY_COMMANDS:
        name = " ".join(command)
        if command[0] not in available:
            problems.append(f"faelles {name}: command not installed")
            continue
        out = io.StringIO()
        try:
            call_command(*command, stdout=out, stderr=out)
        except SystemExit as exc:
            if exc.code not in (0, None):
                problems.append(f"faelles {name} failed:\n{out.getvalue().strip()}")
                continue
        except Exception as exc:
            detail = out.getvalue().strip()
            problems.append(f"faelles {name} failed: {exc}" + (f"\n{detail}" if detail else ""))
            continue
        lines = out.getvalue().strip().splitlines()
        report(f"faelles {name}: {lines[-1] if lines else 'ok'}")
    return problems


def restore(
    path: Path, *, alias: str = "default", jobs: int = 1, report: Report = _quiet
) -> RestoreResult:
    """Restore ``path`` into the empty ``alias`` database and verify it; raise
    :class:`BackupError` naming every problem if anything does not match."""
    connection = connections[alias]
    if connection.vendor not in ("postgresql", "sqlite"):
        raise BackupError(f"no restore for the {connection.vendor} backend")
    existing = database_is_empty(connection)
    if existing:
        raise BackupError(
            f"the target database {database_label(alias)} is not empty ({len(existing)} "
            f"tables, e.g. {existing[0]}); restore only into an empty database"
        )
    path = Path(path)
    steps: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix=".faelles-restore-", dir=path.parent) as tmp:
        started = time.perf_counter()
        with open_backup(path, Path(tmp)) as (manifest, data):
            steps["checksums"] = time.perf_counter() - started
            report(
                f"backup of {manifest['source']} taken {manifest['snapshot_at']}: checksums match"
            )
            if manifest["vendor"] != connection.vendor:
                raise BackupError(
                    f"the backup is of a {manifest['vendor']} database; "
                    f"the target is {connection.vendor}"
                )
            started = time.perf_counter()
            try:
                if connection.vendor == "postgresql":
                    _restore_postgresql(connection, data, jobs, report)
                else:
                    _restore_sqlite(connection, data)
            except (BackupError, sqlite3.Error, OSError) as exc:
                raise BackupError(f"{exc}{LEFT_BEHIND}") from exc
            steps["restore"] = time.perf_counter() - started
    report(f"restored into {database_label(alias)} in {steps['restore']:.1f} s")
    for line in schema_notes(manifest["schema"]):
        report(line)
    started = time.perf_counter()
    with transaction.atomic(using=alias):
        found = collect_facts(connection)
    problems = compare_facts(manifest, found)
    steps["manifest"] = time.perf_counter() - started
    if problems:
        raise BackupError(
            "the restored database does not match the manifest:\n"
            + "\n".join(problems)
            + LEFT_BEHIND
        )
    rows = sum(found["tables"].values())
    report(
        f"manifest matches: {len(found['tables'])} tables, {rows} rows, "
        f"{len(found['audit_chain_heads'])} audit chain heads"
    )
    started = time.perf_counter()
    problems = run_checks(report)
    steps["checks"] = time.perf_counter() - started
    if problems:
        raise BackupError(
            "verification after restore failed:\n" + "\n".join(problems) + LEFT_BEHIND
        )
    return RestoreResult(
        manifest=manifest, steps=steps, checks=[" ".join(c) for c in VERIFY_COMMANDS]
    )
