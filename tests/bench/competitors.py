#!/usr/bin/env python3
"""What the competitors do on the benchmark's files, one process per run (run by tests/bench/run.py).

    competitors.py duckdb|polars|pandas COST.csv   # cost per key and per key-day, as the CLI sums it
    competitors.py totals COST.csv                 # DuckDB's totals as JSON, for the correctness check
    competitors.py read_html KEYS.html             # pandas.read_html on a keys page

Each aggregation reads the file, sums `amount_value` per `api_key_id` and per (`api_key_id`, day
of `start_time`) over the rows that carry an amount, and materializes both results: the work the
CLI's ingest does for a cost export (it also keeps project and user per bucket, which only costs
it more).
"""

import json
import sys

Q_KEY = "SELECT api_key_id, sum(amount_value) AS cost, count(*) AS n FROM t GROUP BY 1"
Q_DAY = "SELECT api_key_id, start_time // 86400 AS day, sum(amount_value) AS cost, count(*) AS n FROM t GROUP BY 1, 2"


def quote(s):
    return "'" + str(s).replace("'", "''") + "'"


def duck(path):
    import duckdb

    con = duckdb.connect()
    # Read once into a table (the CLI reads the file once too), then both groupings.
    con.execute(
        "CREATE TABLE t AS SELECT api_key_id, start_time, amount_value FROM read_csv(" + quote(path) + ", header=true, "
        "types={'amount_value': 'DOUBLE', 'start_time': 'BIGINT', 'api_key_id': 'VARCHAR'}) "
        "WHERE amount_value IS NOT NULL"
    )
    return con, con.execute(Q_KEY).fetchall(), con.execute(Q_DAY).fetchall()


def polars(path):
    import polars as pl

    lf = pl.scan_csv(path, schema_overrides={"amount_value": pl.Float64, "start_time": pl.Int64}).filter(
        pl.col("amount_value").is_not_null()
    )
    lf = lf.with_columns((pl.col("start_time") // 86400).alias("day"))
    agg = [pl.col("amount_value").sum().alias("cost"), pl.len().alias("n")]
    by_key, by_day = pl.collect_all([lf.group_by("api_key_id").agg(agg), lf.group_by("api_key_id", "day").agg(agg)])
    return by_key.height, by_day.height


def pandas(path):
    import pandas as pd

    df = pd.read_csv(path, usecols=["start_time", "amount_value", "api_key_id"], dtype={"api_key_id": "string"})
    df = df[df["amount_value"].notna()]
    df["day"] = df["start_time"] // 86400
    by_key = df.groupby("api_key_id")["amount_value"].agg(["sum", "count"])
    by_day = df.groupby(["api_key_id", "day"])["amount_value"].agg(["sum", "count"])
    return len(by_key), len(by_day)


def read_html(path):
    import pandas as pd

    (table,) = pd.read_html(path)
    return len(table)


def main():
    what, path = sys.argv[1], sys.argv[2]
    if what == "duckdb":
        _, k, d = duck(path)
        print(len(k), len(d))
    elif what == "totals":
        _, k, d = duck(path)
        print(json.dumps({"per_key": {r[0]: [r[1], r[2]] for r in k},
                          "per_key_day": {f"{r[0]}|{r[1]}": [r[2], r[3]] for r in d}}))
    elif what == "polars":
        print(*polars(path))
    elif what == "pandas":
        print(*pandas(path))
    elif what == "read_html":
        print(read_html(path))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
