"""What ``lantu extract`` writes is machine-read until a person says otherwise: its CSV and its
review sheet carry ``machine_read`` true on every row, so importing them as they are keeps the
rows machine-read (:mod:`lantu.domain.review`), and an analyst who checked a row clears the
column (or writes false) to import it as reviewed."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from typer.testing import CliRunner

from lantu.cli import app
from lantu.domain.review import counting, is_machine_read

runner = CliRunner()
REPORT = ("corpus", "work-reports", "140100-taiyuan", "2024.md")


def _extract(shared_dir: Path, tmp_path: Path, *extra: str) -> Path:
    out = tmp_path / "x.csv"
    res = runner.invoke(app, ["extract", str(shared_dir.joinpath(*REPORT)), "--region", "140100",
                              "--year", "2024", "--out", str(out), *extra])
    assert res.exit_code == 0, res.output
    return out


def _fresh_db(tmp_path: Path, name: str) -> str:
    url = f"sqlite:///{tmp_path / name}"
    res = runner.invoke(app, ["init", "--db", url])
    assert res.exit_code == 0, res.output
    return url


def _import(path: Path, url: str, *extra: str) -> None:
    res = runner.invoke(app, ["import", str(path), "--db", url, *extra])
    assert res.exit_code == 0, res.output
    assert "extract-review" in res.output


def _stored(url: str):
    from lantu.store import Database, repo

    db = Database(url)
    try:
        with db.session() as s:
            obs = repo.observations_frame(s, regions=["140100"]).to_dict("records")
            targets = repo.targets(s, regions=["140100"])
    finally:
        db.dispose()
    return obs, targets


def _rewrite(path: Path, value: str) -> None:
    recs = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(recs[0]), lineterminator="\n")
    w.writeheader()
    w.writerows({**r, "machine_read": value} for r in recs)
    path.write_text(buf.getvalue(), encoding="utf-8")


def test_extract_csv_imports_machine_read_until_the_column_is_cleared(shared_dir, tmp_path,
                                                                      monkeypatch) -> None:
    monkeypatch.setenv("LANTU_HOME", str(tmp_path / "home"))
    out = _extract(shared_dir, tmp_path)
    recs = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    kinds = {r["kind"] for r in recs}
    assert kinds == {"observed", "target"}
    assert {r["machine_read"] for r in recs} == {"true"}  # every row, both kinds

    # imported as it is: nothing of it counts as reviewed
    url = _fresh_db(tmp_path, "direct.db")
    _import(out, url)
    obs, targets = _stored(url)
    assert len(obs) == sum(r["kind"] == "observed" for r in recs) and targets
    assert all(is_machine_read(o) for o in obs), [o["flags"] for o in obs]
    assert all(t.machine_read for t in targets)
    for facts in (obs, targets):
        c = counting(facts)
        assert c.reviewed == 0 and c.machine_read_only

    # an analyst checked every row and cleared the column: reviewed, in a fresh database
    _rewrite(out, "")
    url2 = _fresh_db(tmp_path, "reviewed.db")
    _import(out, url2)
    obs2, targets2 = _stored(url2)
    assert len(obs2) == len(obs) and len(targets2) == len(targets)
    assert not any(is_machine_read(o) for o in obs2)
    assert not any(t.machine_read for t in targets2)
    assert counting(obs2).machine_read == 0 and counting(targets2).machine_read == 0

    # … and over the machine-read copy: the same facts become reviewed
    _import(out, url)
    obs3, targets3 = _stored(url)
    assert len(obs3) == len(obs) and len(targets3) == len(targets)
    assert not any(is_machine_read(o) for o in obs3)
    assert not any(t.machine_read for t in targets3)


def test_false_in_the_column_wins_over_the_flag(shared_dir, tmp_path, monkeypatch) -> None:
    """``machine_read`` false is a person's word even where ``flags`` still says machine_read."""
    monkeypatch.setenv("LANTU_HOME", str(tmp_path / "home"))
    out = _extract(shared_dir, tmp_path)
    recs = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    for r in recs:
        r["flags"] = ";".join(f for f in (r["flags"], "machine_read") if f)
        r["machine_read"] = "false"
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(recs[0]), lineterminator="\n")
    w.writeheader()
    w.writerows(recs)
    out.write_text(buf.getvalue(), encoding="utf-8")
    url = _fresh_db(tmp_path, "f.db")
    _import(out, url)
    obs, targets = _stored(url)
    assert obs and targets
    assert not any(is_machine_read(o) for o in obs) and not any(t.machine_read for t in targets)


def test_review_sheet_imports_machine_read_until_the_column_is_cleared(shared_dir, tmp_path,
                                                                       monkeypatch) -> None:
    from openpyxl import load_workbook

    from lantu.ingest.extract_io import read_review_xlsx

    monkeypatch.setenv("LANTU_HOME", str(tmp_path / "home"))
    review = tmp_path / "review.xlsx"
    _extract(shared_dir, tmp_path, "--review", str(review))
    recs = read_review_xlsx(review)
    assert recs and all(r["machine_read"] for r in recs)
    url = _fresh_db(tmp_path, "sheet.db")
    _import(review, url, "--sheet", "extracted")
    obs, targets = _stored(url)
    assert obs and targets
    assert counting(obs).reviewed == 0 and counting(targets).reviewed == 0

    wb = load_workbook(review)
    ws = wb["extracted"]
    col = [c.value for c in ws[1]].index("machine_read") + 1
    for row in range(2, ws.max_row + 1):
        ws.cell(row, col).value = None
    wb.save(review)
    assert not any(r["machine_read"] for r in read_review_xlsx(review))
    url2 = _fresh_db(tmp_path, "sheet2.db")
    _import(review, url2, "--sheet", "extracted")
    obs2, targets2 = _stored(url2)
    assert len(obs2) == len(obs) and len(targets2) == len(targets)
    assert counting(obs2).machine_read == 0 and counting(targets2).machine_read == 0


def test_the_rule_reads_a_flags_cell_as_the_import_does() -> None:
    """:func:`lantu.domain.review.is_machine_read` splits a ``flags`` cell as ``parse_flags``
    and the import do (``;``, ``,`` or ``|``): the import asks it, no split of its own."""
    from lantu.domain.observations import parse_flags

    for text in ("machine_read", "preliminary;machine_read", "preliminary, machine_read",
                 "preliminary|machine_read"):
        assert "machine_read" in parse_flags(text)
        assert is_machine_read({"flags": text}), text
    assert not is_machine_read({"flags": "preliminary|upper_bound"})
    assert not is_machine_read({"machine_read": False, "flags": "preliminary|machine_read"})


def test_a_long_table_with_a_machine_read_column_is_read_by_it(tmp_path):
    """An ordinary long table may say it too: the column decides over the flag, whether the
    file is plain (the column-wise lane) or quoted (the row reader); a word that is no answer
    is refused with its row and column."""
    from lantu import services
    from lantu.ingest.bulk import read_plain
    from lantu.ingest.tables import ImportRefused
    from lantu.store import open_database
    from lantu.store.models import ObservationRow

    head = "region_code,period,indicator,value,unit,flags,machine_read\n"
    body = ("140100,2020,gdp,4153.25,亿元,preliminary,true\n"
            "140100,2021,gdp,5121.61,亿元,machine_read,false\n"
            "140100,2022,gdp,5571.17,亿元,machine_read,\n"
            "140100,2023,gdp,5573.74,亿元,,\n")
    for quoted in (False, True):
        db = open_database(f"sqlite:///{tmp_path / f'q{quoted}.db'}")
        services.init_reference(db)
        f = tmp_path / f"t{quoted}.csv"
        f.write_text(head + (body.replace("亿元", '"亿元"') if quoted else body), encoding="utf-8")
        assert read_plain(f) is None  # the row reader reads it either way
        services.import_file(db, f)
        with db.session() as s:
            rows = s.query(ObservationRow).all()
            got = {r.period: is_machine_read(r) for r in rows}
            assert counting(rows, key=lambda r: r.period).machine_read == 2
        assert got == {"2020": True, "2021": False, "2022": True, "2023": False}
        db.dispose()
    bad = tmp_path / "bad.csv"
    bad.write_text(head + "140100,2019,gdp,4028.51,亿元,,maybe\n", encoding="utf-8")
    db = open_database(f"sqlite:///{tmp_path / 'bad.db'}")
    services.init_reference(db)
    try:
        services.import_file(db, bad)
    except ImportRefused as exc:
        assert [(p.row, p.column) for p in exc.problems] == [(2, "machine_read")]
    else:
        raise AssertionError("a machine_read cell of 'maybe' was accepted")
    db.dispose()
