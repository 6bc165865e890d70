"""Composite-index engine (pure computation on pandas/numpy)."""
