"""THE rule by which Lantu reads the bytes of a text a user brings (:func:`decode_text`): a CSV
table, a text for review, a plan, a YAML file, evidence. It lives here, below every layer that
reads such bytes — the readers of :mod:`lantu.ingest` (re-exported by
:mod:`lantu.ingest.textio`) and the evidence store (:mod:`lantu.store.files`) — so the upload of
evidence and the text review accept and refuse the same bytes with the same words.
"""

from __future__ import annotations

import codecs
import re

from lantu.errors import LantuError

__all__ = ["Undecodable", "decode_text"]


class Undecodable(LantuError, ValueError):
    """Bytes that :func:`decode_text` will not read as text: ``reason`` says why and what to do,
    ``line`` where it went wrong (when known); ``damaged_utf8``: the bytes are UTF-8 that was
    cut or damaged (no other encoding should be guessed at)."""

    def __init__(self, reason: str, line: int | None = None, *, damaged_utf8: bool = False,
                 markless_utf16: bool = False):
        super().__init__(reason)
        self.reason, self.line, self.damaged_utf8 = reason, line, damaged_utf8
        #: UTF-16 text that lost its byte-order mark (:func:`_utf16_without_mark`)
        self.markless_utf16 = markless_utf16


#: Declared charsets believed over the bytes: those the bytes alone cannot tell from GBK.
#: (UTF-8, the GB family, ASCII and Latin-1 are decided by the bytes, as without a
#: declaration: pages often declare one of them wrongly.)
_GUESSED_BY_BYTES = frozenset({"utf-8", "gbk", "gb2312", "gb18030", "ascii", "latin-1",
                               "iso8859-1", "cp1252"})


#: NUL bytes in the first 4 KiB that still leave a file text: a NUL or two (a damaged export,
#: a tool's padding) is a control character of its cell, refused by row and column as any other
#: (probe14: one NUL in a value made the whole file "binary", naming no row); a binary file
#: (a spreadsheet of the old format, an image) holds hundreds, UTF-16 every other byte.
_STRAY_NULS = 3


def decode_text(data: bytes, *, declared: str | None = None) -> tuple[str, str]:
    """THE rule by which Lantu reads the bytes of a text a user brings — a CSV table
    (:func:`lantu.ingest.tables.read_raw`, the import's fast lane) and a text for review or a
    plan (:func:`decode_bytes`): UTF-16 with its byte-order mark (Excel's "Unicode text",
    Notepad's "Unicode"), UTF-8 with or without its mark, else GBK (GB18030); UTF-8 that is
    cut or damaged is refused as such, not read as GBK. ``declared``: the charset the text
    names for itself (an HTML page's ``<meta charset>``), believed when it is one the bytes
    cannot tell (Big5, Shift-JIS, …) and the bytes decode in it.

    Returns the text and ``"utf-16"``, ``"utf-8"``, ``"gbk"`` or the declared codec's name.

    Raises
    ------
    Undecodable
        Empty, binary, damaged UTF-8, or neither UTF-8 nor GBK.
    """
    if not data.strip():
        raise Undecodable("the file is empty")
    if data[:4] in (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"):  # UTF-32's mark, before
        try:  # UTF-16's (FF FE begins both): read as UTF-16 it was a column of NULs (probe16)
            return data.decode("utf-32"), "utf-32"
        except UnicodeDecodeError as exc:
            raise Undecodable(f"the file starts like UTF-32 text but cannot be decoded as "
                              f"UTF-32 at byte {exc.start + 5}; save it again as UTF-8") from None
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # Excel's "Unicode text" is UTF-16
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:  # the line named, as damaged UTF-8's is (probe25)
            line = None if len(data) % 2 else \
                data[:exc.start - exc.start % 2].decode("utf-16", "replace").count("\n") + 1
            raise Undecodable(_bad_utf16(data, exc.start, line), line) from None
    if declared and not data.startswith(b"\xef\xbb\xbf"):
        try:
            codec = codecs.lookup(declared).name
        except LookupError:
            codec = ""
        if codec and codec not in _GUESSED_BY_BYTES:
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                pass  # the declaration is wrong: the bytes decide
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")):
        # a workbook or Word document given where a text is read (`lantu plan load` of the task
        # table `plan parse -f xlsx` wrote): "line 21 holds 11 zero bytes … damaged" (probe22)
        raise Undecodable("the file is binary: an Office document or a ZIP archive (.xlsx, .docx, "
                          ".xls, …), not a text file")
    if data[:4096].count(0) > _STRAY_NULS:  # a stray NUL in a text is named where it stands
        if (run := data.find(_NUL_RUN)) >= 0:  # no text holds eight zero bytes in a row (UTF-16
            # has at most one per character): a copy cut short and padded, a disk error (probe18:
            # a table ending in 4 KiB of zeros was "UTF-16 without a byte-order mark")
            line = data.count(b"\n", 0, run) + 1
            zeros = len(data[run:]) - len(data[run:].lstrip(b"\0"))
            raise Undecodable(f"line {line} holds {zeros:,} zero bytes (NUL) in a row: the file is "
                              "damaged (a copy cut short, a disk error) or not a text file; save "
                              "it again from the program that made it", line)
        if _utf16_without_mark(data):
            raise Undecodable(_UTF16_WITHOUT_MARK, markless_utf16=True)
        raise Undecodable("the file is binary, not a CSV text table")
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        if _utf16_without_mark(data):  # Chinese in UTF-16 has no zero byte: not UTF-8 either
            raise Undecodable(_UTF16_WITHOUT_MARK, markless_utf16=True) from None
        bom = data.startswith(b"\xef\xbb\xbf")
        start, end = exc.start + 3 * bom, exc.end + 3 * bom  # the codec counts after the BOM
        line = data.count(b"\n", 0, start) + 1
        # a byte-order mark says UTF-8 outright (GBK has none): then it is damaged UTF-8 too
        if bom or _looks_utf8(data, exc):
            raise Undecodable(_bad_utf8(data, start, end, line), line,
                              damaged_utf8=True) from None
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    else:
        if (mixed := _utf8_line(data)) is not None:
            raise Undecodable(f"the file mixes encodings: it is GBK, but line {mixed} is UTF-8 "
                              f"(read as GBK it would be gibberish); save it again as UTF-8",
                              mixed)
        return text, "gbk"
    # neither: name where UTF-8 reading stopped (a file of UTF-8 and GBK lines mixed, say)
    raise Undecodable(f"cannot decode the text as UTF-8 or GBK: not UTF-8 from line {line} "
                      f"(byte {start + 1}), and not GBK either; save it again as UTF-8", line)


def _bad_utf8(data: bytes, start: int, end: int, line: int) -> str:
    """Where and how UTF-8 text is cut or damaged (``data[start:end]``, the bytes Python's
    decoder stopped at), in Lantu's words — the byte, its value and its line — not the codec's
    message (``invalid start byte``), which no page could show in Chinese: THE wording of such
    bytes, one template each (``rsn.encoding_utf8_*``)."""
    again = "; save it again as UTF-8 (or as GBK)"
    if end >= len(data):
        return (f"the file is UTF-8 text but cut inside a character at its end (byte "
                f"{start + 1} of {len(data)}){again}")
    where = f"the file is UTF-8 text but damaged at line {line} (byte {start + 1})"
    lead = data[start]
    if 0xC2 <= lead <= 0xF4 and end > start:  # a character begun, and a byte that cannot go on
        return (f"{where}: the character begun by 0x{lead:02X} is broken by "
                f"0x{data[end]:02X}{again}")
    return f"{where}: the byte 0x{lead:02X} cannot begin a character{again}"


def _bad_utf16(data: bytes, start: int, line: int | None = None) -> str:
    """Why text that starts with UTF-16's byte-order mark cannot be read as UTF-16, naming the
    byte and its line (not the codec's message)."""
    again = "; save it again as UTF-8 (or as Unicode text)"
    if len(data) % 2:
        return (f"the file starts like UTF-16 text but holds an odd number of bytes "
                f"({len(data)}): it is cut inside a character{again}")
    return (f"the file starts like UTF-16 text but cannot be decoded as UTF-16 at line {line} "
            f"(byte {start + 1}): half of a character pair (a lone surrogate){again}")


#: eight zero bytes in a row: in no text (UTF-16 has at most one per character, UTF-32 three)
_NUL_RUN = b"\0" * 8

_UTF16_WITHOUT_MARK = ("the file looks like UTF-16 text without a byte-order mark; save it "
                       "again as UTF-8 (or as Unicode text, which writes the mark)")


def _readable(ch: str) -> bool:
    """A character of ordinary Chinese or English text: CJK ideographs and punctuation
    (、。《》“”—…), full-width forms (％，), printable ASCII and Latin-1, tab and line ends."""
    c = ord(ch)
    return (0x4E00 <= c <= 0x9FFF or 0x3000 <= c <= 0x303F or 0xFF00 <= c <= 0xFFEF
            or 0x2000 <= c <= 0x206F or 0x20 <= c <= 0x7E or 0xA0 <= c <= 0xFF
            or ch in "\t\r\n")


def _utf16_without_mark(data: bytes) -> bool:
    """Whether the bytes are UTF-16 text that lost its byte-order mark: in ASCII-heavy text
    every other byte is zero; Chinese text has few zero bytes (none at all without ASCII), so
    the first 4 KiB are decoded as UTF-16 in both byte orders and taken for UTF-16 when nine
    characters in ten are CJK, ASCII or their punctuation. (Text in UTF-8 or GBK gives no such
    characters read two bytes at a time: an ASCII pair is asked only of bytes that are not
    UTF-8, a GBK pair reads as Hangul, Yi or a private-use character.)"""
    head = data[:4096]
    head = head[:len(head) - len(head) % 2]
    if len(head) < 4:
        return False
    if max(head[0::2].count(0), head[1::2].count(0)) > len(head) // 4:
        return True
    if 0 not in head and sum(b < 0x80 for b in head) >= 0.95 * len(head):
        # ASCII-heavy text without a zero byte is no UTF-16 (an ASCII character there has
        # one): two ASCII letters read as UTF-16 are a CJK character (``xx`` is U+7878), so a
        # GBK table whose first 4 KiB are codes, years and links was called UTF-16 (probe14).
        # UTF-16 Chinese without ASCII has about half its bytes at 0x80 or above.
        return False
    for codec in ("utf-16-le", "utf-16-be"):
        text = head.decode(codec, "replace")
        if sum(map(_readable, text)) >= 0.9 * len(text):
            return True
    return False


def _utf8_line(data: bytes) -> int | None:
    """The first line of a file judged GBK that is UTF-8 holding Chinese: a GBK file with rows
    pasted in from a UTF-8 one. GBK text is hardly ever valid UTF-8 with two or more three-byte
    characters (a GBK pair is lead 0x81–0xFE, trail 0x40–0xFE; UTF-8 wants E0–EF then two of
    80–BF), so such a line is UTF-8 — read as GBK it became ``澶…`` and was stored (probe16).
    (The other way round, UTF-8 lines then GBK, UTF-8 reading stops at the GBK line and names
    it: :func:`_looks_utf8`.)"""
    for k, line in enumerate(data.split(b"\n"), 1):
        if line.isascii():
            continue
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            continue
        if sum(1 for c in text if "\u3000" <= c <= "\u9fff" or "\uff00" <= c <= "\uffef") >= 2:
            return k
    return None


def _looks_utf8(data: bytes, exc: UnicodeDecodeError) -> bool:
    """Valid UTF-8 up to the error, with Chinese characters before it (and nothing else outside
    ASCII): UTF-8 that was cut or damaged, not GBK. (GBK Chinese may pass as a few two-byte
    UTF-8 characters — Cyrillic, Armenian — but hardly as three-byte Chinese ones.)"""
    before = data[:exc.start].decode("utf-8", "replace")
    wide = [c for c in before if ord(c) > 127]
    cjk = sum(1 for c in wide if "\u3000" <= c <= "\u9fff" or "\uff00" <= c <= "\uffef")
    return bool(wide) and cjk >= 0.9 * len(wide)


#: a part of a path (or of a message) holding undecodable bytes (lone surrogates), whole between
#: the characters no GBK byte can be (``/``, blanks, ``:``, quotes, commas, brackets — all below
#: 0x40): a GBK pair may read as a UTF-8 character (``太`` is 0xCC 0xAB, U+032B) or hold an ASCII
#: second byte (``丂`` is 0x81 0x40), so the part is read again as a whole
_UNDECODED_RUN = re.compile(r"[^/\s:'\",()]*[\udc80-\udcff][^/\s:'\",()]*")


def _part_as_gbk(part: str) -> str:
    raw = part.encode("utf-8", "surrogateescape")
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return raw.decode("utf-8", "backslashreplace")


def name_text(name: str) -> str:
    """A file's name — or a message holding one — as text a database can store and a person
    can read. A name whose bytes are not UTF-8 — a GBK name unpacked from an archive made on
    Chinese Windows — reaches Python with those bytes as lone surrogates (``\\udcb5``), which no
    database stores: every row of such a file was refused, and the import batch could not be
    written (probe14); a refusal before the file was read showed them as ``\\udcb5\\udcd8``
    (probe16). Each run of such bytes is read as GBK (GB18030), or where it is not that
    either, written as ``\\xNN``; the rest of the text (UTF-8 read well) is left as it is.
    Asked where a name is stored — an observation's source file
    (:func:`lantu.ingest.tables._source_name`), an import batch's file
    (:func:`lantu.store.repo.new_batch`) — and where the command line shows an error
    (:func:`lantu.cli.common.say_error`, :func:`lantu.cli.common.input_file`).

    >>> name_text("h3\\udcb5\\udcd8.csv"), name_text("太原.csv")
    ('h3地.csv', '太原.csv')
    >>> name_text("/tmp/数据/h2\\udcb5\\udcd8.csv: the file is empty")
    '/tmp/数据/h2地.csv: the file is empty'
    >>> name_text("/tmp/太原统计.csv".encode("gbk").decode("utf-8", "surrogateescape"))
    '/tmp/太原统计.csv'
    """
    if not any("\udc80" <= ch <= "\udcff" for ch in name):
        return name
    return _UNDECODED_RUN.sub(lambda m: _part_as_gbk(m.group()), name)


#: what would break a message's line or reorder it when a file's name holds it: C0 and C1
#: controls (a newline, an escape), the line and paragraph separators, the bidi controls
_NAME_BREAKS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u061c\u200e\u200f"
                          "\u202a-\u202e\u2066-\u2069]")


def shown_name(name: str) -> str:
    r"""A file's name as a message says it — the one rule of every message that names a file
    (a refusal and its problems, the command line's summaries): :func:`name_text`, and each
    character that would split the message's line or reorder it (a newline, a control
    character, U+2028, a bidi control) written as its escape, so that a name with a newline
    is one line, as it is one name (left12).

    >>> print(shown_name("bad\nname.csv"), shown_name("a\u202ecsv.exe"), shown_name("太原.csv"))
    bad\nname.csv a\u202ecsv.exe 太原.csv
    """
    return _NAME_BREAKS.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"),
                            name_text(name))
