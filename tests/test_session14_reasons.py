"""The comparison page for a year the index cannot be built for said why in English on a Chinese
page (found while checking session 14's bounds: with "≥" figures no longer ranked, 2025 is such a
year for central Shanxi). The peer index's refusals are reason templates now."""

from __future__ import annotations

import pytest

from lantu.errors import ValidationError
from lantu.evaluation import peer_index
from lantu.reasons import field_reason


def test_an_unbuildable_year_is_said_in_chinese(default_db_module):
    with default_db_module.session() as s, pytest.raises(ValidationError) as caught:
        peer_index.compute(s, region=None, year=2031, group="central_shanxi")
    exc = caught.value
    said = field_reason("zh", exc.field, exc.reason)
    assert "综合指数无法按 2031 年计算" in said and "cannot" not in said
    assert field_reason("en", exc.field, exc.reason) == exc.reason  # English as written


def test_no_year_at_all_is_said_in_chinese():
    said = field_reason("zh", "group", "the index of group g1 cannot be built for any year "
                                       "(too little data)")
    assert said.endswith("地区组 g1 的综合指数在任何年份都无法计算（数据不足）")
