"""The Spark job: inputs -> pipeline (one task per input file) -> Parquet tables partitioned by month.

Guarantees:
* the same documents as ``lagebild ingest`` on the same inputs: a document id is kept once, from the
  first input (file order, then record order) that produced it, also across runs;
* re-running skips input files already done (recorded in ``_manifest`` by path, size and mtime);
* a failed task is recomputed by Spark; output is first written under ``_staging/<run>`` and moved
  into place only when every table is written, so retries and crashed runs leave no duplicate rows
  (a crashed run's moved files are removed at the start of the next run).
"""

from __future__ import annotations

import os
import sys
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

from lagebild.settings import Settings
from lagebild.spark.inputs import InputFile, expand
from lagebild.spark.relations import relations_sql
from lagebild.spark.tables import OUTPUT_TABLES, spark_schema


@dataclass(slots=True)
class SparkReport:
    inputs: int
    skipped: int
    documents: int
    errors: int
    run_id: str | None


def session(master: str | None = None, app_name: str = "lagebild"):
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName(app_name)
    if master:
        builder = builder.master(master)
    if master and master.startswith("local"):   # on a cluster, spark-submit says which Python executors use
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)   # read by SparkContext; default is python3 on PATH
        os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
        builder = (builder.config("spark.pyspark.python", sys.executable)
                   .config("spark.pyspark.driver.python", sys.executable))
    builder = (builder.config("spark.sql.session.timeZone", "UTC")
               .config("spark.ui.showConsoleProgress", "false"))
    return builder.getOrCreate()


class _FS:
    """Hadoop FileSystem through the JVM, so moves work on local disks, HDFS and object stores alike."""

    def __init__(self, spark, root: str) -> None:
        self.jvm = spark._jvm
        self.Path = self.jvm.org.apache.hadoop.fs.Path
        self.fs = self.Path(root).getFileSystem(spark._jsc.hadoopConfiguration())

    def exists(self, path: str) -> bool:
        return bool(self.fs.exists(self.Path(path)))

    def list(self, path: str) -> list[str]:
        if not self.exists(path):
            return []
        return [str(st.getPath().toString()) for st in self.fs.listStatus(self.Path(path))]

    def move(self, src: str, dst: str) -> None:
        parent = self.Path(dst).getParent()
        self.fs.mkdirs(parent)
        if not self.fs.rename(self.Path(src), self.Path(dst)):
            raise OSError(f"could not move {src} to {dst}")

    def delete(self, path: str) -> None:
        self.fs.delete(self.Path(path), True)


def _name(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[-1]


def _recover(fs: _FS, out: str) -> None:
    """Undo the moved files of runs that crashed before writing their manifest."""
    for staging in fs.list(f"{out}/_staging"):
        run_id = _name(staging)
        if not fs.exists(f"{out}/_manifest/run={run_id}"):
            for table in OUTPUT_TABLES:
                for month_dir in fs.list(f"{out}/{table}"):
                    for f in fs.list(month_dir):
                        if _name(f).startswith(run_id + "-"):
                            fs.delete(f)
        fs.delete(staging)


def _done_keys(spark, fs: _FS, out: str) -> set[str]:
    if not fs.exists(f"{out}/_manifest"):
        return set()
    return {r["key"] for r in spark.read.parquet(f"{out}/_manifest").select("key").collect()}


def run(inputs: list[str], output: str, master: str | None = "local[*]", stages: str | None = None,
        settings: Settings | None = None, spark=None) -> SparkReport:
    """Run the pipeline over ``inputs`` and append the results to the Parquet tables in ``output``."""
    from pyspark import StorageLevel
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    settings = settings or Settings()
    spark = spark or session(master)
    out = output.rstrip("/")
    fs = _FS(spark, out)
    _recover(fs, out)

    files = expand(inputs)
    done = _done_keys(spark, fs, out)
    todo: list[InputFile] = [f for f in files if f.key not in done]
    if not todo:
        return SparkReport(len(files), len(files), 0, 0, None)
    run_id = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
    now = datetime.now(timezone.utc).replace(tzinfo=None).isoformat(sep=" ", timespec="seconds")
    staging = f"{out}/_staging/{run_id}"

    def task(f: InputFile):
        from lagebild.spark.worker import process_file

        return process_file(f.index, f.path, stages, settings, now)

    rows = (spark.sparkContext.parallelize(todo, numSlices=len(todo))
            .flatMap(task).persist(StorageLevel.MEMORY_AND_DISK))
    frames = {t: spark.createDataFrame(rows.filter(lambda r, t=t: r[0] == t).map(lambda r: r[1]), spark_schema(t))
              for t in OUTPUT_TABLES}

    docs = frames["documents"]
    first = Window.partitionBy("id").orderBy("file_idx", "rec_idx")
    docs = docs.withColumn("_rank", F.row_number().over(first)).filter("_rank = 1").drop("_rank")
    if fs.exists(f"{out}/documents"):
        old_ids = spark.read.parquet(f"{out}/documents").select("id")
        docs = docs.join(old_ids, "id", "left_anti")
    docs = docs.withColumn(
        "month", F.when(F.col("published").rlike(r"^\d{4}-\d{2}"), F.substring("published", 1, 7)).otherwise("unknown"))
    docs = docs.persist(StorageLevel.MEMORY_AND_DISK)
    keep = docs.select(F.col("id").alias("doc_id"), "file_idx", "rec_idx", "month")

    written: dict[str, int] = {}
    for table in OUTPUT_TABLES:
        if table == "documents":
            frame = docs
        elif table == "errors":
            frame = frames["errors"].dropDuplicates(["uri", "record", "stage"]).withColumn(
                "month", F.lit("errors"))
        else:
            frame = frames[table].join(keep, ["doc_id", "file_idx", "rec_idx"], "inner")
        frame.write.mode("overwrite").partitionBy("month").parquet(f"{staging}/{table}")
        if table in ("documents", "errors"):
            written[table] = spark.read.parquet(f"{staging}/{table}").count()

    manifest = spark.createDataFrame([(f.key, f.path, run_id, now) for f in todo],
                                     "key string, path string, run_id string, finished_at string")
    manifest.coalesce(1).write.mode("overwrite").parquet(f"{staging}/_manifest")

    for table in OUTPUT_TABLES:
        for month_dir in fs.list(f"{staging}/{table}"):
            if not _name(month_dir).startswith("month="):
                continue
            for f in fs.list(month_dir):
                if _name(f).endswith(".parquet"):
                    fs.move(f, f"{out}/{table}/{_name(month_dir)}/{run_id}-{_name(f)}")
    for f in fs.list(f"{staging}/_manifest"):
        if _name(f).endswith(".parquet"):
            fs.move(f, f"{out}/_manifest/run={run_id}/{_name(f)}")
    fs.delete(staging)
    rows.unpersist()
    docs.unpersist()

    _write_relations(spark, out)
    return SparkReport(len(files), len(files) - len(todo), written.get("documents", 0), written.get("errors", 0), run_id)


def _write_relations(spark, out: str) -> None:
    """Relations between actor pairs per month, with Spark SQL over every stored event."""
    try:
        for table in ("events", "event_actors", "documents"):
            spark.read.parquet(f"{out}/{table}").createOrReplaceTempView(table)
    except Exception:  # noqa: BLE001 - no events stored yet
        return
    spark.sql(relations_sql()).write.mode("overwrite").parquet(f"{out}/relations")
