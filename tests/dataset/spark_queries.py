"""Runs SQL queries on an `iris export --to parquet` directory with Apache Spark in local mode.

usage: python spark_queries.py EXPORT_DIR QUERIES.json  → prints {"rows": [[...], ...] per query, "seconds": {...}}
Tables: files, recordings, chunks, time_ranges, and every entity directory (entities.parquet) under its
directory name. Values are normalised as the Node side does: bytes → {"hex": ...}, floats as repr strings,
integers as decimal strings.
"""

import json
import sys
import time

t0 = time.time()
from pyspark.sql import SparkSession  # noqa: E402

export_dir, queries_path = sys.argv[1], sys.argv[2]
queries = json.load(open(queries_path))
spark = (
    SparkSession.builder.master("local[1]")
    .appName("iris-dataset-export-check")
    .config("spark.ui.enabled", "false")
    # A short job: the C1 compiler only and the serial collector start the JVM much faster.
    .config("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
    .config("spark.sql.shuffle.partitions", "1")
    .config("spark.sql.sources.partitionColumnTypeInference.enabled", "false")
    .config("spark.sql.session.timeZone", "UTC")
    .config("spark.driver.bindAddress", "127.0.0.1")
    .config("spark.driver.host", "127.0.0.1")
    .getOrCreate()
)
spark.sparkContext.setLogLevel("ERROR")
t1 = time.time()
for name in ["files", "recordings", "chunks", "time_ranges"]:
    spark.read.parquet(f"{export_dir}/{name}.parquet").createOrReplaceTempView(name)
for row in spark.read.parquet(f"{export_dir}/entities.parquet").collect():
    if not any(row["directory"] in q for q in queries):
        continue
    spark.read.parquet(f"{export_dir}/entities/{row['directory']}").createOrReplaceTempView(row["directory"])


def norm(v):
    if v is None:
        return None
    if isinstance(v, (bytes, bytearray)):
        return {"hex": bytes(v).hex()}
    if isinstance(v, bool):
        return v
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return repr(v)
    return v


results = []
for q in queries:
    rows = spark.sql(q).collect()
    results.append([[norm(v) for v in r] for r in rows])
t2 = time.time()
spark.stop()
print(json.dumps({"rows": results, "seconds": {"import": t1 - t0, "queries": t2 - t1}}))
