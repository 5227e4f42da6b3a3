"""Record linkage of vendors and employees (the ``vendor_employee_match`` control) with splink.

One splink model — :func:`model_settings` — runs on DuckDB in this process (the default) or on
Spark when one machine is not enough (``backend="spark"``: the same settings, a
``SparkAPI`` over a session the caller gives or one in local mode). The model's m and u
probabilities are fixed here, not trained per run: the vendor and employee registers are too
unlike each other for unsupervised training to be stable, and a fixed model scores the same
pair the same way every time (an auditor can reproduce a hit).

Compared: the normalised name (Jaro-Winkler), the normalised address (Jaro-Winkler) and the
postcode (exact). Blocking: the same postcode and first letter of the name, or the same
normalised address.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

import pandas as pd

from faelles.control import normalize
from faelles.control.people import EmployeeRecord, VendorParty

#: Pairs scoring at least this match probability are hits.
MATCH_PROBABILITY = 0.5


def model_settings() -> Any:
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    return SettingsCreator(
        link_type="link_only",
        unique_id_column_name="uid",
        probability_two_random_records_match=0.0001,
        comparisons=[
            cl.JaroWinklerAtThresholds("name_key", [0.95, 0.88]).configure(
                m_probabilities=[0.80, 0.12, 0.07, 0.01],
                u_probabilities=[0.0005, 0.002, 0.01, 0.9875],
            ),
            cl.JaroWinklerAtThresholds("address_key", [0.95, 0.88]).configure(
                m_probabilities=[0.80, 0.10, 0.05, 0.05],
                u_probabilities=[0.0002, 0.001, 0.01, 0.9888],
            ),
            cl.ExactMatch("postcode").configure(
                m_probabilities=[0.95, 0.05], u_probabilities=[0.01, 0.99]
            ),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("postcode", "name_first"),
            block_on("address_key"),
        ],
        retain_intermediate_calculation_columns=True,
    )


_COLUMNS = [
    "uid",
    "ref",
    "institution_id",
    "name",
    "address",
    "name_key",
    "address_key",
    "postcode",
    "name_first",
]


def link_table(con: Any, name: str, prefix: str, source: str) -> None:
    """Create the linkage input table ``name`` in ``con`` from ``source`` (a table or view
    with ``ref, institution_id, name, address``), normalised in DuckDB in one pass (the same
    forms as :mod:`faelles.control.normalize`)."""
    con.execute(
        f"""
        CREATE OR REPLACE TABLE {name} AS
        WITH n AS (
            SELECT DISTINCT ON (ref) '{prefix}' || ref AS uid, ref, institution_id, name, address,
                   {normalize.name_key_sql("name")} AS name_key,
                   nullif({normalize.address_key_sql("address")}, '') AS address_key,
                   nullif({normalize.postcode_sql("address")}, '') AS postcode
            FROM {source}
        )
        SELECT uid, ref, institution_id, name, address, name_key, address_key, postcode,
               nullif(left(name_key, 1), '') AS name_first
        FROM n
        """  # noqa: S608 - names are this module's own
    )


def _frame(prefix: str, rows: list[tuple[int, int, str, str]]) -> pd.DataFrame:
    import duckdb

    raw = pd.DataFrame.from_records(rows, columns=["ref", "institution_id", "name", "address"])
    if raw.empty:
        return pd.DataFrame(columns=_COLUMNS)
    con = duckdb.connect()
    con.register("raw", raw)
    link_table(con, "linked", prefix, "raw")
    frame = con.execute("SELECT * FROM linked").df()
    con.close()
    return frame[_COLUMNS]


def vendor_frame(parties: Iterable[VendorParty]) -> pd.DataFrame:
    return _frame("v", [(p.vendor_id, p.institution_id, p.name, p.address) for p in parties])


def employee_frame(records: Iterable[EmployeeRecord]) -> pd.DataFrame:
    seen: dict[int, tuple[int, int, str, str]] = {}
    for r in records:
        seen.setdefault(r.id, (r.id, r.institution_id, r.name, r.address))
    return _frame("e", list(seen.values()))


def predict(
    vendors: Any,
    employees: Any,
    *,
    backend: str = "duckdb",
    connection: Any = None,
    spark: Any = None,
) -> pd.DataFrame:
    """The vendor–employee pairs the model links, with ``match_probability``: columns
    ``vendor``, ``employee``, ``match_probability``, ``name_similarity`` (gamma level of the
    name), ``address_similarity``."""
    from splink import Linker

    # splink reports its timings through logging at INFO: keep the command's output clean.
    logging.getLogger("splink").setLevel(logging.WARNING)
    if isinstance(vendors, str):
        # table names in ``connection`` (DuckDB): no copy through pandas
        if backend != "duckdb" or connection is None:
            vendors = connection.table(vendors).df()
            employees = connection.table(employees).df()
        elif connection.table(vendors).shape[0] == 0 or connection.table(employees).shape[0] == 0:
            return pd.DataFrame(columns=["vendor", "employee", "match_probability"])
    if not isinstance(vendors, str) and (vendors.empty or employees.empty):
        return pd.DataFrame(columns=["vendor", "employee", "match_probability"])
    if backend == "spark":
        from splink import SparkAPI

        if spark is None:
            from pyspark.sql import SparkSession
            from splink.backends.spark import similarity_jar_location

            spark = (
                SparkSession.builder.master("local[1]")
                .appName("faelles-control")
                .config("spark.jars", similarity_jar_location())
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.ui.enabled", "false")
                .getOrCreate()
            )
        db_api: Any = SparkAPI(  # type: ignore[no-untyped-call]
            spark_session=spark, break_lineage_method="persist"
        )
        tables: list[Any] = [
            spark.createDataFrame(vendors.astype(object).where(vendors.notna(), None)),
            spark.createDataFrame(employees.astype(object).where(employees.notna(), None)),
        ]
    else:
        from splink import DuckDBAPI

        db_api = DuckDBAPI(connection=connection) if connection is not None else DuckDBAPI()
        tables = [vendors, employees]
    linker = Linker(
        tables, model_settings(), db_api=db_api, input_table_aliases=["vendors", "employees"]
    )
    for name in list(logging.root.manager.loggerDict):
        if name.startswith("splink"):
            logging.getLogger(name).setLevel(logging.WARNING)
    result = linker.inference.predict(threshold_match_probability=MATCH_PROBABILITY)
    frame = result.as_pandas_dataframe()  # type: ignore[no-untyped-call]
    if frame.empty:
        return pd.DataFrame(columns=["vendor", "employee", "match_probability"])
    # link_only keeps the input order: the left record is a vendor, the right an employee.
    left_is_vendor = frame["uid_l"].str.startswith("v")
    frame["vendor"] = frame["uid_l"].where(left_is_vendor, frame["uid_r"]).str[1:].astype(int)
    frame["employee"] = frame["uid_r"].where(left_is_vendor, frame["uid_l"]).str[1:].astype(int)
    return frame[
        ["vendor", "employee", "match_probability", "gamma_name_key", "gamma_address_key"]
    ].rename(columns={"gamma_name_key": "name_level", "gamma_address_key": "address_level"})
