"""``annotator import`` and ``annotator status``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from annotator.cli.common import DbOption, app, clear_errors, db_from, err, out, progress_bar
from annotator.core import AnnotatorError
from annotator.formats.records import IOB_DOCUMENT_CHOICES, SNAP_CHOICES, ReadOptions

if TYPE_CHECKING:
    from annotator.app.importing import ImportReport


def _kept(report: ImportReport) -> str:
    """Annotations a run again found stored already, or replaced: not counted as added."""
    parts = []
    if report.annotations_present:
        parts.append(f"{report.annotations_present} already stored")
    if report.annotations_replaced:
        parts.append(f"{report.annotations_replaced} replaced")
    return f" added ({', '.join(parts)})" if parts else ""


class ImportOptionError(AnnotatorError):
    code = "E338"


def _read_options(snap: str, type_map: list[str], iob_documents: str) -> ReadOptions:
    if snap not in SNAP_CHOICES:
        raise ImportOptionError(f"--snap must be {' or '.join(SNAP_CHOICES)}, not {snap!r}.")
    if iob_documents not in IOB_DOCUMENT_CHOICES:
        raise ImportOptionError(
            f"--iob-documents must be {' or '.join(IOB_DOCUMENT_CHOICES)}, not {iob_documents!r}."
        )
    mapping: dict[str, str] = {}
    for item in type_map:
        source, sep, ours = item.partition("=")
        if not sep or not source.strip() or not ours.strip():
            raise ImportOptionError(f"--map takes SOURCE=OURS (e.g. Content=QUOTE), not {item!r}.")
        mapping[source.strip()] = ours.strip()
    return ReadOptions(snap=snap, type_map=mapping, iob_documents=iob_documents)


@app.command("import")
def import_(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to import.")],
    fmt: Annotated[
        str, typer.Option("--format", help="auto, txt, jsonl, or another installed reader.")
    ] = "auto",
    annotator: Annotated[
        str | None,
        typer.Option(
            "--annotator",
            help="Whose labels the imported spans are (default: the "
            "file's _annotator_id, else 'imported').",
        ),
    ] = None,
    snap: Annotated[
        str,
        typer.Option(
            "--snap",
            help="A span that splits a token: split (keep the span exactly, split the "
            "token) or expand (widen the span to whole tokens).",
        ),
    ] = "split",
    type_map: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help="Map a source type to ours, BRAT=OURS (repeatable), e.g. --map Content=QUOTE.",
        ),
    ] = None,
    iob_documents: Annotated[
        str,
        typer.Option(
            "--iob-documents",
            help="IOB: a document per -DOCSTART- (docstart) or per blank-line block (blocks).",
        ),
    ] = "docstart",
    db: DbOption = None,
) -> None:
    """Import articles: .txt files (one per document) or JSONL (with labels)."""
    with clear_errors():
        options = _read_options(snap, type_map or [], iob_documents)
    from annotator.app.project import Project

    with clear_errors(), Project.open(db_from(ctx, db)) as project:
        with progress_bar("importing") as progress:
            report = project.import_paths(
                paths, fmt=fmt, annotator=annotator, progress=progress, options=options
            )
        with progress_bar("indexing for search") as progress:
            project.index_for_search(batch=5000, progress=progress)
        for warning in report.warnings:
            err.print(f"warning {warning}", soft_wrap=True, markup=False, highlight=False)
        for problem in report.problems:
            # escaped: a file name or label may hold "[/...]", which rich reads as markup
            err.print(f"[yellow]skipped[/] {escape(str(problem))}", soft_wrap=True, markup=True)
        out.print(
            f"imported {report.imported} documents ({report.duplicates} already present, "
            f"{report.annotations} annotations{_kept(report)}, "
            f"{report.snapped_spans} spans snapped to tokens, "
            f"{report.split_tokens} tokens split); "
            f"skipped {len(report.problems)}"
        )
        if report.problems:
            raise typer.Exit(1)


@app.command()
def status(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    db: DbOption = None,
) -> None:
    """Documents, and per annotator how many are todo / in progress / done / skipped."""
    from annotator.app.project import Project

    with clear_errors(), Project.open(db_from(ctx, db)) as project:
        info = project.status()
        if as_json:
            out.print_json(json.dumps(info))
            return
        out.print(f"database: {info['database']}")
        out.print(f"documents: {info['documents']}")
        if info["suggestions"]:
            out.print(f"suggestions: {info['suggestions']}")
        annotators = info["annotators"]
        assert isinstance(annotators, dict)
        for name, counts in annotators.items():
            parts = ", ".join(f"{k} {v}" for k, v in counts.items())
            out.print(f"  {name}: {parts}")
