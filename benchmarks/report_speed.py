"""How long the Taiyuan 2023 monitoring report takes on the embedded default (goal: < 5 s).

Prints one table: each way of building, side by side in the same run —

- ``lantu report monitoring`` as a user runs it (a fresh process: imports, database, fonts, data,
  charts, DOCX written), the figure the 5-second goal is about;
- in-process builds (warm imports): DOCX with charts, DOCX without charts (the no-CJK-font path,
  to show what the charts cost), HTML, the supervision bulletin and the task table;
- DOCX → PDF through LibreOffice headless, timed separately (it is an outside program).

Usage::

    .venv/bin/python benchmarks/report_speed.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from _common import default_database, timed

from lantu.reports import fonts as fonts_mod
from lantu.reports.convert import docx_to_pdf, soffice_path
from lantu.reports.service import bulletin_report, monitoring_report, task_table


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with default_database() as (db, url, tmp):
        fs = fonts_mod.find_fonts()
        no_cjk = fonts_mod.find_fonts(frozenset({"DejaVu Sans"}))
        rows: list[tuple] = []

        lantu = Path(sys.executable).with_name("lantu")
        out = tmp / "m.docx"
        env = {**os.environ, "LANTU_DATABASE_URL": url}
        cmd = [str(lantu), "report", "monitoring", "--region", "140100", "--period", "2023",
               "--out", str(out)]
        best, med, cpu, _ = timed(lambda: subprocess.run(cmd, env=env, check=True,
                                                    capture_output=True), args.repeat)
        rows.append(("CLI `lantu report monitoring` (fresh process)", best, med, cpu,
                     f"{out.stat().st_size / 1024:.0f} KiB docx"))

        best, med, cpu, built = timed(lambda: monitoring_report(db, "140100", "2023", fonts=fs),
                                 args.repeat)
        rows.append(("monitoring DOCX with charts (in process)", best, med, cpu,
                     f"data {built.timings['data']:.2f} s + build {built.timings['build']:.2f} s"))
        docx = built.content
        best, med, cpu, _ = timed(lambda: monitoring_report(db, "140100", "2023", fonts=no_cjk),
                             args.repeat)
        rows.append(("monitoring DOCX without charts (no CJK font)", best, med, cpu, ""))
        best, med, cpu, _ = timed(lambda: monitoring_report(db, "140100", "2023", fmt="html",
                                                       fonts=fs), args.repeat)
        rows.append(("monitoring HTML with charts", best, med, cpu, ""))
        best, med, cpu, _ = timed(lambda: bulletin_report(db, "2023-06", fonts=fs), args.repeat)
        rows.append(("bulletin DOCX 2023-06", best, med, cpu, ""))
        best, med, cpu, _ = timed(lambda: task_table(db, fonts=fs), args.repeat)
        rows.append(("task table XLSX", best, med, cpu, ""))
        if soffice_path():
            best, med, cpu, pdf = timed(lambda: docx_to_pdf(docx), args.repeat)
            rows.append(("DOCX → PDF (LibreOffice headless)", best, med, cpu,
                         f"{len(pdf) / 1024:.0f} KiB pdf"))
        else:
            nan = float("nan")
            rows.append(("DOCX → PDF (LibreOffice headless)", nan, nan, nan,
                         "soffice not installed"))

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"Taiyuan (140100) 2023 monitoring report on the embedded default; best and median of "
          f"{args.repeat}; {os.cpu_count()} CPUs, load average {load:.1f}")
    print(f"fonts: {fs.describe()}")
    print(f"{'what':<50} {'best s':>7} {'median s':>9} {'CPU s':>6}  note")
    for name, best, med, cpu, note in rows:
        print(f"{name:<50} {best:7.2f} {med:9.2f} {cpu:6.2f}  {note}")
    cli_best, cli_cpu = rows[0][1], rows[0][3]
    print(f"goal < 5 s for the CLI build: wall {'met' if cli_best < 5 else 'NOT met'} "
          f"({cli_best:.2f} s), CPU time {'met' if cli_cpu < 5 else 'NOT met'} ({cli_cpu:.2f} s)")


if __name__ == "__main__":
    main()
