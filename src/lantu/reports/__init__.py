"""Reports in the forms offices use: the Word monitoring report (监测报告) and supervision bulletin
(督办通报) after GB/T 9704, the Excel task table (任务分解表), charts, and PDF via LibreOffice.

Data is gathered by :mod:`lantu.reports.data` (through the store's repositories) into plain
dictionaries; the builders (:mod:`~lantu.reports.monitoring`, :mod:`~lantu.reports.bulletin`,
:mod:`~lantu.reports.tasks`) only read those, so they are testable without a database.
"""
