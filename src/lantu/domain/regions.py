"""Regions (GB/T 2260 administrative divisions) and named groups of regions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lantu.domain.errors import ValidationError

LEVELS = ("country", "province", "city", "county", "zone")
# GB/T 2260 codes are six digits. Planning zones that are not administrative divisions (such as
# 太忻一体化经济区) get a code of the same length: "Z", the two-digit province code and a serial.
_CODE = re.compile(r"^(\d{6}|Z\d{5})$")


def check_region_code(code: object, *, field_name: str = "region_code") -> str:
    """Return the code as a 6-digit string or raise naming the field."""
    text = str(code).strip()
    if text.endswith(".0"):
        text = text[:-2]
    if not _CODE.match(text):
        raise ValidationError(f"{code!r} is not a 6-digit GB/T 2260 code (or a zone code "
                              "such as Z14001)", field=field_name)
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
        object.__setattr__(self, "members", tuple(check_region_code(m, field_name="members")
                                                  for m in self.members))
