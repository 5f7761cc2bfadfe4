"""Run the lagebild pipeline on Apache Spark: each input file is a task, output is Parquet.

See :mod:`lagebild.spark.job` for the job and :mod:`lagebild.spark.load` for loading its output
into DuckDB or PostgreSQL.
"""
