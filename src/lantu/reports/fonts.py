"""CJK fonts for documents and charts: which face plays which role of GB/T 9704, and what was used.

GB/T 9704-2012 (党政机关公文格式) names the faces of an official document: the title in 小标宋,
the body in 仿宋 (仿宋_GB2312), first-level headings in 黑体, second-level headings in 楷体, page
numbers in 宋体. Offices have these faces (Windows, 方正); a Linux server usually has only Noto CJK
(Debian ``fonts-noto-cjk``). :func:`find_fonts` picks, for each role, the first installed face of a
preference list and records the fallbacks, so that the document can say which faces it used.

Examples
--------
>>> fs = FontSet.standard()
>>> fs.body.name
'仿宋_GB2312'
>>> fs.fallbacks()
[]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

#: Debian package to install when no CJK face is present.
CJK_PACKAGE = "fonts-noto-cjk"

#: Role → (face named by GB/T 9704, installed faces to try in order). The first entry is the
#: standard face itself; the rest are acceptable substitutes, closest look first.
ROLE_CANDIDATES: dict[str, tuple[str, tuple[str, ...]]] = {
    "title": ("方正小标宋简体", (
        "方正小标宋简体", "FZXiaoBiaoSong-B05S", "方正小标宋_GBK", "FZXiaoBiaoSong-B05",
        "华文中宋", "STZhongsong", "Source Han Serif SC", "Source Han Serif CN",
        "Noto Serif CJK SC", "宋体", "SimSun", "AR PL UMing CN", "Noto Sans CJK SC",
        "Source Han Sans SC", "WenQuanYi Zen Hei", "Droid Sans Fallback")),
    "body": ("仿宋_GB2312", (
        "仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong", "华文仿宋", "STFangsong",
        "Noto Serif CJK SC", "Source Han Serif SC", "Source Han Serif CN", "AR PL UMing CN",
        "宋体", "SimSun", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei",
        "WenQuanYi Micro Hei", "Droid Sans Fallback")),
    "heading1": ("黑体", (
        "黑体", "SimHei", "方正黑体_GBK", "FZHei-B01S", "Noto Sans CJK SC", "Source Han Sans SC",
        "Source Han Sans CN", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Droid Sans Fallback",
        "Noto Serif CJK SC")),
    "heading2": ("楷体_GB2312", (
        "楷体_GB2312", "KaiTi_GB2312", "楷体", "KaiTi", "华文楷体", "STKaiti", "AR PL UKai CN",
        "LXGW WenKai", "Noto Serif CJK SC", "Source Han Serif SC", "AR PL UMing CN",
        "Noto Sans CJK SC", "WenQuanYi Zen Hei", "Droid Sans Fallback")),
    "page_number": ("宋体", (
        "宋体", "SimSun", "Noto Serif CJK SC", "Source Han Serif SC", "AR PL UMing CN",
        "Noto Sans CJK SC", "WenQuanYi Zen Hei", "Droid Sans Fallback")),
}

#: Latin letters and digits: Times New Roman, or a metric-compatible substitute.
LATIN_CANDIDATES = ("Times New Roman", "Liberation Serif", "TeX Gyre Termes", "DejaVu Serif")

ROLE_LABELS = {"title": "标题（小标宋）", "body": "正文（仿宋）", "heading1": "一级标题（黑体）",
               "heading2": "二级标题（楷体）", "page_number": "页码（宋体）"}

#: Faces that contain CJK glyphs among the candidates (Latin ones never qualify for a CJK role).
CHART_CANDIDATES = ("Noto Sans CJK SC", "Source Han Sans SC", "SimHei", "黑体", "Microsoft YaHei",
                    "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Noto Serif CJK SC",
                    "Source Han Serif SC", "AR PL UMing CN", "Droid Sans Fallback", "SimSun")


@dataclass(frozen=True)
class Face:
    """One role's face: ``name`` is written into the document; ``wanted`` is what GB/T 9704 asks."""

    role: str
    name: str
    wanted: str
    installed: bool = True

    @property
    def is_fallback(self) -> bool:
        return self.name != self.wanted


@dataclass(frozen=True)
class FontSet:
    """The faces of a document by role, the Latin face, and the face for charts.

    ``chart_file`` is the font file matplotlib renders chart text with; ``None`` means no CJK face
    is installed: charts are left out and the document carries a note saying so.
    """

    title: Face
    body: Face
    heading1: Face
    heading2: Face
    page_number: Face
    latin: str = "Times New Roman"
    chart_family: str | None = None
    chart_file: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def has_cjk(self) -> bool:
        return self.chart_file is not None

    def faces(self) -> list[Face]:
        return [self.title, self.body, self.heading1, self.heading2, self.page_number]

    def fallbacks(self) -> list[Face]:
        """Roles whose face is not the one GB/T 9704 names."""
        return [f for f in self.faces() if f.is_fallback]

    def describe(self) -> str:
        """One line a person reads: ``标题（小标宋）：Noto Serif CJK SC（代替方正小标宋简体）；…``."""
        parts = []
        for f in self.faces():
            shown = f.name if f.installed else f"{f.name}（本机未安装）"
            parts.append(f"{ROLE_LABELS[f.role]}：{shown}"
                         + (f"（代替{f.wanted}）" if f.is_fallback else ""))
        parts.append(f"数字和字母：{self.latin}")
        return "；".join(parts)

    @classmethod
    def standard(cls) -> FontSet:
        """The faces GB/T 9704 names, whatever is installed (for documents edited in an office)."""
        faces = {role: Face(role, wanted, wanted, installed=wanted in installed_families())
                 for role, (wanted, _) in ROLE_CANDIDATES.items()}
        chart = _chart_face()
        return cls(**faces, latin="Times New Roman", chart_family=chart[0] if chart else None,
                   chart_file=chart[1] if chart else None)


@lru_cache(maxsize=1)
def _font_files() -> dict[str, str]:
    """Installed family name → a regular-weight font file, as matplotlib's font manager sees them."""
    from matplotlib import font_manager

    manager = font_manager.fontManager
    if not any(entry.name in CHART_CANDIDATES for entry in manager.ttflist):
        # matplotlib caches its font list (~/.cache/matplotlib): fonts installed after the cache
        # was written (e.g. fonts-noto-cjk by `make system-deps`) are unseen until it is rebuilt.
        # Add the system's font files it does not know, once per process.
        known = {entry.fname for entry in manager.ttflist}
        for path in font_manager.findSystemFonts():
            if path not in known:
                try:
                    manager.addfont(path)
                except (OSError, RuntimeError, ValueError):  # a file FreeType cannot read
                    continue
    files: dict[str, str] = {}
    for entry in manager.ttflist:
        if entry.name not in files or entry.weight in (400, "normal", "regular"):
            files[entry.name] = entry.fname
    return files


def installed_families() -> frozenset[str]:
    """Family names of the installed fonts (via ``matplotlib.font_manager``)."""
    return frozenset(_font_files())


def _chart_face(families: frozenset[str] | None = None) -> tuple[str, str] | None:
    fams = installed_families() if families is None else families
    for name in CHART_CANDIDATES:
        if name in fams:
            return name, _font_files().get(name, "")
    return None


def find_fonts(families: frozenset[str] | set[str] | None = None) -> FontSet:
    """Pick a face for each role from the installed families (or the ``families`` given).

    Parameters
    ----------
    families
        Family names to choose from; default: what matplotlib's font manager finds installed.

    Returns
    -------
    FontSet
        With ``has_cjk`` false when none of the candidate CJK faces is installed; then every role
        keeps its GB/T 9704 name (a machine that has it will show it) and ``notes`` says which
        package to install.

    Examples
    --------
    >>> fs = find_fonts({"Noto Serif CJK SC", "Noto Sans CJK SC"})
    >>> fs.body.name, fs.heading1.name
    ('Noto Serif CJK SC', 'Noto Sans CJK SC')
    """
    fams = installed_families() if families is None else frozenset(families)
    faces: dict[str, Face] = {}
    missing_cjk = True
    for role, (wanted, candidates) in ROLE_CANDIDATES.items():
        name = next((c for c in candidates if c in fams), None)
        if name is not None:
            missing_cjk = False
            faces[role] = Face(role, name, wanted)
        else:
            faces[role] = Face(role, wanted, wanted, installed=False)
    latin = next((c for c in LATIN_CANDIDATES if c in fams), LATIN_CANDIDATES[0])
    chart = None if missing_cjk else _chart_face(fams)
    notes: list[str] = []
    if missing_cjk or chart is None or not chart[1]:
        notes.append(no_cjk_message())
        chart = None
    return FontSet(**faces, latin=latin, chart_family=chart[0] if chart else None,
                   chart_file=chart[1] if chart else None, notes=tuple(notes))


def no_cjk_message(lang: str = "zh") -> str:
    """What a machine without CJK fonts means for a document: in Chinese for the documents (and
    the notes of a :class:`FontSet`), in English for the command line's reader beside it."""
    if lang == "en":
        return (f"No CJK font is installed: charts were left out; install {CJK_PACKAGE} "
                f"(Debian) and build the report again.")
    return (f"本机未安装中文字体，图表未能生成，文档字体按 GB/T 9704 名称写入、在本机可能无法正常显示。"
            f"请安装中文字体（Debian/Ubuntu：apt-get install {CJK_PACKAGE}）后重新生成。")
