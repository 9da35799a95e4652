"""A generated folder of hostile files mixed with good letters, each with the outcome it must get.

Used by the batch suite (tests/test_hostile_batch.py): every good letter must be archived, every
bad file named with a reason, and nothing may crash the batch or take unbounded time or memory.
"""

from __future__ import annotations

import gzip
import io
import os
import random
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from PIL import Image
from pypdf import PdfWriter

from .conftest import SEEDS


@dataclass
class Case:
    path: Path
    expect: str  # "archived", "failed" or "skipped"
    kind: str  # what the file is, for messages


def _text_pdf(text: str, pages: int = 1) -> bytes:
    """A minimal valid PDF with a text layer, written by hand (Helvetica, ASCII text only)."""
    safe = text.encode("ascii", "replace").decode().replace("(", "[").replace(")", "]")
    objects = ["<< /Type /Catalog /Pages 2 0 R >>"]
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(pages))
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>")
    font_id = 3 + 2 * pages
    lines = [line[:90] for line in safe.splitlines()[:40]]
    shown = " Tj 0 -14 Td ".join(f"({line})" for line in lines)
    for i in range(pages):
        stream = f"BT /F1 11 Tf 72 770 Td {shown} Tj 0 -14 Td (trang {i + 1}) Tj ET"
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {4 + 2 * i} 0 R "
            f"/Resources << /Font << /F1 {font_id} 0 R >> >> >>"
        )
        objects.append(f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream")
    objects.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    return _assemble_pdf(objects)


def _assemble_pdf(objects: list[str]) -> bytes:
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n".encode())
    out.write(f"startxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def _pdf_bomb() -> bytes:
    """A one-page PDF whose content stream inflates from ~1 MiB to 1 GiB of zeros."""
    compressor = zlib.compressobj(9)
    chunk = b"\0" * (1 << 20)
    deflated = b"".join(compressor.compress(chunk) for _ in range(1024)) + compressor.flush()
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
    ]
    # latin-1 round-trips every byte, so the binary stream can travel inside a str.
    body = f"<< /Length {len(deflated)} /Filter /FlateDecode >>\nstream\n"
    stream_obj = body + deflated.decode("latin-1") + "\nendstream"
    return _assemble_pdf([*objects, stream_obj])


def _encrypted_pdf(text: str) -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(_text_pdf(text)))
    writer.encrypt(user_password="secret", owner_password="owner")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("1", (width, height), 1).save(out, format="PNG", optimize=True)
    return out.getvalue()


def _docx_like_zip_without_document() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("hello.txt", "not a word document")
    return out.getvalue()


TEXT_LAYER_LETTER = """UY BAN NHAN DAN TINH NGHE AN
So: 12/UBND-VX
Nghe An, ngay 05 thang 3 nam 2024
V/v phong chong bao lu nam 2024
Kinh gui: Uy ban nhan dan cac huyen, thanh pho.
Uy ban nhan dan tinh de nghi cac dia phuong chu dong phong chong bao lu.
Noi nhan:
- Nhu tren;
- Luu: VT, VX.
"""


def build_hostile_folder(root: Path, seed: int = 7) -> list[Case]:
    """Write >= 100 hostile files and the good letters among them; return every case."""
    rng = random.Random(seed)
    cases: list[Case] = []

    def put(relative: str, data: bytes, expect: str, kind: str) -> Path:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        cases.append(Case(path, expect, kind))
        return path

    letters = [seed_path.read_text(encoding="utf-8") for seed_path in SEEDS]
    for i, text in enumerate(letters):
        put(f"good/seed_{i}.txt", text.encode(), "archived", "good letter")
        put(f"good/misnamed_{i}.pdf", f"{text}\n({i})".encode(), "archived", "text named .pdf")
    put("good/utf16.txt", letters[1].encode("utf-16"), "archived", "UTF-16 with BOM")
    put(
        "good/text_layer.dat",
        _text_pdf(TEXT_LAYER_LETTER),
        "archived",
        "PDF named .dat",
    )
    deep = "/".join(f"level{d}" for d in range(40))
    put(
        f"nested/{deep}/deep_letter.txt",
        letters[3].encode() + b"\n(deep)",
        "archived",
        "deeply nested letter",
    )

    valid_pdf = _text_pdf("Ke hoach so 50/KH-UBND ngay 17/02/2022", pages=3)
    for i in range(15):
        cut = rng.randrange(20, len(valid_pdf) - 40)
        put(f"bad/truncated_{i}.pdf", valid_pdf[:cut], "failed", "truncated PDF")
    for i in range(15):
        junk = bytes(rng.randrange(256) for _ in range(rng.randrange(200, 4000)))
        put(f"bad/corrupt_{i}.pdf", b"%PDF-1.7\n" + junk, "failed", "corrupt PDF")
    for i in range(6):
        put(f"bad/encrypted_{i}.pdf", _encrypted_pdf(f"mat {i}"), "failed", "encrypted PDF")
    for i, name in enumerate(["a.txt", "b.pdf", "c.png", "d.docx", "e", "f.tif"]):
        put(f"bad/empty_{i}_{name}", b"", "failed", "zero bytes")
    for i in range(3):
        put(f"bad/whitespace_{i}.txt", b" \n\t\r\n" * (i + 1), "failed", "only whitespace")
    for i in range(26):
        junk = bytes(rng.randrange(256) for _ in range(rng.randrange(64, 20000)))
        put(
            f"bad/junk_{i}.{rng.choice(['txt', 'pdf', 'png', 'jpg', 'docx', 'bin'])}",
            junk,
            "failed",
            "binary junk",
        )
    put("bad/bomb.pdf", _pdf_bomb(), "failed", "PDF bomb")
    put("bad/huge_20k.png", _png(20000, 20000), "failed", "20k x 20k image")
    put("bad/huge_wide.png", _png(60000, 8000), "failed", "decompression-bomb image")
    put("bad/truncated.png", _png(800, 600)[:200], "failed", "truncated PNG")
    put("bad/truncated.jpg", b"\xff\xd8\xff\xe0" + os.urandom(300), "failed", "corrupt JPEG")
    put("bad/not_really.docx", _docx_like_zip_without_document(), "failed", "zip, not DOCX")
    put("bad/archive.gz", gzip.compress(letters[0].encode()), "failed", "gzip file")
    put("bad/program.elf", Path("/bin/true").read_bytes()[:50000], "failed", "ELF binary")
    put("bad/pages_500.pdf", _text_pdf("trang", pages=500), "failed", "500-page PDF")
    for i in range(8):
        put(f"bad/null_bytes_{i}.txt", b"\0" * (100 * (i + 1)), "failed", "NUL bytes")
    for i in range(10):
        put(f"bad/tiny_{i}.txt", bytes([rng.randrange(128, 256)]), "failed", "one stray byte")

    # Links are never followed, wherever they point: each is reported as skipped.
    outside = root.parent / f"{root.name}-outside"
    outside.mkdir(parents=True, exist_ok=True)
    (outside / "letter.txt").write_text(letters[2] + "\n(outside)", encoding="utf-8")
    links = {
        "broken_link.txt": root / "links" / "does-not-exist",
        "loop": root / "links",  # a folder link: never loops
        "passwd.txt": Path("/etc/passwd"),
        "outside_letter.txt": outside / "letter.txt",
    }
    for name, target in links.items():
        link = root / "links" / name
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(target)
        cases.append(Case(link, "skipped", f"symlink to {target.name}"))
    put("links/.hidden_letter.txt", letters[0].encode() + b"\n(hidden)", "skipped", "dot-file")
    put("links/README.txt", letters[0].encode() + b"\n(readme)", "skipped", "folder README")
    return cases
