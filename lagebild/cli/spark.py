"""``lagebild spark``: run the pipeline on a Spark cluster (local mode by default)."""

from __future__ import annotations

from typing import Optional

import typer

from lagebild.cli.common import console, exit_error, settings_for


def spark(
    inputs: list[str] = typer.Option(..., "--input", "-i", help="input files, directories or globs (WARC, text dumps, JSONL, HTML); repeat the option"),
    output: str = typer.Option(..., "--output", "-o", help="output directory (local path, hdfs://, s3a://…)"),
    master: str = typer.Option("local[*]", "--master", help="Spark master URL, as for spark-submit"),
    stages: Optional[str] = typer.Option(None, "--stages", "-s", help="preset or comma list of stages"),
) -> None:
    """Run the pipeline with Spark: one task per input file, Parquet tables partitioned by month, relations by Spark SQL."""
    try:
        from lagebild.spark.job import run
    except ImportError as exc:
        exit_error(f"pyspark is not installed ({exc}); pip install 'lagebild[spark]'")
    report = run(inputs, output, master=master, stages=stages, settings=settings_for())
    console.print(f"{report.inputs} input files: {report.skipped} already done, {report.documents} new documents, "
                  f"{report.errors} errors -> {output}" + (f" (run {report.run_id})" if report.run_id else ""))


def register(app: typer.Typer) -> None:
    app.command()(spark)
