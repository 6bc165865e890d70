"""Reports in the forms offices use: the Word monitoring report (监测报告) and supervision bulletin
(督办通报) after GB/T 9704, the Excel task table (任务分解表), charts, and PDF via LibreOffice.

- :mod:`~lantu.reports.data` gathers what a report shows (through the store's repositories) into
  plain dictionaries; :mod:`~lantu.reports.progress` computes the target status and trends from
  plain data; the peer index is :mod:`lantu.evaluation.peer_index` (the comparison page's).
- :mod:`~lantu.reports.monitoring`, :mod:`~lantu.reports.bulletin` and
  :mod:`~lantu.reports.tasks` build the documents from those dictionaries (testable without a
  database) on :mod:`~lantu.reports.gongwen` (the GB/T 9704 page), :mod:`~lantu.reports.charts`
  and :mod:`~lantu.reports.fonts`.
- :mod:`~lantu.reports.service` is what the CLI and the web app call;
  :mod:`~lantu.reports.convert` runs LibreOffice and pdftoppm.
"""
