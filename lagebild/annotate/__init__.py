"""Annotate stages: each module registers its stages with :func:`lagebild.pipeline.stage`."""
