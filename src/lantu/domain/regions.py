"""Regions (GB/T 2260 administrative divisions) and named groups of regions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lantu.domain.errors import ValidationError

LEVELS = ("country", "province", "city", "county", "zone")
# GB/T 2260 codes are six digits whose first two are a province (11–82); 000000 is the whole
# country (100000, as some statistical tables write it, is accepted too). Planning zones that are
# not administrative divisions (such as 太忻一体化经济区) get a code of the same length: "Z", the
# two-digit province code and a serial.
#: The shape of a region code (a regular expression without anchors), for schemas that state it;
#: :func:`check_region_code` is the whole check (it also checks the province part).
REGION_CODE_PATTERN = r"\d{6}|Z\d{5}"
_CODE = re.compile(rf"^({REGION_CODE_PATTERN})$")
_GROUP_CODE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")


def check_region_code(code: object, *, field_name: str = "region_code") -> str:
    """The one check of a region code: return it as a 6-character string or raise naming the field.

    Parameters
    ----------
    code : object
        ``"140100"`` (太原市), ``140100`` or ``140100.0`` as read from a spreadsheet, or a zone
        code such as ``"Z14001"``.
    field_name : str
        Named in the error.

    Raises
    ------
    ValidationError
        Not six digits (or a zone code), or a province part outside 11–82.

    Examples
    --------
    >>> check_region_code(" 140100 ")
    '140100'
    >>> check_region_code("990100")
    Traceback (most recent call last):
    ...
    lantu.errors.ValidationError: region_code: region code '990100': province part 99 is not a GB/T 2260 province (11–82)
    """
    text = str(code).strip()
    if text.endswith(".0"):
        text = text[:-2]
    if not _CODE.fullmatch(text):
        raise ValidationError(f"region code {code!r}: not a 6-digit GB/T 2260 code (or a zone code "
                              "such as Z14001)", field=field_name)
    if text[0] != "Z" and text not in ("000000", "100000") and not 11 <= int(text[:2]) <= 82:
        raise ValidationError(f"region code {code!r}: province part {text[:2]} is not a GB/T 2260 "
                              "province (11–82)", field=field_name)
    return text


@dataclass(frozen=True, slots=True)
class Region:
    code: str
    name_zh: str
    name_en: str = ""
    level: str = "city"
    parent: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "code", check_region_code(self.code, field_name="code"))
        if self.level not in LEVELS:
            raise ValidationError(f"level must be one of {LEVELS}, got {self.level!r}", field="level")
        if not self.name_zh:
            raise ValidationError("a region needs a Chinese name", field="name_zh")
        if self.parent is not None:
            object.__setattr__(self, "parent", check_region_code(self.parent, field_name="parent"))


@dataclass(frozen=True, slots=True)
class RegionGroup:
    code: str
    name_zh: str
    name_en: str = ""
    members: tuple[str, ...] = field(default_factory=tuple)
    note: str = ""

    def __post_init__(self) -> None:
        if not _GROUP_CODE.fullmatch(str(self.code)):
            raise ValidationError(f"{self.code!r}: a group code is 2–40 lower-case letters, digits "
                                  "or _ starting with a letter (e.g. central_capitals)", field="code")
        if not str(self.name_zh).strip():
            raise ValidationError("a region group needs a name", field="name")
        members = tuple(check_region_code(m, field_name="members") for m in self.members)
        if not members:
            raise ValidationError("a region group needs at least one member region", field="members")
        dup = sorted({m for m in members if members.count(m) > 1})
        if dup:
            raise ValidationError(f"region(s) listed twice: {', '.join(dup)}", field="members")
        object.__setattr__(self, "members", members)
