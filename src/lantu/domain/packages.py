"""The one rule of an Office package's directory (XLSX, DOCX, evidence): each part once.

A zip archive may hold two members of one name; Python's ``zipfile`` (and so openpyxl and
python-docx) reads the last, other readers — Excel, WPS, an unzip tool — the first or refuse
the file. A workbook whose ``xl/worksheets/sheet1.xml`` was given twice showed one table in
Excel and imported another (probe14: 5571.17 in the sheet, 9999 stored). Part names of an
Office package (OPC) are compared without regard to case, so ``Sheet1.xml`` and
``sheet1.xml`` are one part given twice too. A part Python cannot unpack — encrypted by the
zip's own password (what 7-Zip or WinRAR writes when asked for one) or packed by a method
``zipfile`` lacks (Deflate64) — is named as such before it is read: the encrypted one was a
traceback in ``lantu import`` and a 500 on the import page (probe25). Asked by
:func:`lantu.ingest.tables_read.xlsx_package_problem`, :func:`lantu.ingest.textio.read_text`
(a .docx) and :func:`lantu.store.active.office_problem` (evidence), before anything is read.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable

__all__ = ["duplicate_part_problem", "unreadable_part_problem"]

#: compression methods Python's ``zipfile`` unpacks: stored, deflate, bzip2, LZMA
_METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA})


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


def unreadable_part_problem(infos: Iterable[zipfile.ZipInfo]) -> str | None:
    """Why a part of a package cannot be unpacked — encrypted (bit 0 of its flags), or packed by
    a method Python does not read — or None.

    >>> a = zipfile.ZipInfo("word/document.xml")
    >>> a.flag_bits |= 1
    >>> unreadable_part_problem([a])
    "the file is encrypted (its part 'word/document.xml' needs a password): save it again without a password"
    >>> unreadable_part_problem([zipfile.ZipInfo("word/document.xml")]) is None
    True
    """
    for info in infos:
        if info.flag_bits & 0x1:
            return (f"the file is encrypted (its part {info.filename!r} needs a password): save "
                    "it again without a password")
        if info.compress_type not in _METHODS:
            return (f"the part {info.filename!r} is packed by a compression method that is not read "
                    f"(zip method {info.compress_type}); save the file again from Excel, WPS or Word")
    return None
