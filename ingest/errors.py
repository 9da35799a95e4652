"""Errors of congvan, each carrying the exit code the CLI maps it to.

Three families (after Aleph's ingest-file): our configuration (`UsageError`), the machine
(`MachineError`, e.g. Tesseract missing), and one input file (`FileError`). Only a `FileError`
skips the file and lets the batch go on; the others stop the run.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    SOME_FAILED = 1
    USAGE = 2
    MACHINE = 3


class CongvanError(Exception):
    """Base of every error we raise on purpose; `str()` is a message for the user."""

    exit_code = ExitCode.MACHINE


class UsageError(CongvanError):
    exit_code = ExitCode.USAGE


class MachineError(CongvanError):
    """This machine cannot do the work (a missing program, a full or read-only disk)."""

    exit_code = ExitCode.MACHINE


class OcrUnavailable(MachineError):
    pass


class ArchiveBusy(MachineError):
    pass


class ArchiveWriteError(MachineError):
    pass


class FileError(CongvanError):
    """One input file cannot be archived; the batch goes on without it."""

    exit_code = ExitCode.SOME_FAILED
    reason = "unreadable"  # short machine-readable kind, stored in the ingest log


class EmptyFile(FileError):
    reason = "empty-file"


class UnsupportedType(FileError):
    reason = "unsupported-type"


class CorruptFile(FileError):
    reason = "corrupt-file"


class CorruptPdf(CorruptFile):
    reason = "corrupt-pdf"


class CorruptImage(CorruptFile):
    reason = "corrupt-image"


class CorruptDocx(CorruptFile):
    reason = "corrupt-docx"


class EncryptedPdf(FileError):
    reason = "encrypted-pdf"


class ImageTooLarge(FileError):
    reason = "image-too-large"


class TooManyPages(FileError):
    reason = "too-many-pages"


class UndecodableText(FileError):
    reason = "undecodable-text"


class NoTextFound(FileError):
    reason = "no-text-found"


class OcrTimeout(FileError):
    reason = "ocr-timeout"


class ReadTimeout(FileError):
    reason = "read-timeout"


class Deadline(BaseException):
    """A time limit fired inside work that must stop now (raised from a SIGALRM handler).

    Not an `Exception`, as KeyboardInterrupt is not: the catch-alls of the code being timed
    (the extractor never raises; parsers wrap their many errors) must not swallow it and carry
    on without a limit. The one who set the limit turns it into `ReadTimeout`.
    """


def exit_code_for(error: BaseException) -> ExitCode:
    """The one place that maps an exception to the CLI's exit code."""
    if isinstance(error, CongvanError):
        return error.exit_code
    if isinstance(error, KeyboardInterrupt):
        return ExitCode.SOME_FAILED
    return ExitCode.MACHINE
