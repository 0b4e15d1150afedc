"""The reliability chart of a calibration (needs matplotlib, imported only here).

One panel per layer: each group's measured precision per score bucket against the
bucket's mean score (a calibrated score lies on the diagonal), the isotonic fit as a
step line, and below it how many suggestions each bucket holds.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.agreement.calibration import Calibration, GroupCalibration

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def _plot_group(ax: Axes, g: GroupCalibration, colour: str, *, main: bool) -> None:
    xs = [b.mean_confidence for b in g.buckets if b.count]
    ys = [b.precision or 0.0 for b in g.buckets if b.count]
    label = f"{g.name} ({g.count}, error {g.ece:.2f})"
    ax.plot(xs, ys, "o-" if main else ".--", color=colour, lw=2 if main else 1, label=label)
    if main and g.steps:
        step_x = [0.0] + [s.upto for s in g.steps]
        step_y = [g.steps[0].precision] + [s.precision for s in g.steps]
        ax.step(step_x, step_y, where="pre", color=colour, alpha=0.35, lw=4)


def _plot_unscored(
    fig: Figure,
    grid: Any,
    col: int,
    layer: str,
    main: GroupCalibration,
    labels: list[GroupCalibration],
) -> None:
    """A layer whose suggestions carry no score (spaCy's ``ner``): the one figure each
    label can be given is its measured precision."""
    ax = fig.add_subplot(grid[:, col])
    rows = [main, *labels]
    names = [g.name for g in rows]
    values = [g.unscored_precision or 0.0 for g in rows]
    bars = ax.barh(names, values, color=["black", *(["#1f77b4"] * len(labels))])
    for bar, g in zip(bars, rows, strict=True):
        ax.text(
            min(bar.get_width(), 0.9) + 0.01,
            bar.get_y() + bar.get_height() / 2,
            f"{g.unscored_precision or 0.0:.2f} of {g.unscored_count}",
            va="center",
            fontsize=8,
        )
    ax.set_xlim(0, 1.1)
    ax.invert_yaxis()
    ax.set_xlabel("measured precision")
    ax.set_title(f"{layer}: no scores; precision by label")
    ax.grid(alpha=0.3, axis="x")


def figure_reliability(cal: Calibration) -> Figure:
    from matplotlib.figure import Figure

    layers = [name for name in cal.groups if ":" not in name] or ["ents"]
    fig = Figure(figsize=(5.5 * len(layers), 6.2), layout="constrained")
    grid = fig.add_gridspec(2, len(layers), height_ratios=[3, 1])
    palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf"]
    for col, layer in enumerate(layers):
        main = cal.groups.get(layer)
        labels = [g for name, g in cal.groups.items() if name.startswith(f"{layer}:")]
        if main is not None and not main.count:
            _plot_unscored(fig, grid, col, layer, main, labels)
            continue
        ax = fig.add_subplot(grid[0, col])
        hist = fig.add_subplot(grid[1, col], sharex=ax)
        ax.plot([0, 1], [0, 1], color="grey", lw=1, ls=":", label="calibrated")
        if main is not None:
            _plot_group(ax, main, "black", main=True)
            hist.bar(
                [(b.lo + b.hi) / 2 for b in main.buckets],
                [b.count for b in main.buckets],
                width=1 / max(len(main.buckets), 1) * 0.9,
                color="#888888",
            )
        for k, g in enumerate(labels):
            _plot_group(ax, g, palette[k % len(palette)], main=False)
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1.02)
        ax.set_ylabel("measured precision")
        ax.set_title(f"{layer}: score vs. precision ({cal.documents} documents)")
        ax.legend(loc="lower right", fontsize=8)
        ax.grid(alpha=0.3)
        hist.set_xlabel("suggestion score")
        hist.set_ylabel("suggestions")
    return fig


def write_reliability_chart(cal: Calibration, path: Path) -> Path:
    """Save the chart; the format follows the suffix (``.png``, ``.svg``, ``.pdf``)."""
    fig = figure_reliability(cal)
    fig.savefig(path, dpi=110)
    return path
