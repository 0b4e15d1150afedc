"""``annotator train`` and ``annotator trained``: pipelines trained on the project's labels."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from annotator.cli.common import DbOption, app, clear_errors, db_from, err, out


@app.command()
def train(
    ctx: typer.Context,
    source: Annotated[
        str | None,
        typer.Option("--from", help="Train on this annotator's finished annotations."),
    ] = None,
    gold: Annotated[
        bool, typer.Option("--gold", help="Train on the adjudicated gold annotations.")
    ] = False,
    base: Annotated[
        str | None,
        typer.Option("--base", help="Start the entities from this installed pipeline's ner."),
    ] = None,
    name: Annotated[
        str, typer.Option("--name", help="The model's name (its folder is NAME-vN).")
    ] = "trained",
    out_dir: Annotated[
        Path | None,
        typer.Option("--out", help="Folder for the model (default: the project's data folder)."),
    ] = None,
    show_config: Annotated[
        bool, typer.Option("--show-config", help="Print the generated configs and stop.")
    ] = False,
    overrides: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            help="Override a config setting: section.key=value, or entities:… / quotes:… "
            "for one layer (repeatable).",
        ),
    ] = None,
    curve: Annotated[
        Path | None,
        typer.Option(
            "--curve", help="Also train on 25/50/75% and draw the learning curve (.png/.svg)."
        ),
    ] = None,
    eval_fraction: Annotated[
        float, typer.Option("--eval-fraction", help="Share of documents held out for scores.")
    ] = 0.2,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the held-out draw.")] = 0,
    links: Annotated[
        str,
        typer.Option(
            "--links",
            help="Quote -> speaker/cue: chosen by our quote 'rules' (bounds from the "
            "model's spans), or the 'nearest' predicted span.",
        ),
    ] = "rules",
    quiet: Annotated[bool, typer.Option("--quiet", help="No spaCy training table.")] = False,
    db: DbOption = None,
) -> None:
    """Train a spaCy pipeline (entities and quotes) on the project's finished annotations."""
    from annotator.app.project import Project
    from annotator.app.training import TrainRequest, train_model
    from annotator.app.training import show_config as make_config
    from annotator.app.training_scores import describe_scores

    if links not in ("nearest", "rules"):
        from annotator.cli.common import fail

        fail(f"--links must be 'nearest' or 'rules', not {links!r}.")
    req = TrainRequest(
        source=source,
        gold=gold,
        base=base,
        name=name,
        out=out_dir,
        overrides=list(overrides or ()),
        eval_fraction=eval_fraction,
        seed=seed,
        curve=curve,
        links=links,
    )
    with clear_errors(), Project.open(db_from(ctx, db)) as project:
        if show_config:
            out.print(make_config(project, req), markup=False, highlight=False)
            return
        try:
            result = train_model(
                project,
                req,
                log=None if quiet else err.file,
                say=lambda message: err.print(message, markup=False, highlight=False),
            )
        except KeyboardInterrupt:
            err.print("interrupted; nothing was saved.")
            raise typer.Exit(130) from None
        m = result.model
        out.print(f"model {m.key} saved to {m.path}", markup=False)
        if m.heldout_documents:
            out.print(
                f"held-out scores ({m.heldout_documents} documents): {describe_scores(m.scores)}",
                markup=False,
            )
        if result.curve_path is not None:
            out.print(f"learning curve: {result.curve_path}", markup=False)
        out.print(
            f"suggest with it: annotator suggest --model {m.name}; its suggestions are "
            f"'{m.suggestion_set}'",
            markup=False,
        )


@app.command()
def trained(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    db: DbOption = None,
) -> None:
    """List the models trained on this project, with their held-out scores."""
    from dataclasses import asdict

    from annotator.app.project import Project
    from annotator.app.training import trained_models
    from annotator.app.training_scores import describe_scores

    with clear_errors(), Project.open(db_from(ctx, db)) as project:
        models = trained_models(project)
        if as_json:
            out.print_json(json.dumps([asdict(m) for m in models]))
            return
        if not models:
            out.print("no trained models yet: annotator train")
        for m in models:
            out.print(
                f"{m.key}  {m.trained_at}  from {m.source} ({m.train_documents} docs, "
                f"{m.heldout_documents} held out; spaCy {m.spacy_version})  "
                f"{describe_scores(m.scores)}  {m.path}",
                markup=False,
            )
