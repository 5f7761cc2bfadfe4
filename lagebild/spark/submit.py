"""Entry script for ``spark-submit`` on a real cluster (the master comes from spark-submit).

    spark-submit --master yarn --archives env.tar.gz#environment \\
        --conf spark.pyspark.python=./environment/bin/python \\
        "$(python -c 'import lagebild.spark.submit as m; print(m.__file__)')" \\
        --input 'hdfs:///crawl/*.warc.gz' --output hdfs:///lagebild/out
"""

from __future__ import annotations

import argparse

from lagebild.settings import Settings
from lagebild.spark.job import run


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="lagebild-spark", description="run the lagebild pipeline on Spark")
    ap.add_argument("--input", "-i", action="append", required=True, help="files, directories or globs")
    ap.add_argument("--output", "-o", required=True)
    ap.add_argument("--stages", "-s", default=None)
    args = ap.parse_args(argv)
    report = run(args.input, args.output, master=None, stages=args.stages, settings=Settings.from_env())
    print(f"{report.inputs} inputs, {report.skipped} already done, {report.documents} new documents, "
          f"{report.errors} errors, run {report.run_id}")


if __name__ == "__main__":
    main()
