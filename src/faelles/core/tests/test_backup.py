"""``faelles backup`` and ``faelles restore`` through the real command line, on SQLite files
and (marked postgres) on PostgreSQL databases of their own: the demo goes in, a backup comes
out, the database is dropped, the restore brings back every row, every audit chain head and
every document's bytes; a changed file, a non-empty target and a restored database that fails
its checks are refused with a non-zero exit."""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

import dj_database_url
import pytest

from faelles.core.backup import MANIFEST, SUMS

DOCUMENTS = "payables_receiveddocument"


def faelles(*args: str, url: str, var: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": url, "FAELLES_ENV": "development"}
    if var is not None:
        env["FAELLES_VAR"] = str(var)
    return subprocess.run(
        [sys.executable, "-m", "faelles", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def ok(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


# --- SQLite --------------------------------------------------------------------------------------


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def sqlite_state(path: Path) -> dict[str, object]:
    """Every table's rows (hashed in rowid order), the chain heads and each document's sha256."""
    db = sqlite3.connect(path)
    try:
        tables = [
            r[0]
            for r in db.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
                "ORDER BY name"
            )
        ]
        rows = {}
        for table in tables:
            digest = hashlib.sha256()
            count = 0
            for row in db.execute(f'SELECT * FROM "{table}" ORDER BY rowid'):
                digest.update(repr(row).encode())
                count += 1
            rows[table] = (count, digest.hexdigest())
        heads = sorted(db.execute("SELECT chain, last_seq, last_hash FROM core_auditchainhead"))
        docs = sorted(
            (pk, stored, hashlib.sha256(content).hexdigest())
            for pk, stored, content in db.execute(f"SELECT id, sha256, content FROM {DOCUMENTS}")
        )
    finally:
        db.close()
    return {"rows": rows, "heads": heads, "documents": docs}


@pytest.fixture(scope="module")
def demo_sqlite(tmp_path_factory):
    """A SQLite file with the demo loaded, and a backup of it."""
    where = tmp_path_factory.mktemp("backup")
    source = where / "source.sqlite3"
    ok(faelles("migrate", "--noinput", url=sqlite_url(source)))
    ok(faelles("demo", url=sqlite_url(source)))
    backup = where / "demo.tar"
    out = ok(faelles("backup", "--out", str(backup), url=sqlite_url(source)))
    assert f"backup written: {backup}" in out
    return source, backup


def test_sqlite_round_trip_gives_back_every_row_chain_head_and_document(demo_sqlite, tmp_path):
    source, backup = demo_sqlite
    before = sqlite_state(source)
    target = tmp_path / "restored.sqlite3"

    out = ok(faelles("restore", str(backup), url=sqlite_url(target)))

    after = sqlite_state(target)
    assert after == before
    assert len(before["rows"]) > 30
    assert before["rows"][DOCUMENTS][0] > 0
    assert all(stored == computed for _pk, stored, computed in after["documents"])
    assert "faelles audit verify: audit trail intact" in out
    assert "faelles ledger check: ledger check:" in out
    assert "restore verified" in out


def test_manifest_records_schema_counts_and_every_chain_head(demo_sqlite):
    source, backup = demo_sqlite
    with tarfile.open(backup) as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile(MANIFEST).read())
    state = sqlite_state(source)

    assert names == ["database.sqlite3.gz", MANIFEST, SUMS]
    assert manifest["vendor"] == "sqlite"
    assert manifest["tables"] == {t: n for t, (n, _h) in state["rows"].items()}
    assert (
        sorted((c, h["last_seq"], h["last_hash"]) for c, h in manifest["audit_chain_heads"].items())
        == state["heads"]
    )
    assert manifest["audit_chain_heads"]["op"]["institution"] == "operator"
    assert {h["institution"] for c, h in manifest["audit_chain_heads"].items() if c != "op"} >= {
        "DIGST"
    }
    assert manifest["schema_version"]["core"] == manifest["schema"]["core"][-1]
    assert manifest["schema_version"]["payables"].startswith("00")


def test_restore_refuses_a_database_that_is_not_empty(demo_sqlite):
    source, backup = demo_sqlite
    before = sqlite_state(source)

    proc = faelles("restore", str(backup), url=sqlite_url(source))

    assert proc.returncode == 1
    assert f"is not empty ({len(before['rows'])} tables" in proc.stderr
    assert "restore only into an empty database" in proc.stderr
    assert sqlite_state(source) == before


def _rewrite(backup: Path, out: Path, change) -> None:
    """Copy a backup, letting ``change(name, data)`` return each member's new bytes."""
    with tarfile.open(backup) as src, tarfile.open(out, "w") as dst:
        for member in src.getmembers():
            data = change(member.name, src.extractfile(member).read())
            member.size = len(data)
            dst.addfile(member, io.BytesIO(data))


def _tables(path: Path) -> list[str]:
    db = sqlite3.connect(path)
    try:
        return [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    finally:
        db.close()


def test_restore_refuses_a_changed_database_part_and_leaves_the_target_empty(demo_sqlite, tmp_path):
    _source, backup = demo_sqlite
    tampered = tmp_path / "tampered.tar"

    def flip(name, data):
        if name.startswith("database"):
            i = len(data) // 2
            return data[:i] + bytes([data[i] ^ 0x01]) + data[i + 1 :]
        return data

    _rewrite(backup, tampered, flip)
    target = tmp_path / "target.sqlite3"

    proc = faelles("restore", str(tampered), url=sqlite_url(target))

    assert proc.returncode == 1
    assert "checksum mismatch in database.sqlite3.gz; the file was changed" in proc.stderr
    assert _tables(target) == []


def test_restore_refuses_a_changed_manifest(demo_sqlite, tmp_path):
    _source, backup = demo_sqlite
    tampered = tmp_path / "tampered.tar"

    def edit(name, data):
        if name == MANIFEST:
            manifest = json.loads(data)
            manifest["tables"]["core_auditevent"] -= 1
            return json.dumps(manifest).encode()
        return data

    _rewrite(backup, tampered, edit)
    target = tmp_path / "target.sqlite3"

    proc = faelles("restore", str(tampered), url=sqlite_url(target))

    assert proc.returncode == 1
    assert "checksum mismatch in manifest.json; the file was changed" in proc.stderr
    assert _tables(target) == []


def test_restore_fails_when_the_restored_rows_differ_from_the_manifest(demo_sqlite, tmp_path):
    """A manifest that disagrees with its data (checksums made to match) is a failed restore,
    not a success: every count and chain head is compared."""
    _source, backup = demo_sqlite
    forged = tmp_path / "forged.tar"
    new_manifest: dict[str, bytes] = {}

    def edit(name, data):
        if name == MANIFEST:
            manifest = json.loads(data)
            manifest["tables"]["core_auditevent"] += 1
            manifest["audit_chain_heads"]["op"]["last_hash"] = "0" * 64
            new_manifest["bytes"] = json.dumps(manifest).encode()
            return new_manifest["bytes"]
        if name == SUMS:
            lines = data.decode().splitlines()
            digest = hashlib.sha256(new_manifest["bytes"]).hexdigest()
            return "\n".join(
                f"{digest}  {MANIFEST}" if line.endswith(MANIFEST) else line for line in lines
            ).encode()
        return data

    _rewrite(backup, forged, edit)
    target = tmp_path / "target.sqlite3"

    proc = faelles("restore", str(forged), url=sqlite_url(target))

    assert proc.returncode == 1
    assert "the restored database does not match the manifest" in proc.stderr
    assert "table core_auditevent:" in proc.stderr
    assert "audit chain op: head #" in proc.stderr
    assert "must not be used; drop and recreate it before the next attempt" in proc.stderr
    assert "restore verified" not in proc.stdout


def test_restore_fails_when_the_audit_chain_of_the_backup_is_broken(demo_sqlite, tmp_path):
    """The backup copies what is there; the restore's audit verify finds the edited event."""
    source, _backup = demo_sqlite
    edited = tmp_path / "edited.sqlite3"
    db = sqlite3.connect(source)
    db.execute(f"VACUUM INTO '{edited}'")
    db.close()
    db = sqlite3.connect(edited)
    db.execute(
        "UPDATE core_auditevent SET action = 'forged' WHERE id = (SELECT MIN(id) FROM core_auditevent)"
    )
    db.commit()
    db.close()
    backup = tmp_path / "edited.tar"
    ok(faelles("backup", "--out", str(backup), url=sqlite_url(edited)))

    proc = faelles("restore", str(backup), url=sqlite_url(tmp_path / "target.sqlite3"))

    assert proc.returncode == 1
    assert "verification after restore failed" in proc.stderr
    assert "faelles audit verify failed" in proc.stderr
    assert "restore verified" not in proc.stdout


def test_backup_writes_under_var_backups_by_default_and_never_overwrites(demo_sqlite, tmp_path):
    source, backup = demo_sqlite

    out = ok(faelles("backup", url=sqlite_url(source), var=tmp_path))

    written = list((tmp_path / "backups").glob("faelles-*.tar"))
    assert len(written) == 1
    assert written[0].stat().st_mode & 0o777 == 0o600
    assert f"backup written: {written[0]}" in out
    size = backup.stat().st_size
    proc = faelles("backup", "--out", str(backup), url=sqlite_url(source))
    assert proc.returncode == 1
    assert "exists already; backups are never overwritten" in proc.stderr
    assert backup.stat().st_size == size


def test_restore_of_a_file_that_is_not_a_backup_is_refused(tmp_path):
    junk = tmp_path / "junk.tar"
    junk.write_bytes(b"not a tar file at all")
    target = tmp_path / "target.sqlite3"

    missing = faelles("restore", str(tmp_path / "nope.tar"), url=sqlite_url(target))
    not_tar = faelles("restore", str(junk), url=sqlite_url(target))

    assert missing.returncode == 1
    assert "nope.tar: no such file" in missing.stderr
    assert not_tar.returncode == 1
    assert "not a Fælles backup file" in not_tar.stderr


# --- PostgreSQL ----------------------------------------------------------------------------------


def _pg_base() -> dict[str, object]:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("the PostgreSQL backup test needs DATABASE_URL=postgres://…")
    return dj_database_url.parse(url)


def _pg_url(conf: dict[str, object], name: str, password: str | None = None) -> str:
    auth = str(conf["USER"] or "postgres") + (f":{password}" if password else "")
    return f"postgres://{auth}@{conf['HOST'] or '127.0.0.1'}:{conf['PORT'] or 5432}/{name}"


def _pg_admin(conf: dict[str, object], sql: str) -> None:
    import psycopg

    with psycopg.connect(
        _pg_url(conf, "postgres", str(conf["PASSWORD"]) if conf.get("PASSWORD") else None),
        autocommit=True,
    ) as db:
        db.execute(sql)


def pg_state(url: str) -> dict[str, object]:
    """Every table's rows (count and a hash of the rows in order), chain heads, documents."""
    import psycopg

    with psycopg.connect(url) as db:
        tables = [
            r[0]
            for r in db.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        rows = {}
        for table in tables:
            rows[table] = db.execute(
                "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), ''))"
                f' FROM "{table}" t'
            ).fetchone()
        heads = db.execute(
            "SELECT chain, last_seq, last_hash FROM core_auditchainhead ORDER BY chain"
        ).fetchall()
        docs = db.execute(
            f"SELECT id, sha256, encode(sha256(content), 'hex'), size FROM {DOCUMENTS} ORDER BY id"
        ).fetchall()
    return {"rows": rows, "heads": heads, "documents": docs}


@pytest.mark.postgres
def test_postgres_demo_backup_drop_restore_gives_back_every_row_head_and_document(tmp_path):
    conf = _pg_base()
    name = f"faelles_backup_test_{os.getpid()}"
    password = "not-to-be-printed-7Qx"  # the local server trusts; the password must not leak
    url = _pg_url(conf, name, password)
    _pg_admin(conf, f"DROP DATABASE IF EXISTS {name}")
    _pg_admin(conf, f"CREATE DATABASE {name}")
    try:
        ok(faelles("migrate", "--noinput", url=url))
        ok(faelles("demo", url=url))
        before = pg_state(url)
        backup = tmp_path / "pg.tar"
        made = faelles("backup", "--out", str(backup), url=url)
        ok(made)

        _pg_admin(conf, f"DROP DATABASE {name}")
        _pg_admin(conf, f"CREATE DATABASE {name}")
        restored = faelles("restore", str(backup), url=url)
        out = ok(restored)

        after = pg_state(url)
        assert after["rows"] == before["rows"]
        assert after["heads"] == before["heads"]
        assert after["documents"] == before["documents"]
        assert len(before["rows"]) > 30
        assert len(before["heads"]) > 1
        assert before["rows"][DOCUMENTS][0] > 0
        assert all(stored == computed for _pk, stored, computed, _size in after["documents"])
        assert "manifest matches:" in out
        assert "faelles audit verify: audit trail intact" in out
        assert "faelles ledger check: ledger check:" in out
        assert "restore verified" in out
        with tarfile.open(backup) as tar:
            manifest_text = tar.extractfile(MANIFEST).read().decode()
            assert tar.getnames() == ["database.pgdump", MANIFEST, SUMS]
            assert tar.extractfile("database.pgdump").read(5) == b"PGDMP"
        manifest = json.loads(manifest_text)
        assert manifest["vendor"] == "postgresql"
        assert manifest["tables"] == {t: c for t, (c, _h) in before["rows"].items()}
        for text in (made.stdout, made.stderr, restored.stdout, restored.stderr, manifest_text):
            assert password not in text

        again = faelles("restore", str(backup), url=url)
        assert again.returncode == 1
        assert "is not empty" in again.stderr
        assert pg_state(url) == after
    finally:
        _pg_admin(conf, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_schema_notes_name_migrations_to_apply_and_migrations_from_a_newer_version():
    from django.db.migrations.loader import MigrationLoader

    from faelles.core.backup import schema_notes

    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationLoader(None, ignore_no_migrations=True).disk_migrations):
        applied.setdefault(app, []).append(name)
    assert schema_notes(applied) == []

    last = applied["core"].pop()
    pending = schema_notes(applied)
    applied["core"] += [last, "9999_from_the_future"]
    newer = schema_notes(applied)

    assert pending == [
        f"note: 1 migration(s) of this version are not applied in the backup (e.g. core.{last}); "
        "run 'faelles migrate' before opening"
    ]
    assert newer == [
        "note: the backup has 1 migration(s) this version does not know "
        "(e.g. core.9999_from_the_future): it comes from a newer version"
    ]
