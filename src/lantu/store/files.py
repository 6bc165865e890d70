"""Evidence files: checked by their content (magic bytes), stored outside the web root under
``LANTU_HOME/uploads`` with random names, never executed.

Allowed: PDF, PNG, JPEG, DOCX and XLSX (zip packages with the matching main part) and plain text
(by the one decoding rule, ``domain.textcodec.decode_text``: UTF-16 with its mark, UTF-8, GBK; without
control bytes), handed back with the charset it is in. The client's file name and content type are not
trusted: the type is what the bytes say, and the stored name is random. Macro-enabled Office
files (a ``vbaProject.bin`` or a macro-enabled content type inside) and names of executable or
script types (``run.bat``, ``x.hta``, ``x.docm``) are refused even when the bytes are allowed,
and a file is handed back under a safe name whose extension is that of its checked type
(:func:`download_name`). Office files and PDFs that act when opened (remote templates, DDE,
embedded objects, script) are refused by :mod:`lantu.store.active`.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lantu.domain.errors import ValidationError
from lantu.domain.gate import text_problem
from lantu.domain.textcodec import Undecodable, decode_text
from lantu.store.active import active_problem, holds_macros

ALLOWED = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "text/plain": ".txt",
}


#: extensions refused whatever the content: run by Windows, a browser or Office on opening
REFUSED_EXTENSIONS = frozenset(
    ".bat .cmd .com .exe .msi .msp .scr .pif .cpl .dll .sys .lnk .url .reg .inf .hta .htm .html "
    ".xht .xhtml .svg .js .jse .mjs .vbs .vbe .wsf .wsh .ws .ps1 .psm1 .psd1 .sh .bash .py .pl "
    ".jar .class .apk .app .dmg .iso .img .vhd .docm .dotm .xlsm .xltm .xlam .xlsb .pptm .potm "
    ".ppam .ppsm .sldm .rtf .chm .application .appref-ms .gadget .msc .scf .settingcontent-ms "
    ".library-ms .search-ms .desktop .mht .mhtml .xml .xsl .php .asp .aspx .jsp "
    # Office add-ins (an .xll is a DLL Excel loads), OneNote notebooks (which carry files that
    # run on a click), macOS scripts, Windows script components, installers and disk images
    ".xll .xla .xlm .wll .ppa .one .onepkg .command .tool .scpt .sct .wsc .cab .msix "
    ".msixbundle .appx .appxbundle .vhdx .diagcab .jnlp .hlp .website .shb .shs .mde .accde "
    ".ade .adp .ins .isp .pyw .pyz".split())
_UNSAFE_NAME = re.compile(r"[^\w\u3400-\u9fff\uf900-\ufaff（）()\-. ]+")


#: the longest an uploaded file's name is kept, shown and stored (its extension kept): the
#: import batch's ``file`` column holds 500 characters and evidence's ``original_name`` 255, and
#: a preview accepted a 1,000-character name its confirm then refused (probe19)
MAX_UPLOAD_NAME = 200


def upload_name(filename: str) -> str:
    r"""An uploaded file's name as Lantu keeps and shows it: the last part of whatever path
    the client sent (``/`` or ``\``: a Windows browser's ``C:\fakepath\x.csv``), at most
    :data:`MAX_UPLOAD_NAME` characters with its extension kept. Applied to every file of every
    form where the form is read (:func:`lantu.web.deps.csrf_protect`); what no name may hold
    (a line end, a bidi control) is refused there by the label rule.

    >>> upload_name("..\\..\\evil.csv"), upload_name("/tmp/a/b.xlsx"), len(upload_name("a" * 996 + ".csv"))
    ('evil.csv', 'b.xlsx', 200)
    """
    base = filename.replace("\\", "/").rsplit("/", 1)[-1].strip()
    if len(base) <= MAX_UPLOAD_NAME:
        return base
    stem, dot, ext = base.rpartition(".")
    ext = dot + ext if stem and len(ext) <= 16 else ""
    return (base[:len(base) - len(ext)] if ext else base)[:MAX_UPLOAD_NAME - len(ext)] + ext


def name_problem(original: str) -> str | None:
    """Why a file called ``original`` is refused whatever it holds, or None: an executable,
    script or macro-enabled type, or a name the store would not keep (the gate's text rule:
    a bidi control makes ``x\u202egpj.pdf`` show as x…pdf.jpg) — asked before the file is
    written, so nothing is left on disk."""
    if why := text_problem(original):
        return f"the file name is refused: {why}"
    base = original.replace("\\", "/").rsplit("/", 1)[-1].strip().rstrip(". ").lower()
    for ext in re.findall(r"\.[a-z0-9_-]+", base):
        if ext in REFUSED_EXTENSIONS:
            return f"files of type {ext} are not accepted (executable, script or macro-enabled)"
    return None


def download_name(original: str, content_type: str, fallback: str = "evidence") -> str:
    """A safe name to hand a file back under: the uploader's name without path, marks or
    extensions, plus the extension of the type its content was checked to be.

    Examples
    --------
    >>> download_name("../run.bat", "text/plain")
    'run_bat.txt'
    >>> download_name("报告（终稿）.pdf", "application/pdf")
    '报告（终稿）.pdf'
    """
    base = original.replace("\\", "/").rsplit("/", 1)[-1]
    stem = base.rsplit(".", 1)[0] if base.lower().endswith(ALLOWED.get(content_type, "\0")) \
        else base
    stem = _UNSAFE_NAME.sub("_", stem.replace(".", "_")).strip(" _")[:80] or fallback
    return stem + ALLOWED.get(content_type, ".bin")


class UploadRefused(ValidationError):
    """An upload that is too large or of a type that is not allowed; ``status`` 413 or 415."""

    def __init__(self, message: str, status: int, key: str | None = None) -> None:
        super().__init__(message, field="file")
        #: the reason alone (a page shows it in its language: lantu.reasons)
        self.reason = message
        self.status = self.http_status = status
        #: the locale text a page shows (None: the route's own for its status)
        self.key = key


#: The largest ``[Content_Types].xml`` an Office file may hold (real ones: 1–3 KB); read to
#: find macros, so a bigger one (a zip bomb of a few kilobytes) is refused unread.
MAX_CONTENT_TYPES_BYTES = 1024 * 1024


def sniff(data: bytes) -> str | None:
    """The content type the bytes show, or None if not an allowed type.

    Examples
    --------
    >>> sniff(b"%PDF-1.7 ...")
    'application/pdf'
    >>> sniff(b"MZ\\x90\\x00") is None
    True
    """
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = set(z.namelist())
                info = z.getinfo("[Content_Types].xml") if "[Content_Types].xml" in names else None
                if info is not None and info.file_size > MAX_CONTENT_TYPES_BYTES:
                    return None  # a content-type list is a few kilobytes: a zip bomb
                types = z.read(info) if info is not None else b""
        except (zipfile.BadZipFile, ValueError, KeyError, RuntimeError, OSError):
            return None
        if holds_macros(names, types):
            return None  # a macro-enabled document under a .docx/.xlsx name
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
            return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return None
    if _is_text(data):
        return "text/plain"
    return None


def _is_text(data: bytes) -> bool:
    """Plain text by the one rule of every text a user brings (``textio.decode_text``: UTF-16
    with its mark — Excel's "Unicode text", Notepad's "Unicode" — UTF-8 with or without its
    mark, GBK), without control characters; what the text review accepts too."""
    try:
        text, _ = decode_text(data)
    except Undecodable:
        return False
    return all(ch in "\t\n\r\f" or ord(ch) >= 32 for ch in text if ord(ch) < 127)


def text_problem_of(data: bytes) -> str | None:
    """Why bytes that are no allowed type are refused, when they are text the one decoding
    rule names (UTF-16 that lost its mark, UTF-8 cut or damaged): its reason, with what to do,
    rather than "only PDF, PNG, …"; None for anything else."""
    try:
        decode_text(data)
    except Undecodable as exc:
        if exc.markless_utf16 or exc.damaged_utf8:
            return exc.reason
    return None


def served_type(path: Path, content_type: str) -> str:
    """The media type a stored file is handed back with: a text says the charset its bytes
    are in (UTF-16, UTF-8 or GBK, by the one rule), where a bare ``text/plain`` would be called
    UTF-8 whatever it holds."""
    if content_type != "text/plain":
        return content_type
    try:
        return f"text/plain; charset={decode_text(path.read_bytes())[1]}"
    except Undecodable:  # stored before the rule: as it was served
        return content_type


@dataclass(frozen=True, slots=True)
class StoredFile:
    stored_name: str
    content_type: str
    size: int
    sha256: str


def upload_dir(home: Path) -> Path:
    return Path(home) / "uploads"


def store_upload(home: Path, data: bytes, *, max_bytes: int,
                 original_name: str = "") -> StoredFile:
    """Check an upload (its name too) and write it under ``home/uploads/<aa>/<random><ext>``
    (directories and file readable by the server's user only)."""
    if reason := name_problem(original_name):
        raise UploadRefused(reason, 415)
    if len(data) > max_bytes:
        raise UploadRefused(f"the file has {len(data)} bytes; the limit is {max_bytes}", 413)
    if not data:
        raise UploadRefused("the file is empty", 415)
    ctype = sniff(data)
    if ctype is None and (why := text_problem_of(data)):  # text the rule names: say why
        raise UploadRefused(why, 415, "err.upload_text")
    if ctype is None:
        raise UploadRefused("only PDF, PNG, JPEG, DOCX, XLSX and plain text files are accepted "
                            "(checked by content)", 415)
    if reason := active_problem(data, ctype):  # evidence is opened by others: nothing active
        raise UploadRefused(f"{reason}; save it as a plain document (or PDF) without it", 415,
                            "err.upload_active")
    name = secrets.token_hex(16) + ALLOWED[ctype]
    path = upload_dir(home) / name[:2] / name
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    for d in (upload_dir(home), path.parent):
        d.chmod(0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    return StoredFile(name, ctype, len(data), hashlib.sha256(data).hexdigest())


def withheld(path: Path, content_type: str) -> str | None:
    """Why a stored evidence file is not handed back, or None: it acts when opened
    (:mod:`lantu.store.active`) — stored before such files were refused at upload."""
    return active_problem(path.read_bytes(), content_type)


def stored_path(home: Path, stored_name: str) -> Path:
    """Path of a stored file; refuses names that are not ours (no path tricks)."""
    if not stored_name or "/" in stored_name or "\\" in stored_name or stored_name.startswith("."):
        raise ValidationError(f"bad stored file name {stored_name!r}", field="file")
    return upload_dir(home) / stored_name[:2] / stored_name
