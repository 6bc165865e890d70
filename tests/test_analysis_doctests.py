"""The Examples sections of the MCDA and analysis modules are executed, so they stay true."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "lantu.engine.mcda",
    "lantu.analysis.target_spec",
    "lantu.analysis.target_status",
    "lantu.analysis.target_rollup",
    "lantu.analysis.coupling",
    "lantu.analysis.primacy",
    "lantu.analysis.disparity",
    "lantu.analysis.series",
    "lantu.domain.observations",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0
