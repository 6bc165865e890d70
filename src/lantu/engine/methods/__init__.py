"""Registered methods of each step family (importing this package fills the registry)."""

from lantu.engine.methods import aggregate, normalise, prep, treat, weight  # noqa: F401
