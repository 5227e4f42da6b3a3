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


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    columns = [
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
    return pd.DataFrame.from_records(rows, columns=columns)


def vendor_frame(parties: Iterable[VendorParty]) -> pd.DataFrame:
    rows = []
    for p in parties:
        key = normalize.name_key(p.name)
        rows.append(
            {
                "uid": f"v{p.vendor_id}",
                "ref": p.vendor_id,
                "institution_id": p.institution_id,
                "name": p.name,
                "address": p.address,
                "name_key": key,
                "address_key": normalize.address_key(p.address) or None,
                "postcode": normalize.postcode(p.address) or None,
                "name_first": key[:1] or None,
            }
        )
    return _frame(rows)


def employee_frame(records: Iterable[EmployeeRecord]) -> pd.DataFrame:
    rows, seen = [], set()
    for r in records:
        if r.id in seen:
            continue
        seen.add(r.id)
        key = normalize.name_key(r.name)
        rows.append(
            {
                "uid": f"e{r.id}",
                "ref": r.id,
                "institution_id": r.institution_id,
                "name": r.name,
                "address": r.address,
                "name_key": key,
                "address_key": normalize.address_key(r.address) or None,
                "postcode": normalize.postcode(r.address) or None,
                "name_first": key[:1] or None,
            }
        )
    return _frame(rows)


def predict(
    vendors: pd.DataFrame,
    employees: pd.DataFrame,
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
    if vendors.empty or employees.empty:
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
