"""Indicator frameworks: trees of aggregates over indicators, with weights, any depth."""

from __future__ import annotations

from dataclasses import dataclass, field

from lantu.domain.errors import ValidationError


@dataclass(frozen=True, slots=True)
class FrameworkNode:
    code: str
    parent: str | None
    weight: float = 1.0
    name_zh: str = ""
    name_en: str = ""
    is_indicator: bool = False


@dataclass(slots=True)
class Framework:
    code: str
    name_zh: str
    name_en: str = ""
    nodes: list[FrameworkNode] = field(default_factory=list)

    def validate(self) -> None:
        """One root, no cycles, no orphans, positive weight sum under each parent."""
        codes = [n.code for n in self.nodes]
        dup = {c for c in codes if codes.count(c) > 1}
        if dup:
            raise ValidationError(f"framework {self.code}: codes appear twice: {sorted(dup)}",
                                  field="code")
        by_code = {n.code: n for n in self.nodes}
        roots = [n for n in self.nodes if n.parent in (None, "")]
        if len(roots) != 1:
            raise ValidationError(
                f"framework {self.code}: needs exactly one root, found {[r.code for r in roots]}",
                field="parent")
        for n in self.nodes:
            if n.parent and n.parent not in by_code:
                raise ValidationError(f"framework {self.code}: {n.code} has unknown parent {n.parent}",
                                      field="parent")
            seen, cur = set(), n
            while cur.parent:
                if cur.code in seen:
                    raise ValidationError(f"framework {self.code}: cycle through {n.code}",
                                          field="parent")
                seen.add(cur.code)
                cur = by_code[cur.parent]
        for parent in {n.parent for n in self.nodes if n.parent}:
            total = sum(n.weight for n in self.nodes if n.parent == parent)
            if total <= 0:
                raise ValidationError(
                    f"framework {self.code}: weights under {parent} sum to {total}", field="weight")
        for n in self.nodes:
            if not n.is_indicator and not any(c.parent == n.code for c in self.nodes):
                raise ValidationError(f"framework {self.code}: aggregate {n.code} has no children",
                                      field="parent")

    def depth(self) -> dict[str, int]:
        by_code = {n.code: n for n in self.nodes}
        out = {}
        for n in self.nodes:
            d, cur = 0, n
            while cur.parent:
                d += 1
                cur = by_code[cur.parent]
            out[n.code] = d
        return out
