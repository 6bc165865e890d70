"""The audit tables of the verdict (docs/analysis.md, "Audit of the verdict"): every status a
verdict shows, one row per target in force, with the figure used, the target, the status and the
rule that gave it — and the node statuses built from them.

The tables in the docs are generated from :func:`lantu.evaluation.evaluate` on the embedded
default (``scripts/verdict_audit_table.py``) and checked against it by
``tests/test_verdict_audit_doc.py``, so they cannot go stale silently. The rows are read from the
verdict; the *rule* column names which documented rule of :mod:`lantu.analysis.targets` applied
(its words are the docs', no status is computed here).
"""

from __future__ import annotations

import re
from collections import OrderedDict

from lantu.domain.observations import bound_of, bound_sign
from lantu.evaluation.verdict import IndicatorVerdict, TargetInForce, Verdict

INDICATOR_HEADER = ("year", "indicator", "figure (value, period, quality)",
                    "target (value qualifier, year, kind)", "status", "rule", "nodes")
NODE_HEADER = ("year", "node", "status", "targets counted")


def _num(x: float | None) -> str:
    if x is None:
        return "—"
    return f"{x:.4f}".rstrip("0").rstrip(".")


def _figure(iv: IndicatorVerdict) -> str:
    if iv.value is None:
        return "—"
    # a figure stated only as a bound is audited as one (≥5000: "迈上5000亿元台阶")
    return f"{bound_sign(bound_of(iv.flags))}{_num(iv.value)} ({iv.period}, {iv.quality or 'none'})"


def _target(t: TargetInForce, unit: str) -> str:
    v = _num(t.value) + (f"–{_num(t.value_high)}" if t.value_high is not None else "")
    q = f" {t.qualifier}" if t.qualifier else ""
    return f"{v} {unit}{q} ({t.year}, {t.kind})".replace("  ", " ")


def rule_of(t: TargetInForce, year: int) -> str:
    """Which documented rule gave ``t.status`` (docs/analysis.md, "Status rules")."""
    if t.status == "no_data":
        return "no figure of the indicator at all"
    yearly = t.horizon == "yearly"
    if t.status == "pending":
        if yearly or t.year <= year:
            return f"figure of {t.year} missing"
        return "no figure after the plan's base year (a pace needs two)"
    side = {"左右": "左右 ± tolerance", "以上": "at or over", "突破": "at or over",
            "以内": "at or under", "力争": "stretch: exact, never counted"}.get(t.qualifier or "")
    if side is None:
        side = ("low end of the range" if t.value_high is not None else
                {"ceiling": "at or under", "floor": "at or over"}.get(t.kind, "by direction"))
    if yearly or t.year <= year:
        return f"{'yearly' if yearly else 'plan, target year'}: figure of {t.year}, {side}"
    if t.status == "achieved":
        return "plan, interim: level already reached"
    if t.kind == "cumulative_change":
        return "plan, interim: SDG pace of the sum/change since the base"
    return "plan, interim: SDG pace from the base year"


def indicator_rows(v: Verdict) -> list[tuple[str, ...]]:
    """One row per target in force (the indicator's shown target and its others), the nodes that
    show it joined; ordered by indicator, then as the verdict lists the targets."""
    rows: OrderedDict[tuple[str, ...], list[str]] = OrderedDict()
    for n in v.nodes:
        for iv in n.indicators:
            if iv.status is None:
                continue
            for t in ([iv.target] if iv.target else []) + iv.others:
                key = (str(v.year), f"`{iv.indicator}`", _figure(iv), _target(t, iv.unit),
                       f"`{t.status}`", rule_of(t, v.year))
                rows.setdefault(key, []).append(n.code)
    out = [(*k, ", ".join(nodes)) for k, nodes in rows.items()]
    return sorted(out, key=lambda r: (r[0], r[1]))


def node_rows(v: Verdict) -> list[tuple[str, ...]]:
    """Every node whose status rests on targets in force (the others are ``qualitative``)."""
    out: list[tuple[str, ...]] = []
    for n in v.nodes:
        if not n.counted:
            continue
        counts: OrderedDict[str, int] = OrderedDict()
        for _, st in n.counted:
            counts[st] = counts.get(st, 0) + 1
        out.append((str(v.year), n.code, f"`{n.status}`",
                    ", ".join(f"{k} {c}" for k, c in counts.items())))
    return out


def markdown(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def parse_markdown(text: str) -> list[tuple[str, ...]]:
    """The body rows of the first markdown table in ``text`` (the header and rule skipped)."""
    rows = [tuple(c.strip() for c in line.strip().strip("|").split("|"))
            for line in text.splitlines() if line.strip().startswith("|")]
    return [r for r in rows[2:] if not all(re.fullmatch(r"-+:?", c) for c in r)]


def section(text: str, name: str) -> str:
    """The text between ``<!-- NAME:start -->`` and ``<!-- NAME:end -->``."""
    m = re.search(rf"<!-- {name}:start -->(.*?)<!-- {name}:end -->", text, re.S)
    if m is None:
        raise KeyError(name)
    return m.group(1)


def replace_section(text: str, name: str, body: str) -> str:
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    i, j = text.index(start) + len(start), text.index(end)
    return text[:i] + "\n" + body + "\n" + text[j:]
