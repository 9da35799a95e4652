"""The `congvan` command: a thin layer of subcommands over the library functions.

It sits on top of everything (ingest → index → webui), reads flags and environment, configures
logging, and maps exceptions to exit codes in exactly one place (`main`). Importing it loads
neither Flask nor a search engine nor the PDF readers: each command imports what it needs, so
`congvan stats` starts fast.
"""

from __future__ import annotations

import csv
import json
import logging
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ingest.errors import ArchiveWriteError, CongvanError, ExitCode, UsageError, exit_code_for
from ingest.exchange import EXCHANGE_COLUMNS, exchange_record, exchange_row
from ingest.printable import csv_cell, printable
from ingest.store import open_catalog
from ingest.store.catalog import CatalogStore

from .audit import audit
from .extract import extract
from .generate import generate
from .jobs import enqueue, enqueued_line, worker
from .jobs import jobs as jobs_command
from .migrate import migrate
from .options import (
    archive_at,
    archive_option,
    catalog_option,
    cli_actor,
    index_dir_option,
    json_option,
    queue_option,
)
from .reextract import reextract
from .register import register
from .search import check_index_command, reindex, search
from .serve import serve
from .settings import DEFAULT_ENGINE, ENGINES, Settings, command_settings
from .tasks import tasks
from .trash import trash
from .user import user

if TYPE_CHECKING:
    from index import Intake
    from ingest.pipeline import IngestReport

log = logging.getLogger("congvan")


def _print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _open_catalog(archive_dir: Path) -> CatalogStore:
    archive = archive_at(archive_dir)
    if not archive.has_catalog():
        raise UsageError(f"no archive at {archive_dir} (run `congvan ingest` first)")
    return open_catalog(archive.catalog_location)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Log more detail.")
@click.option("--engine", type=click.Choice(ENGINES), envvar="CONGVAN_ENGINE",
              default=DEFAULT_ENGINE, show_default=True,
              help="Search engine (env CONGVAN_ENGINE); each keeps its own index directory.")
@catalog_option
@index_dir_option
def cli(verbose: bool, engine: str) -> None:
    """congvan: archive and search Vietnamese official letters (công văn)."""
    # A command that needs more than its archive builds its Settings once from the flags and
    # the environment (settings.command_settings), `engine` included.
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(message)s",
        stream=sys.stderr,
    )
    # The job queue's library says each job it defers and starts: our own lines say enough.
    logging.getLogger("procrastinate").setLevel(logging.DEBUG if verbose else logging.WARNING)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@archive_option
@click.option("--jobs", type=click.IntRange(1, 64), default=None, help="Worker processes.")
@click.option("--lang", default="vie", show_default=True, help="Tesseract language.")
@click.option("--no-index", "skip_index", is_flag=True,
              help="Leave the search index as it is (bulk loads: `congvan reindex` afterwards; "
                   "`congvan serve` also catches up).")
@queue_option
@json_option
def ingest(
    paths: tuple[Path, ...], archive_dir: Path, jobs: int | None, lang: str, skip_index: bool,
    queue: str | None, as_json: bool,
) -> None:
    """Ingest letters (files or folders) into the archive."""
    missing = [printable(str(p)) for p in paths if not p.exists() and not p.is_symlink()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    settings = command_settings(archive_dir, jobs=jobs, lang=lang, queue=queue)
    if settings.queue:  # stage and enqueue only: `congvan worker`s read and store
        result = enqueue(list(paths), settings, cli_actor())
        if as_json:
            _print_json(result.as_json())
        else:
            click.echo(result.batch)
            click.echo(enqueued_line(result), err=True)
        if any(f.outcome == "failed" for f in result.files):
            sys.exit(ExitCode.SOME_FAILED)
        return
    intake = _run_ingest(list(paths), settings, quiet=as_json, index=not skip_index)
    _audit_ingest(archive_dir, intake.report)
    if as_json:
        _print_json(intake.as_json())
    else:
        click.echo(summary_line(intake.report), err=True)
    if intake.report.summary()["failed"]:
        sys.exit(ExitCode.SOME_FAILED)


def _audit_ingest(archive_dir: Path, report: IngestReport) -> None:
    """The audit entry of a command-line ingest, like an upload's: who archived which letters."""
    archived = [f.document_id for f in report.files if f.outcome == "archived"]
    summary = report.summary()
    detail = {key: summary[key] for key in ("archived", "duplicate", "failed", "skipped")}
    try:
        with open_catalog(archive_at(archive_dir).catalog_location) as catalog:
            catalog.audit("ingest", cli_actor(), None, {**detail, "documents": archived[:100]})
    except ArchiveWriteError as error:
        log.warning("ingest not written to the audit log: %s", error)


def summary_line(report: IngestReport) -> str:
    """One line for people: counts, and why files were skipped (e.g. 2 skipped: symlink)."""
    summary = report.summary()
    skipped = ""
    if summary["skipped"]:
        reasons = Counter(f.reason for f in report.files if f.outcome == "skipped")
        skipped = f", {summary['skipped']} skipped: " + ", ".join(
            f"{count} {reason}" for reason, count in sorted(reasons.items())
        )
    review = f" ({summary['needs_review']} to review)" if summary["needs_review"] else ""
    return (
        f"{summary['archived']} archived{review}, {summary['duplicate']} already archived, "
        f"{summary['failed']} failed{skipped} ({summary['pages']} pages, "
        f"{summary['ocr_pages']} OCR) in {summary['seconds']:.1f} s"
    )


def _run_ingest(paths: list[Path], settings: Settings, quiet: bool, index: bool) -> Intake:
    """Ingest, then sync the index (index.intake), with a progress bar on a terminal, one log
    line per file otherwise. A run killed before the sync leaves the index behind; the next
    ingest, watch or serve catches up."""
    from index import IntakeService

    show_bar = sys.stderr.isatty() and not quiet
    if quiet or show_bar:
        logging.getLogger("ingest").setLevel(logging.WARNING)
    service = IntakeService(settings.archive_store(), engine=settings.engine,
                            jobs=settings.jobs, lang=settings.lang)
    if not show_bar:
        return service.archive_and_index(paths, index=index)
    from tqdm import tqdm

    with tqdm(unit="file", desc="ingest", file=sys.stderr) as bar:
        return service.archive_and_index(paths, index=index, on_file_done=lambda _: bar.update())


@cli.command()
@archive_option
@json_option
def stats(archive_dir: Path, as_json: bool) -> None:
    """Counts of documents, pages, OCR'd pages and failed files."""
    with _open_catalog(archive_dir) as catalog:
        counts = catalog.stats()
    if as_json:
        _print_json(counts)
    else:
        for name, value in counts.items():
            click.echo(f"{name:<12}{value}")


@cli.command()
@click.argument("document_id")
@archive_option
@json_option
def show(document_id: str, archive_dir: Path, as_json: bool) -> None:
    """Show one archived document, with its validity, its relations to the documents it cites
    and to the letters citing it, and its reply thread."""
    from ingest.curation import links

    with _open_catalog(archive_dir) as catalog:
        document = catalog.get_document(document_id)
        if document is None:
            raise UsageError(f"no document {document_id!r} in {archive_dir}")
        validity = links.validity(catalog, document)
        relations = links.relations(catalog, document)
        thread = links.reply_thread(catalog, document)
    if as_json:
        _print_json({**document, "metadata": document["metadata"].to_dict(),
                     "validity": validity.as_json(), "relations": relations, "thread": thread})
        return
    for key in (
        "id",
        "filename",
        "doc_type",
        "reference",
        "issuer",
        "parent_issuer",
        "place",
        "issued_date",
        "subject",
        "signer_name",
        "page_count",
        "ocr_pages",
    ):
        value = document[key]
        click.echo(f"{key:<14}{printable(str(value)) if value is not None else '—'}")
    for line in _relation_lines(validity, relations, thread):
        click.echo(printable(line))
    click.echo("")
    click.echo(printable(document["text"], keep="\n\t"))  # a letter's text: its lines stay


def _relation_lines(validity: Any, relations: dict[str, list[dict[str, Any]]],
                    thread: list[dict[str, Any]]) -> list[str]:
    """'hiệu lực      Bị thay thế — thay thế bởi Quyết định 30/2025/QĐ-UBND (2025-03-05)', then a
    line per relation each way ('trích dẫn     bãi bỏ Nghị định 128/2018/NĐ-CP (Điều 3)',
    'được trích dẫn bị thay thế bởi …') and per letter of the reply thread."""
    def named(row: dict[str, Any]) -> str:
        words = [row.get("doc_type"), row.get("reference") or row.get("id")]
        date = row.get("issued_date") or row.get("date")
        return " ".join(filter(None, words)) + (f" ({date})" if date else "")

    def scoped(row: dict[str, Any]) -> str:
        return f" [{row['scope']}]" if row.get("scope") else ""

    later = "; ".join(f"{row['label']}{scoped(row)} bởi {named(row)}" for row in validity.by)
    lines = [f"{'validity':<14}{validity.label}" + (f" — {later}" if later else "")]
    lines += [f"{'cites':<14}{row['label']} {named(row)}{scoped(row)}"
              for row in relations["cites"]]
    lines += [f"{'cited by':<14}{row['label']} {named(row)}{scoped(row)}"
              for row in relations["cited_by"]]
    lines += [f"{'thread':<14}{'→ ' if row['role'] == 'self' else '  '}{named(row)}"
              + (f" — {row['label']}" if row["label"] else "") for row in thread]
    return lines


@cli.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@archive_option
@click.option(
    "--settle",
    type=float,
    default=3.0,
    show_default=True,
    help="Seconds a file must stop growing before it is taken.",
)
@click.option(
    "--interval", type=float, default=2.0, show_default=True, help="Seconds between scans."
)
@click.option("--once", is_flag=True, help="Take what is ready now, then exit.")
@click.option("--jobs", type=click.IntRange(1, 64), default=None, help="Worker processes.")
def watch(
    folder: Path, archive_dir: Path, settle: float, interval: float, once: bool, jobs: int | None
) -> None:
    """Ingest letters dropped into FOLDER; move them to done/ or failed/."""
    from index import IntakeService

    settings = command_settings(archive_dir, jobs=jobs)
    service = IntakeService(settings.archive_store(), engine=settings.engine, jobs=settings.jobs)
    watcher = service.folder_watcher(folder, settle=settle)
    if once:
        watcher.poll()
    else:
        watcher.run_forever(interval)


EXPORT_COLUMNS = (
    "id",
    "filename",
    "sha256",
    "doc_type",
    "reference",
    "number",
    "symbol",
    "issuer",
    "parent_issuer",
    "place",
    "issued_date",
    "date_precision",
    "subject",
    "signer_name",
    "signer_title",
    "page_count",
    "ocr_pages",
)


@cli.command()
@archive_option
@click.option(
    "--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True
)
@click.option(
    "--fields", type=click.Choice(["congvan", "phu-luc-vi"]), default="congvan",
    show_default=True,
    help="congvan: the catalog's columns and record; phu-luc-vi: the fields of Decree 30's "
         "Phụ lục VI (CodeNumber, CodeNotation, IssuedDate, OrganName …) for other systems.")
def export(archive_dir: Path, fmt: str, fields: str) -> None:
    """Export every document's metadata to standard output."""
    exchange = fields == "phu-luc-vi"
    with _open_catalog(archive_dir) as catalog:
        count = 0
        writer = csv.writer(sys.stdout)
        if fmt == "csv":
            writer.writerow(EXCHANGE_COLUMNS if exchange else EXPORT_COLUMNS)
        for document in catalog.iter_documents():
            if exchange:
                record = exchange_record(document["id"], document["metadata"],
                                         register=catalog.register_entry(document["id"]))
                row = exchange_row(record)
            else:
                record = {c: document[c] for c in EXPORT_COLUMNS}
                record["metadata"] = document["metadata"].to_dict()
                row = [document[c] for c in EXPORT_COLUMNS]
            if fmt == "csv":
                writer.writerow([csv_cell(cell) for cell in row])
            else:
                click.echo(json.dumps(record, ensure_ascii=False))
            count += 1
        try:
            catalog.audit("export", cli_actor(), None, {"format": fmt, "fields": fields,
                                                       "documents": count})
        except ArchiveWriteError as error:  # a read-only archive can still be exported
            log.warning("export not written to the audit log: %s", error)


for command in (search, reindex, check_index_command, serve, user, audit, generate, extract,
                reextract, trash, register, worker, jobs_command, migrate, tasks):
    cli.add_command(command)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the command, mapping our errors to messages and exit codes."""
    try:
        cli.main(args=argv, prog_name="congvan", standalone_mode=False)
    except click.exceptions.Abort:
        sys.exit(ExitCode.SOME_FAILED)
    except click.ClickException as error:
        error.show()
        sys.exit(ExitCode.USAGE)
    except CongvanError as error:
        click.echo(f"congvan: {printable(str(error))}", err=True)  # it may name a file
        sys.exit(exit_code_for(error))
    except SystemExit:
        raise
    except BaseException as error:
        click.echo(f"congvan: {type(error).__name__}: {error}", err=True)
        sys.exit(exit_code_for(error))


if __name__ == "__main__":
    main()
