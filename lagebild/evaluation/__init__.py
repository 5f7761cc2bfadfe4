"""Scoring code shared by benchmarks and evaluation-gate tests."""
