"""``annotator export``: training data as spaCy DocBin, JSONL (Prodigy), doccano or IOB."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from annotator.cli.common import DbOption, app, clear_errors, db_from, err, out, progress_bar
from annotator.formats.docbin import DEFAULT_SPAN_KEY

PROGRESS_FROM = 1000  # a bar for small exports only flickers


@app.command("export")
def export(
    ctx: typer.Context,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            help="spacy (DocBin .spacy), jsonl, doccano, iob, brat (a folder of .txt + .ann), "
            "or labelstudio (the task "
            "list, with its labelling config beside it as NAME.label_config.xml).",
        ),
    ],
    out_path: Annotated[
        Path,
        typer.Option("--out", help="Output file; with --dev a folder that gets train.* and dev.*."),
    ],
    annotator: Annotated[
        str | None,
        typer.Option(
            "--annotator",
            help="Whose annotations ('suggestions' = the latest pipeline's).",
        ),
    ] = None,
    gold: Annotated[
        bool, typer.Option("--gold", help="Export the adjudicated 'gold' annotations.")
    ] = False,
    status: Annotated[
        str, typer.Option("--status", help="done (finished work only) or all.")
    ] = "done",
    dev: Annotated[
        float | None,
        typer.Option("--dev", help="Fraction of documents for dev (e.g. 0.2): train/dev files."),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the train/dev split.")] = 0,
    span_key: Annotated[
        str,
        typer.Option(
            "--span-key",
            help="spaCy span group of the quotes layer (sc: what a stock spancat reads).",
        ),
    ] = DEFAULT_SPAN_KEY,
    docstart: Annotated[
        bool,
        typer.Option("--docstart/--no-docstart", help="IOB: a -DOCSTART- line per document."),
    ] = True,
    fallback: Annotated[
        str,
        typer.Option(
            "--fallback",
            help="With --gold, for documents without gold: an annotator's NAME, majority, or none.",
        ),
    ] = "none",
    layer: Annotated[
        str,
        typer.Option("--layer", help="all, ents (entities only) or quotes (QUOTE, SPEAKER, CUE)."),
    ] = "all",
    tokens: Annotated[
        bool,
        typer.Option(
            "--tokens/--no-tokens",
            help="JSONL: write each record's tokens (Prodigy's manual views need them).",
        ),
    ] = True,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            help="spacy: also write a ready spaCy training config.cfg to this path.",
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Export one annotator's annotations (or gold) as training data."""
    from annotator.app.export import (
        count_for_export,
        export_project,
        resolve_annotator,
    )
    from annotator.app.project import Project

    with clear_errors(), Project.open(db_from(ctx, db)) as project:
        if gold and fallback != "none":
            name = f"gold (else {fallback})"
            total = project.count_documents()
        else:
            name = resolve_annotator(project, annotator, gold)
            total = count_for_export(project, name, status)
        with progress_bar("exporting", enabled=total > PROGRESS_FROM) as progress:
            report = export_project(
                project,
                out_path,
                fmt=fmt,
                annotator=None if gold else name,
                gold=gold,
                status=status,
                dev=dev,
                seed=seed,
                span_key=span_key,
                docstart=docstart,
                layer=layer,
                tokens=tokens,
                progress=progress,
                fallback=fallback,
                config=config,
            )
        for problem in report.problems:
            err.print(f"[red]cannot export[/] {problem.message}", soft_wrap=True, markup=True)
        if not report.ok:
            more = report.failed_documents - len(report.problems)
            if more > 0:
                err.print(f"... and {more} more documents", soft_wrap=True)
            err.print(
                f"[bold red]error:[/] [E337] {report.failed_documents} documents have spans "
                "that cannot be placed on their tokens; nothing was written.",
                soft_wrap=True,
            )
            raise typer.Exit(1)
        parts = ", ".join(f"{k} {v}" for k, v in report.split.items() if k != "all")
        left = f"; left out {report.left_out} skipped" if report.left_out else ""
        out.print(
            f"exported {report.documents} documents of {name!r} ({report.spans} spans, "
            f"{report.relations} relations{', ' + parts if parts else ''}{left}) to "
            + ", ".join(str(f) for f in report.files)
        )
