"""The same splink model on Spark (local mode) links the same vendors and employees as on
DuckDB. Spark is the optional extra ``spark`` (``pip install -e .[spark]``) and needs Java;
without either the test is skipped and says which is missing."""

from __future__ import annotations

import shutil

import pytest

from faelles.control import linkage
from faelles.control.people import EmployeeRecord, VendorParty


def _spark():
    pytest.importorskip(
        "pyspark", reason="pyspark is not installed (the optional extra 'spark' of faelles)"
    )
    if shutil.which("java") is None:
        pytest.skip("no Java runtime on PATH: Spark in local mode needs Java 17")
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    return (
        SparkSession.builder.master("local[1]")
        .appName("faelles-control-test")
        .config("spark.jars", similarity_jar_location())
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )


@pytest.mark.slow
def test_the_same_model_on_spark_links_the_same_pairs():
    spark = _spark()
    vendors = linkage.vendor_frame(
        [
            VendorParty(1, 10, "Jens Hansen ApS", "Nørregade 12, 1165 København K"),
            VendorParty(1, 11, "Kontorleverandøren ApS", "Vesterbrogade 1, 1620 København V"),
            VendorParty(2, 12, "Mette Berg Consult", "Algade 3, 4000 Roskilde"),
        ]
    )
    employees = linkage.employee_frame(
        [
            EmployeeRecord(1, 5, "Jens Hansen", "Nørregade 12 st. th., 1165 København K", ""),
            EmployeeRecord(1, 6, "Anne Jensen", "Vesterbrogade 1, 1620 København V", ""),
            EmployeeRecord(2, 7, "Mette Berg", "Algade 3, 4000 Roskilde", ""),
        ]
    )
    on_duckdb = linkage.predict(vendors, employees)
    on_spark = linkage.predict(vendors, employees, backend="spark", spark=spark)

    def pairs(frame):
        return sorted(
            (int(r.vendor), int(r.employee), round(float(r.match_probability), 6))
            for r in frame.itertuples()
        )

    assert [p[:2] for p in pairs(on_duckdb)] == [(10, 5), (12, 7)]
    assert pairs(on_spark) == pairs(on_duckdb)
