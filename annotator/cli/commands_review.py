"""``annotator assign`` and ``annotator role``: several annotators on one project."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from annotator.cli.common import DbOption, app, clear_errors, db_from, fail, out
from annotator.core import AnnotatorRole

if TYPE_CHECKING:
    from annotator.agreement.report import AgreementReport


@app.command()
def assign(
    ctx: typer.Context,
    annotators: Annotated[str, typer.Option("--annotators", help="Comma-separated names.")],
    overlap: Annotated[int, typer.Option("--overlap", help="Annotators per document.")] = 1,
    db: DbOption = None,
) -> None:
    """Give each document to N of the annotators; each one's queue then holds only theirs."""
    from annotator.app.assignments import assign as do_assign
    from annotator.app.project import Project

    names = [n.strip() for n in annotators.split(",") if n.strip()]
    with clear_errors(), Project.open(db_from(ctx, db)) as project:
        counts = do_assign(project, names, overlap)
        for name, n in counts.items():
            out.print(f"{name}: {n} documents")


@app.command()
def role(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Annotator name.")],
    new_role: Annotated[str, typer.Argument(metavar="ROLE", help="annotator or reviewer.")],
    db: DbOption = None,
) -> None:
    """Make someone a reviewer (sees everyone's work) or an annotator (sees only theirs)."""
    try:
        wanted = AnnotatorRole(new_role)
    except ValueError:
        fail(f"ROLE must be 'annotator' or 'reviewer', not {new_role!r}.")
        return
    from annotator.app.project import Project

    with clear_errors(), Project.open(db_from(ctx, db)) as project:
        project.ensure_annotator(name)
        project.set_role(name, wanted)
        out.print(f"{name} is now a {wanted}")


@app.command()
def agreement(
    ctx: typer.Context,
    annotators: Annotated[
        str | None,
        typer.Option("--annotators", help="Comma-separated names (default: every human one)."),
    ] = None,
    layer: Annotated[str | None, typer.Option("--layer", help="ents or quotes.")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    report: Annotated[
        Path | None,
        typer.Option("--report", help="Folder for an HTML report with charts, and CSV files."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Agreement between annotators over the documents they all finished."""
    from annotator.app.project import Project
    from annotator.app.review import agreement_report

    if layer is not None and layer not in ("ents", "quotes"):
        fail(f"--layer must be 'ents' or 'quotes', not {layer!r}.")
    names = [n.strip() for n in annotators.split(",") if n.strip()] if annotators else None
    with clear_errors(), Project.open(db_from(ctx, db)) as project:
        result = agreement_report(project, names, layer)
        if report is not None:
            from annotator.agreement.report_html import write_report

            report.mkdir(parents=True, exist_ok=True)
            write_report(result, report)
            result.write_disagreements_csv(report / "disagreements.csv")
        if as_json:
            out.print_json(json.dumps(result.to_json()))
            return
        out.print(
            f"documents finished by all of {', '.join(result.annotators)}: {len(result.documents)}",
            markup=False,
        )
        for line in _figure_lines(result):
            # markup=False: "[ents]" or a name in brackets is text, not a rich style tag
            out.print(line, markup=False)
        out.print(f"disagreements: {len(result.disagreements)}", markup=False)
        if report is not None:
            out.print(f"report: {report / 'index.html'}")


def _fmt(x: float | None) -> str:
    return "n/a" if x is None or x != x else f"{x:.3f}"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], *, left: int) -> list[str]:
    """Plain columns: the first ``left`` columns (names) left-aligned, the figures right."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(row: Sequence[str]) -> str:
        cells = [
            v.ljust(w) if i < left else v.rjust(w)
            for i, (v, w) in enumerate(zip(row, widths, strict=True))
        ]
        return "  " + "  ".join(cells).rstrip()

    return [line(header), *(line(r) for r in rows)]


def _figure_lines(result: AgreementReport) -> list[str]:
    """Every figure on a line that names its layer: pairs, corpus coefficients, attribution.

    Layer "all" pools the entity and quote layers (shown only when there are several);
    "attribution" compares the speaker and the kind of the quotes both people marked.
    """
    several = len(result.by_layer) > 1
    pair_rows = [
        [p.layer, f"{p.a} ~ {p.b}", _fmt(p.exact.f), _fmt(p.overlap.f), _fmt(p.cohen_kappa)]
        for p in result.pairs
        if several or p.layer != "all"
    ]
    lines = ["", "by pair of annotators:"]
    lines += _table(["layer", "pair", "F1 exact", "F1 overlap", "Cohen's kappa"], pair_rows, left=2)
    corpus_rows = [
        [
            lay,
            _fmt(figs.get("fleiss_kappa")),
            _fmt(figs.get("krippendorff_alpha")),
            _fmt(figs.get("unitizing_alpha")),
        ]
        for lay, figs in result.by_layer.items()
    ]
    if several:
        corpus_rows.append(
            [
                "all",
                _fmt(result.fleiss_kappa),
                _fmt(result.krippendorff_alpha),
                _fmt(result.unitizing_alpha),
            ]
        )
    lines += ["", f"all of {', '.join(result.annotators)} together:"]
    lines += _table(
        ["layer", "Fleiss' kappa", "Krippendorff's alpha (tokens)", "unitizing alpha (spans)"],
        corpus_rows,
        left=1,
    )
    if "quotes" in result.by_layer:
        rows = [
            [
                "attribution",
                f"{x.a} ~ {x.b}",
                what,
                str(x.matched_quotes),
                str(x.compared),
                _fmt(x.rate),
            ]
            for what, items in (("speaker", result.speakers), ("quote kind", result.kinds))
            for x in items
        ]
        lines += ["", "quotes both marked: do they agree on the speaker and the kind?"]
        lines += _table(
            ["layer", "pair", "figure", "matched quotes", "compared", "agreement"], rows, left=3
        )
    lines.append("")
    return lines
