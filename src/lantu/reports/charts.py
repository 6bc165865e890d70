"""Charts of the reports as PNG images, rendered by matplotlib (Agg) with a CJK face.

No pyplot state is used: each chart is its own :class:`~matplotlib.figure.Figure`; the style is
applied with ``rc_context`` under a lock, so charts drawn from several threads (the web app) do
not interfere.
"""

from __future__ import annotations

import io
import math
import threading
from collections.abc import Mapping, Sequence
from contextlib import contextmanager

from lantu.domain import Period
from lantu.domain.observations import bound_sign
from lantu.reports.data import fmt_number as _num
from lantu.reports.fonts import FontSet

PALETTE = ("#C00000", "#1F4E79", "#548235", "#BF8F00", "#7030A0", "#2E75B6")


#: rc_context changes matplotlib's global settings: one chart at a time (web requests run in
#: threads).
_LOCK = threading.Lock()


@contextmanager
def _style(fonts: FontSet):
    import matplotlib

    if not fonts.has_cjk:
        raise RuntimeError("charts need a CJK font; install fonts-noto-cjk (Debian)")
    with _LOCK, matplotlib.rc_context({
        "font.family": "sans-serif",
        "font.sans-serif": [fonts.chart_family],  # one face: a fallback list slows drawing 3×
        "axes.unicode_minus": False, "axes.spines.top": False, "axes.spines.right": False,
        "axes.titlesize": 10, "axes.labelsize": 9, "xtick.labelsize": 8, "ytick.labelsize": 8,
        "savefig.dpi": 130,
    }):
        yield


def _png(fig) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", facecolor="white")
    return buf.getvalue()


def trend_chart(series: Mapping[str, Mapping[str, float]], names: Mapping[str, tuple[str, str]],
                fonts: FontSet, *, highlight: str | None = None,
                max_panels: int = 6) -> bytes:
    """Small multiples: one panel per indicator, its values over the years.

    Parameters
    ----------
    series
        Indicator code → {period: value}; indicators with fewer than two values are skipped.
    names
        Indicator code → (Chinese name, unit).
    highlight
        A period marked on every panel (the report's period).

    Returns
    -------
    bytes
        A PNG image.
    """
    from matplotlib.figure import Figure

    codes = [c for c in series if len(series[c]) >= 2][:max_panels]
    if not codes:
        raise ValueError("trend_chart: no indicator has two or more values")
    ncol = 3 if len(codes) > 4 else 2 if len(codes) > 1 else 1
    nrow = math.ceil(len(codes) / ncol)
    with _style(fonts):
        fig = Figure(figsize=(7.2, 2.0 * nrow))
        axes = fig.subplots(nrow, ncol, squeeze=False)
        for k, code in enumerate(codes):
            ax = axes[k // ncol][k % ncol]
            pts = sorted(((Period.parse(p), v) for p, v in series[code].items()))
            xs = [p.year if p.kind == "year" else p.year + (p.index - 1) / 12 for p, _ in pts]
            ys = [v for _, v in pts]
            ax.plot(xs, ys, marker="o", color=PALETTE[k % len(PALETTE)], linewidth=1.6)
            for x, y in zip(xs, ys):
                ax.annotate(_num(y), (x, y), textcoords="offset points", xytext=(0, 5),
                            ha="center", fontsize=7)
            if highlight:
                hp = Period.parse(highlight)
                ax.axvline(hp.year, color="#999999", linewidth=0.8, linestyle="--")
            name, unit = names.get(code, (code, ""))
            ax.set_title(f"{name}（{unit}）" if unit else name)
            ax.set_xticks(sorted(set(int(x) for x in xs)))
            ax.margins(y=0.25)
            ax.grid(axis="y", color="#DDDDDD", linewidth=0.6)
        for k in range(len(codes), nrow * ncol):
            axes[k // ncol][k % ncol].set_visible(False)
        # the figure's title is the document's caption below it (公文 style), not a suptitle;
        # fixed spacing instead of tight_layout, which measures every text (a second full draw)
        fig.subplots_adjust(left=0.08, right=0.98, bottom=0.12 / nrow, top=1 - 0.12 / nrow,
                            wspace=0.32, hspace=0.55)
        return _png(fig)


def peer_chart(values: Mapping[str, float | None], member_names: Sequence[str],
               members: Sequence[str], fonts: FontSet, *, title: str, region: str,
               unit: str = "") -> bytes:
    """Horizontal bars of one indicator across a peer group; the region in red, others blue."""
    from matplotlib.figure import Figure

    pairs = [(n, values[m], m == region) for m, n in zip(members, member_names)
             if values.get(m) is not None]
    if len(pairs) < 2:
        raise ValueError("peer_chart: fewer than two members have a value")
    pairs.sort(key=lambda x: x[1])
    with _style(fonts):
        fig = Figure(figsize=(6.4, 0.45 * len(pairs) + 1.0))
        ax = fig.subplots()
        ax.barh([p[0] for p in pairs], [p[1] for p in pairs],
                color=[PALETTE[0] if p[2] else PALETTE[1] for p in pairs], height=0.6)
        for i, p in enumerate(pairs):
            ax.annotate(_num(p[1]), (p[1], i), textcoords="offset points", xytext=(3, -3),
                        fontsize=8)
        ax.set_title(f"{title}（{unit}）" if unit else title)
        ax.margins(x=0.15)
        fig.subplots_adjust(left=0.2, right=0.95, bottom=0.12, top=0.85)
        return _png(fig)


#: a city whose figure is known only as a bound (≥/≤): off the colour scale, pale amber, hatched
BOUND_FACE, BOUND_EDGE = "#F3E3BF", "#B98A35"


def map_chart(data: Mapping, geo: Mapping, fonts: FontSet, *, title: str) -> bytes:
    """A province's cities coloured by one layer (:func:`lantu.evaluation.maps.map_data` on the
    boundaries of :func:`lantu.evaluation.maps.boundaries`): blues by value, grey without one,
    the peer group outlined in red, each city named at its label point."""
    from matplotlib import patheffects
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import LinearSegmentedColormap, Normalize
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch, Polygon

    from lantu.evaluation.maps import label_point

    by_code = {c["region"]: c for c in data["cities"]}
    cmap = LinearSegmentedColormap.from_list("lantu", ["#DBE7F3", "#7AA3CF", "#1A5296"])
    lo, hi = data.get("min"), data.get("max")
    norm = Normalize(vmin=lo if lo is not None else 0, vmax=hi if hi is not None and hi > lo else
                     (lo or 0) + 1)
    with _style(fonts):
        fig = Figure(figsize=(4.6, 6.2))
        ax = fig.add_axes((0.02, 0.12, 0.96, 0.8))
        outlined = []
        by_status = data.get("scale") == "status"
        for f in geo["features"]:
            city = by_code.get(str(f.get("id")), {})
            v = city.get("value")
            bound = None if by_status or v is not None else city.get("bound")
            if by_status:  # the fill of the city's status (lantu.evaluation.maps.status_hex)
                face = city.get("hex") or "#E8E8E8"
            else:  # a figure known only as a bound: off the scale, hatched (as on the page)
                face = BOUND_FACE if bound else "#E8E8E8" if v is None else cmap(norm(v))
            g = f["geometry"]
            polys = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
            for poly in polys:
                ring = poly[0]
                ax.add_patch(Polygon(ring, closed=True, facecolor=face,
                                     edgecolor=BOUND_EDGE if bound else "white",
                                     hatch="////" if bound else None, linewidth=0.8))
                if city.get("outlined"):
                    outlined.append(ring)
            x, y = city.get("label_point") or label_point(f)
            dark = v is not None and norm(v) > 0.6
            label = city.get("name", f["properties"]["name"])
            text = label if v is None else f"{label}\n{_num(v)}"
            if bound:
                text = f"{label}\n{bound_sign(bound)}{_num(city.get('bound_value'))}"
            halo = [patheffects.withStroke(linewidth=2, foreground="white")] if by_status else None
            ax.annotate(text, (x, y), ha="center", va="center", fontsize=7,
                        color="white" if dark else "#1F2933", path_effects=halo)
        for ring in outlined:
            ax.add_patch(Polygon(ring, closed=True, fill=False, edgecolor=PALETTE[0],
                                 linewidth=1.8))
        ax.set_aspect(1 / math.cos(math.radians(37.5)))
        ax.autoscale_view()
        ax.axis("off")
        ax.set_title(title)
        labels = data.get("legend_labels") or {}
        handles = [Patch(facecolor="white", edgecolor=PALETTE[0], linewidth=1.8,
                         label=labels.get("outlined", ""))] if outlined else []
        if by_status:
            handles = [Patch(facecolor=e["hex"], edgecolor="white", label=e["label"])
                       for e in data.get("legend") or []] + handles
            ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.01), ncol=2,
                      fontsize=7, frameon=False)
        elif lo is not None:
            if labels.get("bound"):
                handles.append(Patch(facecolor=BOUND_FACE, edgecolor=BOUND_EDGE, hatch="////",
                                     label=labels["bound"]))
            if handles:
                ax.legend(handles=handles, loc="lower left", fontsize=7, frameon=False)
            cax = fig.add_axes((0.2, 0.05, 0.6, 0.018))
            cb = fig.colorbar(ScalarMappable(norm=norm, cmap=cmap), cax=cax, orientation="horizontal")
            cb.ax.tick_params(labelsize=7)
            if data.get("unit"):
                cb.ax.set_title(data["unit"], fontsize=7)
        return _png(fig)
