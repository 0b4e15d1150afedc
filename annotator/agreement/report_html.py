"""HTML, SVG and CSV rendering of an :class:`~annotator.agreement.report.AgreementReport`.

The ``figure_*`` functions return plain :class:`matplotlib.figure.Figure` objects built
without pyplot, so nothing touches a global backend: the Qt dashboard puts them in a
``FigureCanvasQTAgg`` and :func:`write_report` saves them as SVG. matplotlib is needed
only by this module; the rest of the package works without it.
"""

from __future__ import annotations

import csv
import html
import math
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
from matplotlib.colors import LogNorm
from matplotlib.figure import Figure

from annotator.agreement.report import AgreementReport

HTML_ROWS = 200  # longer tables are cut in the page; the CSV files keep every row


def _fmt(x: Any) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    if isinstance(x, float):
        return f"{x:.3f}"
    return str(x)


# --------------------------------------------------------------------------- figures


def figure_label_f1(report: AgreementReport) -> Figure:
    """Bar chart of F1 (exact and overlap, pooled over pairs) per label."""
    names = list(report.labels)
    fig = Figure(figsize=(max(5.0, 0.7 * len(names) + 2), 3.6), layout="constrained")
    ax = fig.add_subplot()
    x = np.arange(len(names))
    exact = [report.labels[n].exact.f for n in names]
    overlap = [report.labels[n].overlap.f for n in names]
    ax.bar(x - 0.2, exact, 0.4, label="exact")
    ax.bar(x + 0.2, overlap, 0.4, label="overlap")
    ax.set_xticks(x, names, rotation=45 if len(names) > 6 else 0, ha="right")
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("F1")
    ax.set_title("Span F1 per label (all annotator pairs)")
    ax.legend(loc="lower right")
    ax.grid(axis="y", alpha=0.3)
    return fig


def figure_confusion(report: AgreementReport, a: str, b: str, layer: str | None = None) -> Figure:
    """Token-level label confusion of annotator ``a`` (rows) against ``b`` (columns)."""
    names, m = report.confusion(a, b, layer)
    size = max(3.5, 0.55 * len(names) + 2)
    fig = Figure(figsize=(size + 1, size), layout="constrained")
    ax = fig.add_subplot()
    # "O" dwarfs every other cell; a log scale keeps the label cells readable
    shown = np.where(m > 0, m, np.nan).astype(float)
    vmax = max(float(np.nanmax(shown)) if np.isfinite(shown).any() else 1.0, 1.0)
    im = ax.imshow(shown, cmap="Blues", norm=LogNorm(vmin=1, vmax=max(vmax, 2.0)))
    for (i, j), v in np.ndenumerate(m):
        if v:
            dark = math.log(v + 1) > 0.6 * math.log(vmax + 1)
            ax.text(
                j,
                i,
                str(v),
                ha="center",
                va="center",
                fontsize=8,
                color="white" if dark else "black",
            )
    ax.set_xticks(range(len(names)), names, rotation=45, ha="right")
    ax.set_yticks(range(len(names)), names)
    ax.set_xlabel(b)
    ax.set_ylabel(a)
    ax.set_title(f"Token labels: {a} vs {b}" + (f" ({layer})" if layer else ""))
    fig.colorbar(im, ax=ax, shrink=0.8, label="tokens")
    return fig


def figure_per_document(report: AgreementReport) -> Figure:
    """Per-document agreement, documents sorted from most to least disagreement."""
    docs = report.documents_by_disagreement()
    fig = Figure(figsize=(7.0, 3.6), layout="constrained")
    ax = fig.add_subplot()
    x = np.arange(len(docs))
    ax.plot(x, [d.f1_overlap for d in docs], label="span F1 (overlap)")
    ax.plot(x, [d.f1_exact for d in docs], label="span F1 (exact)")
    ax.plot(x, [d.token_agreement for d in docs], label="tokens all agree", alpha=0.7)
    ax.set_ylim(0, 1.05)
    ax.set_xlabel("documents, most disagreement first")
    ax.set_ylabel("agreement")
    ax.set_title(f"Agreement per document ({len(docs)} documents)")
    ax.legend(loc="lower right")
    ax.grid(alpha=0.3)
    return fig


# --------------------------------------------------------------------------- tables


def _tables(report: AgreementReport) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """Every table of the report as (header, rows); the page and the CSV files share them."""
    out: dict[str, tuple[list[str], list[list[Any]]]] = {}
    overall: list[list[Any]] = [
        ["documents", len(report.documents)],
        ["annotators", ", ".join(report.annotators)],
        ["fleiss_kappa", report.fleiss_kappa],
        ["krippendorff_alpha", report.krippendorff_alpha],
        ["unitizing_alpha", report.unitizing_alpha],
        ["disagreements", report.disagreement_count],
    ]
    out["overall"] = (["figure", "value"], overall)
    layer_keys = [
        "f1_exact",
        "f1_overlap",
        "cohen_kappa",
        "fleiss_kappa",
        "krippendorff_alpha",
        "unitizing_alpha",
    ]
    out["layers"] = (
        ["layer", *layer_keys],
        [[lay, *(figs[k] for k in layer_keys)] for lay, figs in report.by_layer.items()],
    )
    out["pairs"] = (
        [
            "a",
            "b",
            "layer",
            "f1_exact",
            "f1_overlap",
            "cohen_kappa",
            "tp_exact",
            "fp_exact",
            "fn_exact",
            "tp_overlap",
            "fp_overlap",
            "fn_overlap",
        ],
        [
            [
                p.a,
                p.b,
                p.layer,
                p.exact.f,
                p.overlap.f,
                p.cohen_kappa,
                p.exact.tp,
                p.exact.fp,
                p.exact.fn,
                p.overlap.tp,
                p.overlap.fp,
                p.overlap.fn,
            ]
            for p in report.pairs
        ],
    )
    out["labels"] = (
        [
            "label",
            "layer",
            *(f"n_{a}" for a in report.annotators),
            "f1_exact",
            "f1_overlap",
            "cohen_kappa",
            "krippendorff_alpha",
            "unitizing_alpha",
        ],
        [
            [
                lab.label,
                lab.layer,
                *(lab.counts[a] for a in report.annotators),
                lab.exact.f,
                lab.overlap.f,
                lab.cohen_kappa,
                lab.krippendorff_alpha,
                lab.unitizing_alpha,
            ]
            for lab in report.labels.values()
        ],
    )
    out["per_document"] = (
        ["document", "f1_exact", "f1_overlap", "cohen_kappa", "token_agreement", "disagreements"],
        [
            [
                d.doc_id,
                d.f1_exact,
                d.f1_overlap,
                d.cohen_kappa,
                d.token_agreement,
                d.disagreements,
            ]
            for d in report.documents_by_disagreement()
        ],
    )
    for name, items in (("speakers", report.speakers), ("kinds", report.kinds)):
        out[name] = (
            ["a", "b", "matched_quotes", "compared", "agree", "rate"],
            [[x.a, x.b, x.matched_quotes, x.compared, x.agree, x.rate] for x in items],
        )
    return out


def _write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for row in rows:
            w.writerow(["" if x is None else x for x in row])


def _html_table(
    header: Sequence[str], rows: Sequence[Sequence[Any]], total: int | None = None
) -> str:
    total = len(rows) if total is None else total
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in header)
    body = "\n".join(
        "<tr>" + "".join(f"<td>{html.escape(_fmt(x))}</td>" for x in row) + "</tr>"
        for row in rows[:HTML_ROWS]
    )
    more = (
        f'<p class="note">{total - HTML_ROWS} more rows in the CSV file.</p>'
        if total > HTML_ROWS
        else ""
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>\n{body}\n</tbody></table>{more}"


_CSS = """
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: right; }
th { background: #f2f2f2; } td:first-child, th:first-child { text-align: left; }
img { max-width: 100%; margin: 0.5em 0 1.5em; } .note { color: #666; font-size: 0.85em; }
"""


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text) or "_"


def _save_svg(fig: Figure, path: Path) -> None:
    # a fixed hash salt and no date keep the SVG stable, so re-running gives identical files
    with matplotlib.rc_context({"svg.hashsalt": "annotator-agreement"}):
        fig.savefig(path, format="svg", metadata={"Date": None})


def write_report(report: AgreementReport, out_dir: str | Path) -> Path:
    """Write ``index.html``, its SVG charts and one CSV per table into ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tables = _tables(report)
    for name, (header, rows) in tables.items():
        _write_csv(out / f"{name}.csv", header, rows)
    report.write_disagreements_csv(out / "disagreements.csv")

    charts: list[tuple[str, str]] = []
    if report.labels:
        _save_svg(figure_label_f1(report), out / "label_f1.svg")
        charts.append(("Span F1 per label", "label_f1.svg"))
    for i, a in enumerate(report.annotators):
        for b in report.annotators[i + 1 :]:
            name = f"confusion_{_slug(a)}_{_slug(b)}.svg"
            _save_svg(figure_confusion(report, a, b), out / name)
            charts.append((f"Token label confusion: {a} vs {b}", name))
    if report.documents:
        _save_svg(figure_per_document(report), out / "per_document.svg")
        charts.append(("Agreement per document", "per_document.svg"))

    parts = [
        "<!doctype html><html><head><meta charset='utf-8'>",
        "<title>Inter-annotator agreement</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>Inter-annotator agreement</h1>",
        f"<p>{len(report.documents)} documents annotated by "
        f"{html.escape(', '.join(report.annotators))}.</p>",
    ]
    titles = {
        "overall": "Overall",
        "layers": "Per layer",
        "pairs": "Annotator pairs",
        "labels": "Per label",
        "speakers": "Quote speakers (matched quotes)",
        "kinds": "Quote kinds (matched quotes)",
        "per_document": "Documents, most disagreement first",
    }
    for key, title in titles.items():
        header, rows = tables[key]
        parts.append(f"<h2>{html.escape(title)}</h2>")
        parts.append(_html_table(header, rows))
        parts.append(f'<p class="note"><a href="{key}.csv">{key}.csv</a></p>')
    parts.append("<h2>Disagreements</h2>")
    dis_header = ["document", "start", "end", "text", "reason", *report.annotators]
    dis_rows = [
        [d.doc_id, d.start, d.end, d.text, d.reason, *(d.labels.get(a) for a in report.annotators)]
        for d in report.disagreements[:HTML_ROWS]
    ]
    parts.append(_html_table(dis_header, dis_rows, report.disagreement_count))
    parts.append('<p class="note"><a href="disagreements.csv">disagreements.csv</a></p>')
    parts.append("<h2>Charts</h2>")
    for title, src in charts:
        parts.append(f"<h3>{html.escape(title)}</h3><img src='{src}' alt='{html.escape(title)}'>")
    parts.append("</body></html>")
    index = out / "index.html"
    index.write_text("\n".join(parts), encoding="utf-8")
    return index


__all__ = ["figure_confusion", "figure_label_f1", "figure_per_document", "write_report"]
