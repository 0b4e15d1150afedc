"""``annotator assign`` and ``annotator role``: several annotators on one project."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from annotator.app.project import Project
from annotator.cli.common import DbOption, app, clear_errors, db_from, fail, out
from annotator.core import AnnotatorRole


@app.command()
def assign(
    ctx: typer.Context,
    annotators: Annotated[str, typer.Option("--annotators", help="Comma-separated names.")],
    overlap: Annotated[int, typer.Option("--overlap", help="Annotators per document.")] = 1,
    db: DbOption = None,
) -> None:
    """Give each document to N of the annotators; each one's queue then holds only theirs."""
    from annotator.app.assignments import assign as do_assign

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
    with clear_errors(), Project.open(db_from(ctx, db)) as project:
        project.ensure_annotator(name)
        project.repo.set_role(name, wanted)
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
            f"documents finished by all of {', '.join(result.annotators)}: {len(result.documents)}"
        )
        for pair in result.pairs:
            p = pair.to_json()
            out.print(
                f"  {p['a']} ~ {p['b']} [{p['layer']}]: F1 exact {p['f1_exact']:.3f}, "
                f"overlap {p['f1_overlap']:.3f}, Cohen's kappa {_fmt(p['cohen_kappa'])}"
            )
        out.print(f"Fleiss' kappa: {_fmt(result.fleiss_kappa)}")
        out.print(f"Krippendorff's alpha (tokens): {_fmt(result.krippendorff_alpha)}")
        out.print(f"unitizing alpha (spans): {_fmt(result.unitizing_alpha)}")
        out.print(f"disagreements: {len(result.disagreements)}")
        if report is not None:
            out.print(f"report: {report / 'index.html'}")


def _fmt(x: float | None) -> str:
    return "n/a" if x is None or x != x else f"{x:.3f}"
