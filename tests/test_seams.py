"""The seams of issue 13 that no other test pins: the split readers keep every public name at its
old path (the same object, not a copy), their examples still hold, and each rule the issue found
twice has one home that the other places read."""

from __future__ import annotations

import doctest
import importlib

import pytest

from lantu.config import Settings
from lantu.ingest import policy, tables
from lantu.supervise import score, warnings

# the modules split by their stages, with the examples in their docstrings
SPLIT = ["lantu.ingest.policy", "lantu.ingest.policy_model", "lantu.ingest.policy_annotate",
         "lantu.ingest.tables_values", "lantu.supervise.warnings", "lantu.supervise.score"]


@pytest.mark.parametrize("name", SPLIT)
def test_examples_still_hold(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.parametrize(("old", "names"), [
    (policy, policy.__all__),
    (tables, ["Problem", "ImportRefused", "RawTable", "read_raw", "MAX_FILE_BYTES", "MAX_ROWS",
              "MAX_XLSX_UNPACKED_BYTES", "MAX_MERGED_CELLS", "Quantity", "parse_quantity",
              "parse_number", "scale_exactly", "MISSING", "SCALE_WORDS", "Catalogue",
              "ParsedTable", "parse_table", "parse_file"]),
])
def test_public_names_stay_importable_from_the_old_path(old, names) -> None:
    for name in names:
        obj = getattr(old, name)
        home = getattr(obj, "__module__", None)
        if home and home.startswith("lantu.") and home != old.__name__:  # from a stage module
            assert getattr(importlib.import_module(home), name) is obj


def test_score_defaults_live_once() -> None:
    s = Settings()
    assert s.score_weights == score.DEFAULT_WEIGHTS
    assert s.score_weights is not score.DEFAULT_WEIGHTS  # a copy: settings may not change the rule
    rule = s.score_rule()
    assert (rule.overdue_cap_days, rule.reminder_cap) == (score.DEFAULT_OVERDUE_CAP_DAYS,
                                                          score.DEFAULT_REMINDER_CAP)
    assert rule == score.ScoreRule()


def test_department_colour_is_the_supervision_rule() -> None:
    assert warnings.department_colour(late_tasks=2, late_milestones=1, returned=1) == "red"
    assert warnings.department_colour(late_tasks=0, late_milestones=1, returned=0) == "yellow"
    assert warnings.department_colour(late_tasks=0, late_milestones=0, returned=0) == "green"
    assert set(warnings.COLOURS) == {"red", "yellow", "green"}


def test_the_report_ranks_a_city_among_its_peers_by_the_one_rule() -> None:
    """The monitoring report's peer comparison ranks with engine.stats.rank_min: ties share the
    best rank (it used to rank by sort order, so a tie ranked by the order the rows came in)."""
    from lantu.reports.data import _rank_among

    values = {"140100": 5.0, "140200": 7.0, "140300": 5.0, "140400": 1.0}
    assert _rank_among(values, "140300", higher_is_better=True) == 2
    assert _rank_among(values, "140100", higher_is_better=True) == 2  # the tie, either way round
    assert _rank_among(values, "140400", higher_is_better=False) == 1
    assert _rank_among(values, "140200", higher_is_better=False) == 4
    assert _rank_among({**values, "140500": float("nan")}, "140500", higher_is_better=True) is None


def test_long_document_properties_are_cut_not_refused() -> None:
    """A machine without CJK fonts writes a long note on the substituted faces into the file's
    comments; the format holds 255 characters a property, so it is cut there (it used to raise,
    and the bulletin download answered 500)."""
    import io as _io

    from docx import Document

    from lantu.reports.fonts import find_fonts
    from lantu.reports.gongwen import CORE_PROPERTY_MAX, GongwenDocument

    doc = GongwenDocument(find_fonts(frozenset({"DejaVu Sans"})))  # the no-CJK-font path
    note = "本机未安装中文字体，" * 60
    doc.set_properties("标题", subject="规划" * 200, comments=note)
    cp = Document(_io.BytesIO(doc.to_bytes())).core_properties
    assert len(cp.comments) == len(cp.subject) == CORE_PROPERTY_MAX
    assert cp.comments.endswith("…") and cp.comments.startswith("本机未安装中文字体")
    assert cp.title == "标题"


def test_reports_word_a_task_status_as_the_pages_do() -> None:
    from lantu.i18n import translate
    from lantu.reports.data import NODE_STATUS

    assert NODE_STATUS["not_started"] == translate("zh", "status.not_started") == "未开始"
    assert all(word == translate("zh", f"status.{s}") for s, word in NODE_STATUS.items())


def test_reports_word_a_warning_colour_as_the_pages_do() -> None:
    from lantu.i18n import translate
    from lantu.reports.data import WARNING

    assert {c: label for c, (label, _) in WARNING.items()} == {
        c: translate("zh", f"colour.{c}") for c in ("red", "yellow", "green")}
    assert WARNING["red"][0] == "逾期"


def test_units_convert_by_one_rule_for_tables_and_texts() -> None:
    """The extractor converts a figure's unit through domain.units (no table of its own): every
    unit word it reads converts to a catalogue unit exactly as a table import would."""
    from lantu.domain import ValidationError
    from lantu.domain.units import convert
    from lantu.ingest.extract_lexicon import LEX, _convert

    assert _convert(5, "万户", "market_entities") == _convert(5, "万家", "market_entities") == 5
    assert _convert(50000, "户", "market_entities") == 5 and _convert(2, "万吨", "market_entities") is None
    assert convert(3, "万名", "人") == 30000 and convert(2, "户", "家") == 2
    for unit in LEX.units:
        for code, target in LEX.catalogue_units.items():
            try:
                expected = convert(7.0, unit, target)
            except ValidationError:
                expected = None
            assert _convert(7.0, unit, code) == expected, (unit, code)


def test_observations_are_filtered_by_one_rule(default_db) -> None:
    """The tables of :mod:`lantu.store.repo` (exports, evaluations) and the pages and API of
    :mod:`lantu.store.queries` narrow observations with one filter (it was written in both):
    the same regions, indicators and periods give the same figures either way."""
    from lantu.store import queries, repo

    assert queries.observation_filter is repo.observation_filter
    with default_db.session() as s:
        for regions, indicators, periods in [(["140100"], ["gdp"], None),
                                             (["140100", "140200"], None, [2021, "2022"]),
                                             (None, ["gdp_growth", "cpi"], ["2023"])]:
            frame = repo.observations_frame(s, regions=regions, indicators=indicators,
                                            periods=periods)
            total, rows = queries.observations_page(s, regions=regions, indicators=indicators,
                                                    periods=periods)
            assert total == len(frame) == len(rows) > 0
            assert [(r["region_code"], r["indicator"], r["period"], r["value"]) for r in rows] == \
                list(zip(frame["region_code"], frame["indicator"], frame["period"],
                         frame["value"], strict=True))


def test_the_bulletin_and_the_monitoring_report_start_with_one_head(default_db,
                                                                     monkeypatch) -> None:
    """Both official documents open with :meth:`GongwenDocument.head` (title, the demonstration
    line on the default, a blank line, 主送机关); each wrote those lines itself."""
    import io as _io
    from datetime import date

    from docx import Document

    from lantu.evaluation.demo import DEMO_LINE_ZH
    from lantu.reports.bulletin import build_bulletin_docx
    from lantu.reports.data import bulletin_data, monitoring_data
    from lantu.reports.fonts import FontSet
    from lantu.reports.gongwen import GongwenDocument
    from lantu.reports.monitoring import build_monitoring_docx

    heads: list[dict] = []
    real = GongwenDocument.head

    def spy(self, title, **kw):
        heads.append({"title": title, **kw})
        return real(self, title, **kw)

    monkeypatch.setattr(GongwenDocument, "head", spy)
    fonts = FontSet.standard()
    with default_db.session() as s:
        b = bulletin_data(s, "2023-06", today=date(2024, 3, 1))
        m = monitoring_data(s, "140100", "2023")
    m["series"], m["map"], m["peers"] = {}, None, None  # no pictures: not what is tested
    docs = [Document(_io.BytesIO(build(d, fonts).to_bytes()))
            for build, d in ((build_bulletin_docx, b), (build_monitoring_docx, m))]
    assert [h["addressee"] for h in heads] == [b["to"], m["to"]]
    assert [h["note"] for h in heads] == [DEMO_LINE_ZH, DEMO_LINE_ZH]
    for doc, head in zip(docs, heads, strict=True):
        assert [p.text for p in doc.paragraphs[1:4]] == [DEMO_LINE_ZH, "", head["addressee"] + "："]
        assert doc.core_properties.title == head["title"].replace("\n", "")
