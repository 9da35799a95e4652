"""The catalog: the source of truth for what the archive holds, and its interface.

`CatalogStore` is everything the rest of congvan may ask of a catalog; `open_catalog`
(ingest/store/__init__.py) opens one. Nothing outside the catalog's modules sees a connection,
a cursor or a row of the database engine. `SqlCatalog` (catalog_sql.py) implements it once in
SQL for two engines: `SqliteCatalog` (catalog_sqlite.py) keeps the catalog in one SQLite file,
the embedded default; `PostgresCatalog` (catalog_postgres.py) in a PostgreSQL database that
several hosts share.

The schema is built by the numbered migrations in migrations/ (`0001_initial.sql`, …), applied
in order and recorded in the `schema_version` table; their SQL is what SQLite and PostgreSQL
both accept (PostgreSQL reads REAL as DOUBLE PRECISION and TEXT with the "C" collation, see
catalog_postgres.py).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any, Protocol

from rapidfuzz import fuzz

from ingest.errors import UsageError
from ingest.folding import fold
from ingest.model import DocumentRecord, LetterMetadata

# 2: citations carry their relation and scope (issue 16); 3: tasks' deadlines in every form
# (issue 16); 4: working days skip public holidays. `congvan reextract` reads the letters an
# older extractor read again.
EXTRACTOR_VERSION = 4


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def now_precise() -> str:
    """A time that orders the changes of one second (a letter's history, its notes)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


# -- the schema's history -------------------------------------------------------------------


@dataclass(frozen=True)
class Migration:
    """One step of the schema: `number` is the schema version it brings the catalog to."""

    number: int
    name: str
    sql: str

    def statements(self) -> list[str]:
        """The migration's statements, its `--` comment lines left out."""
        code = "\n".join(line for line in self.sql.splitlines()
                         if not line.lstrip().startswith("--"))
        return [statement.strip() for statement in code.split(";") if statement.strip()]


_MIGRATION_FILE = re.compile(r"(\d{4})_(\w+)\.sql")


def load_migrations(folder: Traversable | None = None) -> tuple[Migration, ...]:
    """The migrations in `folder` (those shipped in migrations/), in order. Numbered 1, 2, 3 …
    without a gap: a released migration is never edited, a schema change is a new file with
    the next number."""
    folder = folder or resources.files("ingest.store") / "migrations"
    found = []
    for entry in folder.iterdir():
        if match := _MIGRATION_FILE.fullmatch(entry.name):
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    found.sort(key=lambda migration: migration.number)
    numbers = [migration.number for migration in found]
    if numbers != list(range(1, len(found) + 1)):
        raise RuntimeError(f"the catalog's migrations are not numbered 1, 2, 3 …: {numbers}")
    return tuple(found)


MIGRATIONS = load_migrations()


# The roles an account may have, each allowed what the ones before it are allowed (webui.roles).
ROLES = ("reader", "clerk", "admin")
DEFAULT_ROLE = "clerk"  # `congvan user add` makes accounts that may upload, as before roles


def check_role(role: str) -> None:
    """Refuse a role that is not one of ROLES."""
    if role not in ROLES:
        raise UsageError(f"a role is one of {', '.join(ROLES)}, not {role!r}")


# What a search index takes from each letter, in the order `CatalogStore.index_stamps` gives
# their values: an index stamps a letter with a digest of these.
# `notes_text` is NULL for a letter without notes, `flag_changed_at` until staff change its
# review flag, and a NULL is left out of the digest, so adding them changed no letter's stamp.
# `record_stamp` stands for the record and the text: the record's JSON (`metadata_json`, which
# held the text) for a letter stored before the text was packed (migration 0010), so that its
# stamp stayed what it was; a digest of the packed text and record for one stored since.
# `validity_stamp` is NULL while a letter is in force, else the status later letters gave it
# (ingest.extract.relations: 'bi-thay-the' …), derived from their citations when read.
INDEX_STAMP_COLUMNS = ("record_stamp", "filename", "extractor_version", "original_name",
                       "notes_text", "flag_changed_at", "validity_stamp")

# The review reason of a letter flagged at ingest as a possible duplicate of an archived one
# (next to the extraction's reasons, `metadata.review`).
POSSIBLE_DUPLICATE = "possible-duplicate"
SAME_REFERENCE, SIMILAR_TEXT = "same-reference", "similar-text"


class CatalogStore(Protocol):
    """Everything congvan asks of its catalog. Rows come back as plain dicts and tuples.

    A document row (`get_document`, `iter_documents`) holds the `documents` columns: `id`,
    `filename`, `ingested_at`, `page_count`, `ocr_pages`, `text`, the metadata columns
    (`doc_type`, `reference`, `number`, `symbol`, `ref_key`, `issuer`, `parent_issuer`, `place`,
    `issued_date`, `date_precision`, `subject`, `signer_name`, `signer_title`, `urgency`,
    `secrecy`, `needs_review`), `extractor_version`, `notes_text` (the notes staff wrote, for the
    index; None without notes) and `metadata`, the effective record (a LetterMetadata): the
    extraction with the fields staff corrected set to their corrections (curation/corrections.py).
    The last review (`reviewed_by`, `reviewed_at`) and, for a letter in the trash,
    `deleted_at` and `deleted_by`.
    A letter in the trash is left out of every read but get_document, document_summary and
    trashed_documents: out of the index feed (so a sync removes it), lists, counts and
    citations (a letter citing it shows it as not archived).
    One connection: not shared between threads or processes. Writes raise ArchiveWriteError
    when the catalog cannot be written (disk full, read-only).
    """

    def close(self) -> None:
        """Let go of the connection."""

    def __enter__(self) -> CatalogStore:
        """The catalog itself, closed at the end of the `with` block."""

    def __exit__(self, *exc: object) -> None: ...

    def schema_version(self) -> int:
        """The number of the last migration applied (0 for an empty database)."""

    def integrity_problems(self) -> list[str]:
        """What is broken, one sentence each, or [] when the catalog is sound: the engine's own
        check, and every letter with its file and pages, every file and page with its letter."""

    # -- writes --------------------------------------------------------------------------------

    def add_document(self, record: DocumentRecord,
                     duplicates: Sequence[DuplicateFlag] = ()) -> bool:
        """Write a letter with its file, pages and metadata in one transaction, flagged for
        review as a possible duplicate of the letters in `duplicates`. False when the same bytes
        were archived meanwhile (by a concurrent ingest), and nothing is written."""

    def replace_metadata(self, document_id: str, metadata: LetterMetadata) -> None:
        """Store a new extraction for an archived letter (after the extractor improves). The
        fields staff corrected keep their corrections: only the others take the new values.
        A letter staff reviewed stays cleared unless its text changed."""

    def correct_metadata(self, document_id: str, values: dict[str, Any],
                         actor: str) -> list[FieldChange]:
        """Correct fields of a letter by hand (`values`: field → value checked by
        curation.corrections.parse_changes). A field whose value is already that is left alone;
        each other one is stored as a correction (replacing an earlier one) and a history
        entry, and the letter's columns, child rows and `metadata_json` take the effective
        record, in one transaction (so every index sees the letter changed). Returns the
        changes made; LookupError if the letter is not archived."""

    def add_note(self, document_id: str, text: str, actor: str) -> NoteRecord:
        """Add a note to a letter (with a history entry); its text joins `notes_text`.
        LookupError if the letter is not archived."""

    def log_ingest(self, entry: dict[str, Any]) -> None:
        """Append one entry to the ingest log: its keys are the log's columns (`id`, `batch_id`,
        `logged_at`, `username`, `host`, `path`, `sha256`, `outcome`, `reason`, `error`,
        `document_id`, `seconds`, `warnings` as a JSON list or None)."""

    def begin_group(self) -> None:
        """Gather the writes that follow into one transaction until `commit_group` (a bulk
        ingest's letters: one commit, one sync to disk, for hundreds of them). Each write stays
        all or nothing on its own (a savepoint: an error undoes that write, not the group's
        others); reads on this catalog see them at once, other connections at the commit. The
        catalog's write lock is held meanwhile: keep a group to a second or so."""

    def commit_group(self) -> None:
        """Commit the group's writes (nothing without a group)."""

    def rollback_group(self) -> None:
        """Drop the group's writes not committed yet (nothing without a group)."""

    # -- reads ---------------------------------------------------------------------------------

    def document_for_sha256(self, sha256: str) -> str | None:
        """The id of the letter archived from these bytes, or None."""

    def document_ids(self) -> list[str]:
        """Every letter's id, in id order."""

    def get_document(self, document_id: str) -> dict[str, Any] | None:
        """One document row (see the class) with `files` (its rows of `sha256`, `document_id`,
        `original_name`, `media_type`, `size_bytes`, `stored_at`) and `pages` (`page_no`,
        `text`, `ocr`, `ocr_confidence`, in page order); None if it is not archived."""

    def corrections(self, document_id: str) -> dict[str, Correction]:
        """The fields of a letter corrected by hand: field → its correction (value, who, when)."""

    def machine_metadata(self, document_id: str) -> LetterMetadata | None:
        """A letter's record as the extractor read it, before any correction; None if it is not
        archived."""

    def document_history(self, document_id: str) -> list[FieldChange]:
        """Every change staff made to a letter (corrections and notes), the latest first."""

    def notes(self, document_id: str) -> list[NoteRecord]:
        """A letter's notes, oldest first."""

    def iter_documents(self) -> Iterator[dict[str, Any]]:
        """Every document row with its file's `original_name`, `sha256` and `media_type` and the
        letter's `validity` (as `get_document` gives it), in id order (for export and
        indexing)."""

    def index_stamps(self, ids: Sequence[str] | None = None
                     ) -> Iterator[tuple[str, tuple[Any, ...]]]:
        """(id, the values of INDEX_STAMP_COLUMNS) of every letter (or of those of `ids` still
        archived and not in the trash), without parsing any JSON: an index sync compares digests
        of these and reads in full only the rows that changed."""

    def iter_documents_unordered(self) -> Iterator[dict[str, Any]]:
        """Every document row as iter_documents gives it but with `metadata_json`, the record's
        JSON (without its `text` for a letter whose text is packed: the row's `text` is the
        letter's), instead of `metadata`, `record_stamp` and `validity_stamp` (see
        INDEX_STAMP_COLUMNS) and `validity`, in no particular order: one pass for an index
        rebuild. (`get_document` gives `validity` too: a status of
        ingest.extract.relations.VALIDITY_LABELS, derived from later letters' citations.)"""

    def cited_keys(self, document_id: str) -> list[tuple[str, str, str | None]]:
        """(key, reference as first written, relation) of each document a letter cites, in text
        order (the relation None for a citation read before relations were)."""

    def relations_from(self, document_id: str, relations: Sequence[str] | None = None
                       ) -> list[dict[str, Any]]:
        """The archived letters (not in the trash) a letter cites, each with the `relation`
        and `scope` of the citation (only `relations` when given): the cited letter's `id`,
        `reference`, `symbol`, `doc_type`, `issuer`, `issued_date`, `subject`, `ref_key`, the
        oldest first."""

    def relations_to(self, document_id: str, relations: Sequence[str] | None = None
                     ) -> list[dict[str, Any]]:
        """The archived letters (not in the trash) citing a letter's number, each with the
        `relation` and `scope` of its citation (only `relations` when given), in the columns of
        `relations_from`, the oldest first."""

    def document_summary(self, document_id: str) -> dict[str, Any] | None:
        """A letter's `id`, `reference`, `doc_type`, `issuer`, `issued_date`, `subject` and
        `ref_key` (what a graph node or a list shows); None if it is not archived."""

    def citing(self, cited_key: str) -> list[dict[str, Any]]:
        """Archived letters that cite the document with this key (`id`, `reference`, `symbol`,
        `doc_type`, `issuer`, `issued_date`, `subject`, and the citation's `relation` and
        `scope`), the latest dated first."""

    def documents_with_key(self, ref_key: str) -> list[str]:
        """The ids of the archived letters with this reference key."""

    def unarchived_citations(self) -> list[dict[str, Any]]:
        """Cited documents not in the archive (`cited_key`, `reference`, `doc_type`, `issuer`,
        `cited_date`, `citing_count`), most cited first."""

    def assignee_counts(self) -> list[tuple[str, int]]:
        """Every assignee as written, with its number of tasks."""

    def assignments_newest_first(self) -> Generator[tuple[str, str, int], None, None]:
        """(assignee as written, document id, task position) of every assigned task, the most
        recently archived letter first. Read lazily: a reader that has enough closes it, so the
        latest tasks of the large groups cost a few rows whatever the archive's size."""

    def tasks_at(self, keys: list[tuple[str, int]]) -> dict[tuple[str, int], dict[str, Any]]:
        """The tasks at these (document id, position), each with the letter that gives it: `id`,
        `reference`, `symbol`, `doc_type`, `issuer`, `issued_date`, `date_precision` and the
        task's `position`, `label`, `text`, `text_as_read`, `deadline`, `deadlines_json` (None
        for letters archived before deadlines had forms), `assignees` (as written, in order) and
        the letter's `ref_key` and `date_precision`."""

    def task_keys(self, *, assignees: Sequence[str] | None = None,
                  issuers: Sequence[str] | None = None) -> list[tuple[str, int]]:
        """(document id, position) of the tasks given to any of `assignees` (as written) or by
        any of `issuers` (as the catalog holds them), or of every task when neither is given;
        the most recently issued letter first."""

    def assignee_issuers(self) -> list[tuple[str, str | None, int]]:
        """(assignee as written, issuer of the letter, tasks) for every pair the archive holds:
        a department named without its province belongs to its letter's."""

    def issuer_task_counts(self) -> list[tuple[str, int]]:
        """Every issuer that gives tasks, with its number of tasks."""

    def letters_citing(self, keys: Sequence[str]) -> list[dict[str, Any]]:
        """The archived letters citing any of these reference keys: `cited_key`, the citation's
        `relation` (None when read before relations were), `id`, `reference`, `doc_type`,
        `issuer`, `issued_date`, `subject`."""

    def task_statuses(self, document_ids: Sequence[str]) -> dict[tuple[str, str], TaskStatus]:
        """What staff said of the tasks of these letters, by (document id, task key)."""

    def set_task_status(self, document_id: str, task_key: str, status: str, note: str | None,
                        actor: str, *, label: str = "") -> TaskStatus:
        """Mark a task done or open again (DONE, OPEN), with who, when and a note, kept in the
        letter's history too (field "task", `label` naming the task); LookupError when the
        letter is not in the archive."""

    def unassigned_tasks(self, limit: int) -> tuple[int, list[dict[str, Any]]]:
        """(how many, the most recently archived `limit` as tasks_at gives them) of the tasks no
        assignee was found for."""

    def latest_documents(self, limit: int) -> list[dict[str, Any]]:
        """The `limit` letters archived last, newest first: `id`, `reference`, `symbol`,
        `doc_type`, `issuer`, `issued_date`, `date_precision`, `subject`, `filename`,
        `ingested_at`."""

    def stats(self) -> dict[str, int]:
        """Counts of `documents`, `pages`, `ocr_pages`, `citations`, `needs_review`, and `failed`
        (distinct files that failed and were not archived since)."""

    def ingest_log(self, batch_id: str | None = None) -> list[dict[str, Any]]:
        """Every entry of the ingest log as log_ingest wrote it (of one batch, when given),
        oldest first (entries of one second in no set order)."""

    # -- the review queue ------------------------------------------------------------------------

    def review_queue(self, limit: int, offset: int = 0) -> tuple[int, list[dict[str, Any]]]:
        """(how many, `limit` of them from `offset`) of the letters flagged for review, the
        oldest archived first: as latest_documents gives them, with `review`, the reason codes
        (`metadata.review`, and POSSIBLE_DUPLICATE)."""

    def mark_reviewed(self, document_id: str, actor: str) -> None:
        """Clear a letter's review flag as checked by `actor` (who and when are kept; its open
        possible duplicates are dismissed). A new extraction of the same text does not flag it
        again. LookupError if it is not archived."""

    # -- possible duplicates and versions -------------------------------------------------------

    def store_signatures(self, signatures: Sequence[tuple[str, str, Sequence[str]]]) -> None:
        """Keep letters' text signatures, (id, MinHash values as hex, LSH band buckets) each
        (curation.duplicates; "" and no buckets for a text too short to compare), replacing any
        earlier ones, in one transaction."""

    def unsigned_texts(self, limit: int) -> list[tuple[str, str]]:
        """(id, text) of up to `limit` letters without a text signature (archived before
        signatures were kept; in the trash too, compared once restored), in id order."""

    def signatures_sharing_bands(self, buckets: Sequence[str], at_least: int = 1
                                 ) -> dict[str, str]:
        """id → signature of the letters (not in the trash) that share at least `at_least`
        band buckets with `buckets` (band i's bucket at i): the candidates for a
        near-duplicate. With `at_least` > 1, the `at_least - 1` largest buckets are never read
        whole: a letter in none of the others cannot share enough."""

    def signatures_of(self, ids: Sequence[str]) -> dict[str, str]:
        """id → signature of these letters (those not in the trash; "" when too short)."""

    def possible_duplicates(self, document_id: str) -> list[dict[str, Any]]:
        """The letters flagged as possible duplicates of this one, either way round: their
        document_summary with `reason` (SAME_REFERENCE, SIMILAR_TEXT) and `similarity`."""

    def link_versions(self, issued_id: str, other_id: str, actor: str) -> None:
        """Link two letters as versions of one letter, `issued_id` (the issued one) first,
        joining the versions either had; their possible-duplicate flag is resolved. LookupError
        if either is not archived, ValueError if they are the same."""

    def versions(self, document_id: str) -> list[dict[str, Any]]:
        """The versions of the letter this one is a version of (itself included; `id`,
        `reference`, `doc_type`, `issuer`, `issued_date`, `subject`, `filename`, `position`: 0 is
        the issued one, `linked_by`, `linked_at`), or [] when it has none."""

    # -- the trash ------------------------------------------------------------------------------

    def trash_document(self, document_id: str, actor: str) -> bool:
        """Move a letter to the trash (who and when are kept); False if it is not archived or
        already there."""

    def restore_document(self, document_id: str) -> bool:
        """Take a letter out of the trash; False if it is not in the trash."""

    def trashed_documents(self, before: str | None = None) -> list[dict[str, Any]]:
        """The letters in the trash (moved there before `before`, an ISO time, if given), the
        oldest first: as latest_documents gives them with `deleted_at` and `deleted_by`."""

    def purge_document(self, document_id: str) -> list[str]:
        """Delete a letter in the trash and all its rows for good; the SHA-256 of its files,
        whose originals the caller removes. LookupError if it is not in the trash."""

    # -- the change sequence, which search nodes follow ---------------------------------------

    def copy_into(self, target: CatalogStore, *,
                  on_table: Callable[[str, int], None] | None = None) -> dict[str, int]:
        """Copy every row (letters, their history and notes, users, the audit log, registers,
        the change sequence …) into `target`, an empty catalog of the same schema version on
        any engine, in one transaction of the target's; rows copied per table (`on_table` is
        told each table as it is done). UsageError if `target` is not empty."""

    def table_counts(self) -> dict[str, int]:
        """Rows per table of the catalog."""

    def last_change(self) -> int:
        """The latest number of the change sequence; 0 before the first change."""

    def changes_since(self, seq: int, limit: int = 1000) -> list[tuple[int, str]]:
        """(number, letter id) of the letters changed after number `seq`, in order, at most
        `limit`: every write that changes what a search index shows of a letter (archived, a new
        extraction, a correction, a note, its review flag, moved to the trash, restored, purged)
        gives it the next number. Only a letter's latest change is kept, so a letter changed
        twice since `seq` comes once; read the letter (get_document) to know what it is now:
        gone or in the trash, it leaves the index. Numbers become visible in increasing order
        (writers commit one at a time), so a follower that asks again with the last number it
        saw never misses a change. Letters archived before the sequence existed have none."""

    # -- the registers of letters received and sent (sổ đăng ký văn bản đến / đi) --------------

    def register_letter(
        self, document_id: str, direction: str, actor: str, *, office: str = "",
        entry_date: str | None = None, arrival_number: int | None = None,
        unit: str | None = None, note: str | None = None,
    ) -> RegisterEntry:
        """Enter a letter in a register of `office`, or change its entry: INCOMING with its
        arrival date (`entry_date`, ISO; today if None) and the unit it is passed to, OUTGOING
        with the date it was sent and the unit keeping its file copy. The year is the arrival
        date's (incoming) or the letter's own date's (outgoing; else the entry date's). An
        incoming letter without `arrival_number` keeps the one it has in that register, or gets
        the next free one of the office and year, in the same transaction (two clerks at once
        never get the same); a number another letter holds raises ArrivalNumberTaken.
        LookupError if the letter is not archived (or in the trash), ValueError for a direction
        not in DIRECTIONS."""

    def register_entry(self, document_id: str) -> RegisterEntry | None:
        """A letter's register entry, or None when it is not registered."""

    def register_rows(
        self, direction: str, year: int, *, office: str = "", limit: int | None = None,
        offset: int = 0,
    ) -> tuple[int, list[dict[str, Any]]]:
        """(how many, a page of) a register's letters not in the trash: incoming by arrival
        number, outgoing by date and number. Each row has the entry's fields (`document_id`,
        `direction`, `office`, `year`, `arrival_number`, `entry_date`, `unit`, `note`,
        `registered_by`, `updated_at`) and the letter's `reference`, `doc_type`, `issuer`,
        `issued_date`, `subject`, `signer_name`, `signer_title`, `distribution` (a list)."""

    def register_years(self, direction: str, *, office: str = "") -> list[int]:
        """The years a register has entries in, the latest first."""

    # -- accounts of the staff (passwords arrive already hashed) --------------------------------

    def set_user(self, username: str, password_hash: str, role: str = DEFAULT_ROLE) -> None:
        """Create an account with `role` (one of ROLES), or give an existing one this password
        hash (its role stays)."""

    def password_hash(self, username: str) -> str | None:
        """The account's password hash, or None if there is no such account."""

    def get_user(self, username: str) -> UserRecord | None:
        """The account (role, enabled, last login), or None."""

    def list_users(self) -> list[UserRecord]:
        """Every account, by name."""

    def set_role(self, username: str, role: str) -> bool:
        """Give an account one of ROLES (UsageError for another); False if there is no such
        account."""

    def set_enabled(self, username: str, enabled: bool) -> bool:
        """Enable or disable an account; disabling ends its sessions in the same transaction.
        False if there is no such account."""

    def record_login(self, username: str, at: str) -> None:
        """Remember an account's latest login (ISO time)."""

    # -- API tokens for scripts (kept by their SHA-256) ---------------------------------------

    def add_api_token(self, token_hash: str, username: str, created_at: str) -> None:
        """Remember a new API token of an account."""

    def api_token_user(self, token_hash: str, used_at: str) -> str | None:
        """The account this token belongs to (recording its use), or None if it is unknown or
        revoked. Whether the account is enabled is the caller's to check."""

    def revoke_api_tokens(self, username: str) -> int:
        """Revoke every API token of an account; how many."""

    # -- the audit log ---------------------------------------------------------------------------

    def audit(
        self,
        action: str,
        actor: str | None,
        target: str | None = None,
        detail: dict[str, Any] | None = None,
        *,
        address: str | None = None,
    ) -> None:
        """Append one entry to the audit log, stamped with the time: `action` what was done
        ("login", "upload", "correct" ...), `actor` who did it (an account, "cli:<os user>"
        for the command, None when unknown), `target` what it was done to (a letter's id, an
        account), `detail` a JSON-able dict, `address` the client's address."""

    def audit_entries(
        self, *, action: str | None = None, actor: str | None = None, limit: int = 50,
        offset: int = 0,
    ) -> tuple[int, list[AuditEntry]]:
        """(how many match, a page of them newest first) of the audit log, filtered by action
        and actor when given."""

    def iter_audit(
        self, *, action: str | None = None, actor: str | None = None
    ) -> Iterator[AuditEntry]:
        """Every matching audit entry, newest first (for the CSV export)."""

    def prune_audit(self, before: str) -> int:
        """Forget the audit entries older than `before` (ISO time); how many."""

    # -- sessions and login failures (webui.auth; times are epoch seconds) ----------------------

    def add_session(self, record: SessionRecord) -> None:
        """Remember a new session."""

    def get_session(self, token_hash: str) -> SessionRecord | None:
        """The session of this token hash, or None."""

    def touch_session(self, token_hash: str, last_seen: float) -> None:
        """Record a session's latest request."""

    def delete_session(self, token_hash: str) -> None:
        """End a session (logout)."""

    def delete_user_sessions(self, username: str) -> int:
        """End every session of an account (a disabled user, a changed password); how many."""

    def prune_sessions(self, now: float, idle_before: float) -> int:
        """Forget sessions past their lifetime or not seen since `idle_before`; how many."""

    def add_login_failure(
        self, address: str, username: str, failed_at: float, forget_before: float
    ) -> None:
        """Remember a failed login, and forget failures older than `forget_before`."""

    def login_failures_since(self, since: float, *, address: str, username: str) -> LoginFailures:
        """Failed logins since `since` from this address (any account) and for this account
        (any address)."""

    def clear_login_failures(self, username: str) -> None:
        """Forget an account's failed logins (after it logs in)."""


# -- records of the sessions and login failures section ------------------------------------


@dataclass(frozen=True)
class SessionRecord:
    """A signed-in session: who, from where, and until when (epoch seconds)."""

    token_hash: str
    username: str
    address: str | None
    created_at: float
    last_seen: float
    expires_at: float


@dataclass(frozen=True)
class Correction:
    """A field of a letter set by hand: its value (curation.corrections' shapes), who, when."""

    field: str
    value: Any
    actor: str
    at: str


@dataclass(frozen=True)
class FieldChange:
    """One change to a letter: a field corrected (old and new value) or a note added (field
    "note", the note's text as new)."""

    field: str
    old: Any
    new: Any
    actor: str
    at: str


TASK_DONE, TASK_OPEN = "done", "open"  # what staff may say of a task
# Below this similarity (rapidfuzz's ratio of the folded texts, 0-100) an edited task is taken
# for another task: its status is not carried over.
SAME_TASK_SIMILARITY = 60.0


def task_key(text: str) -> str:
    """A task's name within its letter, which its status is kept under: a digest of its words
    (folded, spaces collapsed), so a status follows the task when the list's order changes."""
    words = " ".join(fold(text).split())
    return hashlib.sha256(words.encode()).hexdigest()[:16]


def moved_task_keys(before: Sequence[str], after: Sequence[str],
                    kept: Iterable[str]) -> dict[str, str]:
    """For tasks whose text changed (a correction, a new extraction), the key each status in
    `kept` moves to: the most similar new task among those with a new text, ties to the one at
    the same place; a task deleted or rewritten beyond recognition keeps its status unmoved."""
    old_keys = [task_key(text) for text in before]
    new_keys = [task_key(text) for text in after]
    free = [i for i, key in enumerate(new_keys) if key not in old_keys]
    moves: dict[str, str] = {}
    for place, key in enumerate(old_keys):
        if key not in kept or key in new_keys or key in moves or not free:
            continue
        scores = {i: fuzz.ratio(fold(before[place]), fold(after[i])) for i in free}
        best = max(free, key=lambda i: (scores[i], -abs(i - place)))
        if scores[best] >= SAME_TASK_SIMILARITY:
            moves[key] = new_keys[best]
            free.remove(best)
    return moves


@dataclass(frozen=True)
class TaskStatus:
    """What staff said of one task: done or open again, who, when, with a note."""

    document_id: str
    task_key: str
    status: str
    note: str | None
    actor: str
    at: str


@dataclass(frozen=True)
class NoteRecord:
    """A note staff wrote on a letter."""

    id: str
    document_id: str
    text: str
    actor: str
    at: str


@dataclass(frozen=True)
class DuplicateFlag:
    """An archived letter a new one may duplicate: why (SAME_REFERENCE, SIMILAR_TEXT) and the
    estimated share of the texts in common (None when not compared)."""

    other_id: str
    reason: str
    similarity: float | None = None


# The two registers: letters received (đến) and sent (đi).
INCOMING, OUTGOING = "den", "di"
DIRECTIONS = (INCOMING, OUTGOING)


class ArrivalNumberTaken(ValueError):
    """An arrival number another letter of the same office and year already holds."""

    def __init__(self, number: int, holder: str) -> None:
        super().__init__(f"arrival number {number} is held by {holder}")
        self.number, self.holder = number, holder


@dataclass(frozen=True)
class RegisterEntry:
    """A letter's entry in a register (CatalogStore.register_letter)."""

    document_id: str
    direction: str  # INCOMING or OUTGOING
    office: str
    year: int
    arrival_number: int | None  # incoming letters only
    entry_date: str | None  # ISO: arrival date (incoming), date sent (outgoing)
    unit: str | None  # passed to (incoming); keeps the file copy (outgoing)
    note: str | None
    registered_by: str
    registered_at: str
    updated_by: str
    updated_at: str


@dataclass(frozen=True)
class LoginFailures:
    by_address: int
    by_account: int


# -- records of the accounts and audit sections ----------------------------------------------


@dataclass(frozen=True)
class UserRecord:
    """A staff account, without its password hash."""

    username: str
    role: str  # one of ROLES
    enabled: bool
    created_at: str
    last_login: str | None


@dataclass(frozen=True)
class AuditEntry:
    """One line of the audit log (see CatalogStore.audit)."""

    id: int
    at: str
    actor: str | None
    action: str
    target: str | None
    detail: dict[str, Any]
    address: str | None
