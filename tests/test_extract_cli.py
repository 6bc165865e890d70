"""`lantu extract` on files: CSV to stdout or --out, the XLSX review sheet, clear errors."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from typer.testing import CliRunner

from lantu.cli import app
from lantu.ingest.extract import COLUMNS
from lantu.ingest.extract_io import CSV_COLUMNS, REVIEW_COLUMNS

REPORT = (
    "---\nsource: https://www.example.gov.cn/zfgzbg/2023.html\ntitle: 政府工作报告\n---\n"
    "一、2022年工作回顾\n全年地区生产总值实现5571.17亿元、增长3.3%。\n"
    "二、2023年工作安排\n今年主要预期目标是：地区生产总值增长6.5%左右，城镇新增就业8万人，居民消费价格涨幅控制在3%左右。\n"
)
runner = CliRunner()


def _write(tmp_path: Path, name: str = "r.md", encoding: str = "utf-8", front_matter: bool = True) -> Path:
    p = tmp_path / name
    text = REPORT if front_matter else REPORT.split("---\n", 2)[2]
    p.write_bytes(text.encode(encoding))
    return p


def test_csv_to_stdout(tmp_path: Path) -> None:
    res = runner.invoke(app, ["extract", str(_write(tmp_path)), "--region", "140100", "--year", "2023"])
    assert res.exit_code == 0, res.output
    lines = [ln for ln in res.stdout.splitlines() if ln and not ln.startswith(str(tmp_path))]
    table = list(csv.DictReader(io.StringIO("\n".join(lines))))
    assert list(table[0].keys()) == list(CSV_COLUMNS) == [*COLUMNS, "machine_read"]
    assert {r["machine_read"] for r in table} == {"true"}  # no person has checked them yet
    got = [(r["period"], r["indicator"], r["kind"], r["value"], r["qualifier"]) for r in table]
    assert got == [
        ("2022", "gdp", "observed", "5571.17", ""),
        ("2022", "gdp_growth", "observed", "3.3", ""),
        ("2023", "gdp_growth", "target", "6.5", "左右"),
        ("2023", "new_urban_jobs", "target", "8.0", ""),
        ("2023", "cpi", "target", "3.0", "左右"),
    ]


def test_out_and_review_xlsx(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    src = _write(tmp_path, "r.txt", "gbk", front_matter=False)
    out = tmp_path / "rows.csv"
    review = tmp_path / "review.xlsx"
    res = runner.invoke(
        app,
        ["extract", str(src), "--region", "140100", "--year", "2023", "--out", str(out), "--review", str(review)],
    )
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 5
    wb = load_workbook(review)
    ws = wb["extracted"]
    header = [c.value for c in ws[1]]
    assert header == list(REVIEW_COLUMNS)
    data = [dict(zip(header, [c.value for c in row], strict=True)) for row in ws.iter_rows(min_row=2)]
    assert [d["indicator"] for d in data] == [r["indicator"] for r in rows]
    assert ws["A1"].comment is not None and "lantu import" in ws["A1"].comment.text
    # a .txt file has no front matter: the source column is empty, not invented
    assert all(d["source_url"] in (None, "") for d in data)
    text = src.read_bytes().decode("gbk")
    for d in data:
        assert text[d["start"] : d["end"]] == d["excerpt"]


def test_review_sheet_keeps_the_official_url(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    review = tmp_path / "review.xlsx"
    res = runner.invoke(
        app, ["extract", str(_write(tmp_path)), "--region", "140100", "--year", "2023", "--review", str(review)]
    )
    assert res.exit_code == 0, res.output
    ws = load_workbook(review)["extracted"]
    urls = {row[len(REVIEW_COLUMNS) - 1].value for row in ws.iter_rows(min_row=2)}
    assert urls == {"https://www.example.gov.cn/zfgzbg/2023.html"}


def test_bad_region_code_is_a_clear_error(tmp_path: Path) -> None:
    res = runner.invoke(app, ["extract", str(_write(tmp_path)), "--region", "1401", "--year", "2023"])
    assert res.exit_code == 2
    assert "region code '1401': not a 6-digit GB/T 2260 code" in _flat(res.output)


def test_unreadable_file_is_a_clear_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.md"
    empty.write_bytes(b"")
    res = runner.invoke(app, ["extract", str(empty), "--region", "140100", "--year", "2023"])
    assert res.exit_code == 2
    assert "empty.md: the file is empty" in res.output
    res = runner.invoke(app, ["extract", str(tmp_path / "r.rtf"), "--region", "140100", "--year", "2023"])
    assert res.exit_code == 3 and "no such file" in _flat(res.output)  # docs/cli.md: system
    (tmp_path / "r.rtf").write_text("{\\rtf1 x}", encoding="utf-8")
    res = runner.invoke(app, ["extract", str(tmp_path / "r.rtf"), "--region", "140100", "--year", "2023"])
    assert res.exit_code == 2 and "unsupported extension" in res.output


def _flat(output: str) -> str:
    """Typer's usage-error box as one line (it wraps the message inside its frame)."""
    return " ".join(output.replace("│", " ").split())


def test_review_sheet_round_trip_after_a_correction(tmp_path: Path) -> None:
    import pytest
    from openpyxl import load_workbook

    from lantu.ingest.extract_io import ReviewSheetError, read_review_xlsx

    review = tmp_path / "review.xlsx"
    res = runner.invoke(
        app, ["extract", str(_write(tmp_path)), "--region", "140100", "--year", "2023", "--review", str(review)]
    )
    assert res.exit_code == 0, res.output
    recs = read_review_xlsx(review)
    assert [(r["indicator"], r["kind"], r["value"], r["qualifier"]) for r in recs][:2] == [
        ("gdp", "observed", 5571.17, ""),
        ("gdp_growth", "observed", 3.3, ""),
    ]
    assert recs[0]["source_url"] == "https://www.example.gov.cn/zfgzbg/2023.html"
    # a person corrects a qualifier and a value, then makes a mistake in a kind
    wb = load_workbook(review)
    ws = wb["extracted"]
    header = [c.value for c in ws[1]]
    ws.cell(2, header.index("value") + 1).value = 5571.2
    wb.save(review)
    assert read_review_xlsx(review)[0]["value"] == 5571.2
    ws.cell(3, header.index("kind") + 1).value = "goal"
    wb.save(review)
    with pytest.raises(ReviewSheetError, match=r"row 3, column kind: expected one of observed, target"):
        read_review_xlsx(review)
    ws.cell(1, header.index("qualifier") + 1).value = "qual"
    wb.save(review)
    with pytest.raises(ReviewSheetError, match="missing column"):
        read_review_xlsx(review)


def test_docx_and_html_inputs(tmp_path: Path) -> None:
    import docx

    body = REPORT.split("---\n", 2)[2]
    d = docx.Document()
    for line in body.splitlines():
        d.add_paragraph(line)
    src = tmp_path / "r.docx"
    d.save(src)
    html = tmp_path / "r.html"
    html.write_text("<html><body><nav>首页</nav>" + "".join(f"<p>{ln}</p>" for ln in body.splitlines()) + "</body></html>", encoding="gbk")
    for path in (src, html):
        res = runner.invoke(app, ["extract", str(path), "--region", "140100", "--year", "2023"])
        assert res.exit_code == 0, res.output
        lines = [ln for ln in res.stdout.splitlines() if not ln.startswith(str(tmp_path))]
        table = list(csv.DictReader(io.StringIO("\n".join(lines))))
        assert ("gdp_growth", "target", "6.5", "左右") in {
            (r["indicator"], r["kind"], r["value"], r["qualifier"]) for r in table
        }


def test_flags_and_bounds_go_through_lantu_import(tmp_path: Path, monkeypatch) -> None:
    """The CSV of `lantu extract` (with ``flags``) imports back: a bound observed in the review
    ("控制在3%以内") keeps its qualifier as a flag, 突破 is a floor target, 预计 is preliminary."""
    from lantu import services
    from lantu.store import open_database, repo

    report = tmp_path / "r.md"
    report.write_text(
        "一、2022年工作回顾\n全年地区生产总值预计增长3.3%左右，城镇登记失业率控制在3%以内。\n"
        "二、2023年工作安排\n今年主要预期目标是：地区生产总值增长6.5%，城镇新增就业8万人。"
        "高新技术企业力争突破550家。\n", encoding="utf-8")
    out = tmp_path / "x.csv"
    res = runner.invoke(app, ["extract", str(report), "--region", "140100", "--year", "2023", "--out", str(out)])
    assert res.exit_code == 0, res.output
    recs = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert tuple(recs[0]) == CSV_COLUMNS and COLUMNS[-1] == "flags"
    got = [(r["indicator"], r["kind"], r["value"], r["qualifier"], r["flags"]) for r in recs]
    assert got == [("gdp_growth", "observed", "3.3", "左右", "preliminary"),
                   ("unemployment_rate_registered", "observed", "3.0", "以内", ""),
                   ("gdp_growth", "target", "6.5", "", ""),
                   ("new_urban_jobs", "target", "8.0", "", ""),
                   ("high_tech_enterprises", "target", "550.0", "突破", "")]
    monkeypatch.setenv("LANTU_HOME", str(tmp_path / "home"))
    db = open_database(f"sqlite:///{tmp_path / 'l.db'}")
    services.init_reference(db)
    services.import_file(db, out)
    with db.session() as s:
        obs = repo.observations_frame(s)
        ts = repo.targets(s, indicators=["high_tech_enterprises"])
    flags = dict(zip(obs["indicator"], obs["flags"], strict=True))
    # at most 3, never exactly 3; machine-read as written (lantu.domain.review)
    assert flags["unemployment_rate_registered"] == "preliminary;upper_bound;machine_read"
    assert flags["gdp_growth"] == "preliminary;approximate;machine_read"
    assert [(t.kind, t.value, t.qualifier) for t in ts] == [("floor", 550.0, "突破")]
    db.dispose()
