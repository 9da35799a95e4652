"""What a hostile folder must not get past ingest: links are never followed (named, in a folder,
in a watched folder), hidden files and READMEs are reported, archive files are private to their
owner, and names with control characters cannot forge output lines."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from ingest import Archive, ingest_paths, open_catalog
from ingest.store.staging import stage_file
from ingest.watch import FolderWatcher

from .conftest import SEEDS
from .test_pipeline import run_congvan

SECRET = "Mật khẩu máy chủ: không được lưu trữ\n"


@pytest.fixture
def linked_folder(tmp_path: Path) -> Path:
    """A folder with one real letter and links to things outside it: a letter, a secret file,
    /etc/shadow, a folder, and nowhere."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "letter.txt").write_bytes(SEEDS[1].read_bytes())
    (outside / "secret.txt").write_text(SECRET, encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "real.txt").write_bytes(SEEDS[0].read_bytes())
    (folder / "letter_link.txt").symlink_to(outside / "letter.txt")
    (folder / "secret.txt").symlink_to(outside / "secret.txt")
    (folder / "shadow.txt").symlink_to("/etc/shadow")
    (folder / "dangling.txt").symlink_to(folder / "nowhere")
    (folder / "sub").symlink_to(outside, target_is_directory=True)
    return folder


def archived_bytes(archive: Archive) -> list[bytes]:
    return [
        path.read_bytes()
        for area in (archive.originals, archive.quarantine, archive.staging)
        for path in area.rglob("*")
        if path.is_file()
    ]


# What an ingest of `linked_folder` reports: its one real letter archived, every link skipped.
LINKED_FOLDER_OUTCOMES = {
        "real.txt": ("archived", None),
        "letter_link.txt": ("skipped", "symlink"),
        "secret.txt": ("skipped", "symlink"),
        "shadow.txt": ("skipped", "symlink"),
        "dangling.txt": ("skipped", "symlink"),
        "sub": ("skipped", "symlink"),
}


def test_links_in_a_folder_are_skipped_not_followed(archive: Archive, linked_folder: Path) -> None:
    report = ingest_paths([linked_folder], archive, jobs=1)
    got = {Path(f.path).name: (f.outcome, f.reason) for f in report.files}
    assert got == LINKED_FOLDER_OUTCOMES
    assert report.summary()["skipped"] == 5 and report.summary()["failed"] == 0
    stored = archived_bytes(archive)
    assert stored == [SEEDS[0].read_bytes()]
    with open_catalog(archive.catalog_path) as catalog:
        assert catalog.stats()["documents"] == 1


def test_a_link_named_on_the_command_line_is_skipped(archive: Archive, linked_folder: Path
                                                     ) -> None:
    named = [linked_folder / "letter_link.txt", linked_folder / "sub", linked_folder / "shadow.txt"]
    report = ingest_paths(named, archive, jobs=1)
    assert [(f.outcome, f.reason) for f in report.files] == [("skipped", "symlink")] * 3
    assert all("link" in (f.error or "") for f in report.files)
    assert archived_bytes(archive) == []


def test_staging_refuses_a_link_swapped_in_after_listing(archive: Archive, tmp_path: Path
                                                         ) -> None:
    from ingest.store.staging import LinkNotFollowed

    link = tmp_path / "late.txt"
    link.symlink_to(SEEDS[2])
    with pytest.raises(LinkNotFollowed):
        stage_file(link, archive)
    assert not any(archive.staging.iterdir())


def test_hidden_files_and_readme_get_a_report_line(archive: Archive, tmp_path: Path) -> None:
    folder = tmp_path / "letters"
    (folder / ".git").mkdir(parents=True)
    (folder / ".git" / "config").write_bytes(SEEDS[2].read_bytes())
    (folder / ".DS_Store").write_bytes(b"\0\1junk")
    (folder / "README.md").write_text("# Thư mục văn bản\nBảng mô tả các tệp.\n")
    (folder / "letter.txt").write_bytes(SEEDS[4].read_bytes())
    report = ingest_paths([folder], archive, jobs=1)
    got = sorted((Path(f.path).name, f.outcome, f.reason) for f in report.files)
    assert got == [
        (".DS_Store", "skipped", "hidden"),
        (".git", "skipped", "hidden"),
        ("README.md", "skipped", "readme"),
        ("letter.txt", "archived", None),
    ]


def test_watch_skips_links_and_moves_them_to_failed(archive: Archive, linked_folder: Path
                                                    ) -> None:
    (linked_folder / ".partial.pdf").write_bytes(b"%PDF-1.4 still being written")
    watcher = FolderWatcher(linked_folder, archive, settle=0.0, jobs=1)
    first = {Path(o.path).name: (o.outcome, o.reason) for o in watcher.poll()}
    assert first == {**LINKED_FOLDER_OUTCOMES, ".partial.pdf": ("skipped", "hidden")}
    assert archived_bytes(archive) == [SEEDS[0].read_bytes()]
    assert (linked_folder / "failed" / "shadow.txt").is_symlink()
    assert (linked_folder / ".partial.pdf").is_file()  # a partial upload is left alone
    assert watcher.poll() == []  # and reported once


@pytest.mark.slow  # whole congvan processes: CI runs it, the fast loop does not
def test_cli_reports_skipped_files(tmp_path: Path, linked_folder: Path) -> None:
    archive_dir = str(tmp_path / "archive")
    as_json = run_congvan("ingest", str(linked_folder), "--archive", archive_dir, "--json")
    assert as_json.returncode == 0, as_json.stderr
    result = json.loads(as_json.stdout)
    assert result["summary"]["skipped"] == 5 and result["summary"]["archived"] == 1
    shadow = next(f for f in result["files"] if f["path"].endswith("shadow.txt"))
    assert (shadow["outcome"], shadow["reason"]) == ("skipped", "symlink")
    again = run_congvan("ingest", str(linked_folder), "--archive", archive_dir)
    assert again.returncode == 0, again.stderr
    assert "5 skipped: 5 symlink" in again.stderr


@pytest.fixture
def loose_umask():
    """The usual umask (022), under which files are created readable by everyone."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_archive_files_are_readable_by_their_owner_only(tmp_path: Path, engine: str,
                                                        loose_umask: None) -> None:
    from index import open_index, sync_index

    archive = Archive(tmp_path / "archive")
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"%PDF-1.4\n not a pdf at all")
    report = ingest_paths([SEEDS[0], junk], archive, jobs=1)
    assert [f.outcome for f in report.files] == ["archived", "failed"]
    with open_catalog(archive.catalog_path) as catalog:
        catalog.set_user("van-thu", "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA")
        sync_index(catalog, open_index(archive.index_dir, engine))
        # WAL and SHM exist while the catalog is open
        modes = {path: path.lstat().st_mode for path in [archive.root, *archive.root.rglob("*")]}
    paths = list(modes)
    names = {path.name for path in paths}
    assert {"catalog.sqlite3", "catalog.sqlite3-wal", "catalog.sqlite3-shm"} <= names
    assert any(archive.quarantine.rglob("*")) and any(archive.originals.rglob("*"))
    assert sum(1 for p in paths[1:] if "index" in p.relative_to(archive.root).parts[0]) > 3
    loose = [f"{path} {oct(mode & 0o777)}" for path, mode in modes.items() if mode & 0o077]
    assert loose == []


def test_an_archive_made_before_is_tightened(tmp_path: Path, loose_umask: None) -> None:
    archive = Archive(tmp_path / "archive")
    for folder in (archive.root, archive.originals):
        folder.mkdir(mode=0o755)
    archive.catalog_path.write_bytes(b"")
    archive.catalog_path.chmod(0o644)
    archive.create()
    for path in (archive.root, archive.originals, archive.staging, archive.catalog_path):
        assert path.stat().st_mode & 0o077 == 0, path


def test_a_catalog_file_that_sqlite_removes_meanwhile_is_no_error(tmp_path: Path,
                                                                   monkeypatch) -> None:
    """The catalog's -wal and -shm files go when the last connection closes: a server's request
    can close it while an upload's batch creates the archive (seen as a failed upload)."""
    archive = Archive(tmp_path / "archive")
    archive.create()
    gone = archive.root / f"{archive.catalog_path.name}-shm"  # listed, then removed
    listed = Path.glob
    monkeypatch.setattr(Path, "glob", lambda self, pattern: [*listed(self, pattern), gone])
    archive.create()


FORGING_NAME = "evil\nfailed    passwd: forged report line.txt"
ESCAPE_NAME = "red\x1b[31m\x1b]0;new window title\x07.txt"


@pytest.mark.slow  # whole congvan processes: CI runs it, the fast loop does not
def test_names_with_control_characters_cannot_forge_output(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / FORGING_NAME).write_bytes(SEEDS[0].read_bytes())
    (folder / ESCAPE_NAME).write_bytes(SEEDS[1].read_bytes())
    (folder / "bad\nok.pdf").write_bytes(b"%PDF-1.4\n junk")
    archive_dir = str(tmp_path / "archive")

    plain = run_congvan("ingest", str(folder), "--archive", archive_dir)
    assert plain.returncode == 1, plain.stderr
    assert "\x1b" not in plain.stderr and "\x07" not in plain.stderr
    lines = plain.stderr.splitlines()
    assert not [line for line in lines if line.startswith(("failed    passwd", "ok.pdf"))]
    assert any("evil\\nfailed    passwd" in line for line in lines)  # shown, escaped

    as_json = run_congvan("ingest", str(folder), "--archive", archive_dir, "--json")
    files = {f["path"]: f for f in json.loads(as_json.stdout)["files"]}
    assert str(folder / FORGING_NAME) in files and str(folder / ESCAPE_NAME) in files  # exact
    for name in (FORGING_NAME, ESCAPE_NAME):
        shown = run_congvan("show", files[str(folder / name)]["document_id"],
                            "--archive", archive_dir)
        assert shown.returncode == 0, shown.stderr
        assert "\x1b" not in shown.stdout and "\x07" not in shown.stdout
        filename_line = next(line for line in shown.stdout.splitlines()
                             if line.startswith("filename"))
        assert filename_line.split(None, 1)[1] == name.encode("unicode_escape").decode()


@pytest.mark.slow  # whole congvan processes: CI runs it, the fast loop does not
def test_csv_export_neutralises_formulas(tmp_path: Path) -> None:
    import csv
    import io

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "=1+2.txt").write_bytes(SEEDS[2].read_bytes())
    (folder / "@SUM(A1).txt").write_bytes(SEEDS[3].read_bytes())
    archive_dir = str(tmp_path / "archive")
    assert run_congvan("ingest", str(folder), "--archive", archive_dir).returncode == 0
    exported = run_congvan("export", "--archive", archive_dir, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(exported.stdout)))
    assert sorted(row["filename"] for row in rows) == ["'=1+2.txt", "'@SUM(A1).txt"]
    for row in rows:
        assert not any(value[:1] in ("=", "+", "-", "@") for value in row.values())
