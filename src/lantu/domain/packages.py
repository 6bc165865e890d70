"""The one rule of an Office package's directory (XLSX, DOCX, evidence): each part once.

A zip archive may hold two members of one name; Python's ``zipfile`` (and so openpyxl and
python-docx) reads the last, other readers — Excel, WPS, an unzip tool — the first or refuse
the file. A workbook whose ``xl/worksheets/sheet1.xml`` was given twice showed one table in
Excel and imported another (probe14: 5571.17 in the sheet, 9999 stored). Part names of an
Office package (OPC) are compared without regard to case, so ``Sheet1.xml`` and
``sheet1.xml`` are one part given twice too. Asked by
:func:`lantu.ingest.tables_read.xlsx_package_problem`, :func:`lantu.ingest.textio.read_text`
(a .docx) and :func:`lantu.store.active.office_problem` (evidence), before anything is read.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable

__all__ = ["duplicate_part_problem"]


def duplicate_part_problem(infos: Iterable[zipfile.ZipInfo]) -> str | None:
    """Why a package with these members is ambiguous — a part given twice — or None.

    >>> a, b = zipfile.ZipInfo("xl/worksheets/sheet1.xml"), zipfile.ZipInfo("XL/worksheets/Sheet1.xml")
    >>> duplicate_part_problem([a, b])
    "the file holds the part 'XL/worksheets/Sheet1.xml' twice (programs disagree on which one to read); save it again from Excel, WPS or Word"
    >>> duplicate_part_problem([a]) is None
    True
    """
    seen: set[str] = set()
    for info in infos:
        key = info.filename.replace("\\", "/").lstrip("/").lower()
        if key.endswith("/"):  # a folder entry holds nothing
            continue
        if key in seen:
            return (f"the file holds the part {info.filename!r} twice (programs disagree on "
                    "which one to read); save it again from Excel, WPS or Word")
        seen.add(key)
    return None
