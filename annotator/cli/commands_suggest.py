"""``annotator models``, ``annotator suggest`` and ``annotator evaluate``."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated

import typer

from annotator.cli.common import DbOption, app, clear_errors, db_from, err, out, progress_bar


@app.command()
def models(
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """List the installed spaCy pipelines (and the built-in rules) with version and NER labels."""
    from annotator.nlp.pipeline import installed_pipelines, resolve_pipeline

    with clear_errors():
        infos = installed_pipelines()
        default = resolve_pipeline(None, infos)
        if as_json:
            out.print_json(
                json.dumps(
                    [
                        {
                            "name": i.name,
                            "version": i.version,
                            "path": i.path,
                            "kind": i.kind,
                            "ner_labels": list(i.ner_labels),
                            "default": i == default,
                        }
                        for i in infos
                    ]
                )
            )
            return
        for i in infos:
            mark = "*" if i == default else " "
            labels = ", ".join(i.ner_labels) or "-"
            out.print(f"{mark} {i.name} {i.version} ({i.kind}): {labels}")
        out.print("* used when no --model is given")


@app.command()
def suggest(
    ctx: typer.Context,
    model: Annotated[
        str | None,
        typer.Option(
            "--model", help="Pipeline name or path, or 'rules' (default: best installed)."
        ),
    ] = None,
    n_process: Annotated[int, typer.Option("--n-process", min=1)] = 1,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1)] = 64,
    only_missing: Annotated[
        bool,
        typer.Option("--only-missing", help="Skip documents this pipeline already did (resume)."),
    ] = False,
    keep_that: Annotated[
        bool | None,
        typer.Option(
            "--keep-that/--drop-that",
            help="Scheme option, kept in the project: indirect and mixed quotes start at "
            'their complementiser "that" (default: dropped, as docs/QUOTES.md says).',
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Pre-annotate every document with a spaCy pipeline (or the built-in rules)."""
    from annotator.app.project import Project
    from annotator.app.suggest import run_suggest, set_keeps_that
    from annotator.nlp.pipeline import load_suggester

    parent = ctx.find_root().obj or {}
    with clear_errors(), Project.open(db_from(ctx, db)) as project:
        if keep_that is not None:
            set_keeps_that(project, keep_that)
        err.print(f"loading {model or parent.get('model') or 'the best installed pipeline'}…")
        suggester = load_suggester(model or parent.get("model"))
        err.print(f"pipeline: {suggester.info.key}")
        start = time.perf_counter()
        try:
            with progress_bar("suggesting") as progress:
                report = run_suggest(
                    project,
                    suggester,
                    batch_size=batch_size,
                    n_process=n_process,
                    only_missing=only_missing,
                    progress=progress,
                )
        except KeyboardInterrupt:
            err.print("interrupted; finished batches are saved. Resume with --only-missing.")
            raise typer.Exit(130) from None
        seconds = time.perf_counter() - start
        rate = report.words / seconds if seconds else 0.0
        out.print(
            f"{report.documents} documents suggested by {report.pipeline} "
            f"({report.spans} spans; {report.words:,} words, {rate:,.0f} words/s, a word "
            f"being a token that is not punctuation or whitespace) "
            f"into '{report.annotation_set}'"
            + (f"; {report.skipped_existing} already done" if report.skipped_existing else "")
        )
        if report.dropped_labels:
            dropped = ", ".join(f"{k} {v}" for k, v in sorted(report.dropped_labels.items()))
            out.print(f"labels not in the project's scheme, dropped: {dropped}")


@app.command()
def evaluate(
    ctx: typer.Context,
    reference: Annotated[str, typer.Option("--reference", help="Annotator name, e.g. gold.")],
    candidate: Annotated[
        str, typer.Option("--candidate", help="Annotator name, or suggestions[:<pipeline>].")
    ],
    as_json: Annotated[bool, typer.Option("--json")] = False,
    calibration: Annotated[
        Path | None,
        typer.Option(
            "--calibration",
            help="Instead of P/R/F: how far the candidate's scores can be trusted, per "
            "score bucket and label, with a reliability chart written here (.png/.svg/.pdf).",
        ),
    ] = None,
    bins: Annotated[int, typer.Option("--bins", help="Score buckets of the chart.")] = 10,
    save_calibration: Annotated[
        bool,
        typer.Option("--save-calibration", help="Keep the fitted calibration in the project."),
    ] = False,
    db: DbOption = None,
) -> None:
    """Compare two annotation sets: P/R/F per layer and label, exact and overlap."""
    from annotator.app.evaluation import (
        calibrate_sets,
        evaluate_sets,
        format_calibration,
        write_calibration_chart,
    )
    from annotator.app.project import Project

    with clear_errors(), Project.open(db_from(ctx, db)) as project:
        if calibration is not None or save_calibration:
            cal = calibrate_sets(project, reference, candidate, bins=bins, save=save_calibration)
            if calibration is not None:
                write_calibration_chart(cal, calibration)
            if as_json:
                out.print_json(cal.dumps())
                return
            _plain(format_calibration(cal))
            if calibration is not None:
                _plain(f"reliability chart: {calibration}")
            if save_calibration:
                _plain(f"calibration saved for '{candidate}'")
            return
        result = evaluate_sets(project, reference, candidate)
        if as_json:
            out.print_json(json.dumps(result.to_json()))
        else:
            _plain(result.format_table())


def _plain(text: str) -> None:
    # "[ents]" is a layer's row name, not a style tag, and ":SPEAKER:" no emoji
    out.print(text, markup=False, highlight=False, emoji=False)
