"""Legacy Vietnamese encodings (TCVN3, VNI, Windows-1258) and mojibake become Unicode NFC;
ordinary text is never touched."""

from __future__ import annotations

import subprocess
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.reading.reading import read_document
from ingest.reading.textfile import decode_text
from ingest.repair.legacy import (
    TCVN3,
    VNI,
    decode_legacy,
    detect_legacy,
    is_vietnamese_syllable,
    repair_text,
)
from tests.conftest import SEEDS

MUONG_TE = next(path for path in SEEDS if path.name.startswith("002_"))
TONES = "\u0300\u0301\u0303\u0309\u0323"


def iconv(data: bytes, source: str, target: str) -> bytes:
    """glibc's iconv; with //IGNORE it exits 1 after dropping characters, which we accept."""
    done = subprocess.run(["iconv", "-f", source, "-t", target], input=data, capture_output=True)
    assert done.returncode == 0 or target.endswith("//IGNORE"), done.stderr
    return done.stdout


def to_tcvn3(text: str) -> bytes:
    """The text in TCVN3 bytes; characters TCVN3 lacks (curly quotes, dashes) are dropped."""
    return iconv(text.encode("utf-8"), "UTF-8", "TCVN5712-1//IGNORE")


def seed_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("byte", range(0x80, 0x100))
def test_tcvn3_table_matches_glibc_iconv(byte: int) -> None:
    expected = iconv(bytes([byte]), "TCVN5712-1", "UTF-8").decode("utf-8")
    as_latin1 = bytes([byte]).decode("latin-1")
    assert decode_legacy(as_latin1, TCVN3) == unicodedata.normalize("NFC", expected)
    as_cp1252 = bytes([byte]).decode("cp1252", errors="ignore")
    if as_cp1252:
        assert decode_legacy(as_cp1252, TCVN3) == unicodedata.normalize("NFC", expected)


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_tcvn3_file_of_each_seed_decodes_to_the_seed(seed: Path) -> None:
    legacy = to_tcvn3(seed_text(seed))
    glibc = unicodedata.normalize("NFC", iconv(legacy, "TCVN5712-1", "UTF-8").decode("utf-8"))
    assert decode_text(legacy).text == glibc
    assert len(glibc) > 0.98 * len(seed_text(seed))


def test_tcvn3_header_as_seen_in_old_letters() -> None:
    assert repair_text("Céng hoµ x· héi chñ nghÜa ViÖt Nam") == "Cộng hoà xã hội chủ nghĩa Việt Nam"
    assert repair_text("Uû ban nh©n d©n tØnh §ång Th¸p") == "Uỷ ban nhân dân tỉnh Đồng Tháp"


@pytest.mark.parametrize(
    ("vni", "unicode"),
    [
        ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
        ("Ñoäc laäp - Töï do - Haïnh phuùc", "Độc lập - Tự do - Hạnh phúc"),
        ("COÄNG HOØA XAÕ HOÄI CHUÛ NGHÓA VIEÄT NAM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        ("Tröôøng ñaïi hoïc ñöôïc thaønh laäp", "Trường đại học được thành lập"),
        ("Kính göûi: UÛy ban nhaân daân caùc xaõ", "Kính gửi: Ủy ban nhân dân các xã"),
    ],
)
def test_vni_text_file_is_converted(tmp_path: Path, vni: str, unicode: str) -> None:
    path = tmp_path / "vni.txt"
    path.write_bytes(vni.encode("cp1252"))
    assert read_document(path).pages[0].text == unicode
    assert detect_legacy(vni) == VNI


def test_windows_1258_file_is_decoded(tmp_path: Path) -> None:
    text = seed_text(MUONG_TE)
    tones_apart = "".join(  # Windows-1258 keeps ă â ê ô ơ ư đ whole and writes tones apart
        unicodedata.normalize("NFC", "".join(c for c in d if c not in TONES))
        + "".join(c for c in d if c in TONES)
        for d in (unicodedata.normalize("NFD", ch) for ch in text)
    )
    path = tmp_path / "cp1258.txt"
    path.write_bytes(tones_apart.encode("cp1258"))
    assert read_document(path).pages[0].text == text


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_unicode_seeds_are_left_alone(seed: Path) -> None:
    text = seed_text(seed)
    assert detect_legacy(text) is None
    assert repair_text(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "Le café est très bon. L'été à Paris, naïve élève, où est la forêt?",
        "Äpfel und Öl für die Brücke; Straße über München.",
        "Plain English text with no accents at all, 123/UBND-VP.",
        "Tháng 02 năm 2025, Mường Tè là một huyện của tỉnh Lai Châu.",
    ],
)
def test_other_languages_are_left_alone(text: str) -> None:
    assert repair_text(text) == text


def test_utf8_read_as_windows_1252_is_repaired() -> None:
    text = seed_text(MUONG_TE)
    mojibake = text.encode("utf-8").decode("cp1252", errors="ignore")  # loses C4 90 (Đ) etc.
    repaired = repair_text(mojibake)
    assert "Äá»" not in repaired
    assert repair_text("Äá»“ng ThÃ¡p") == "Đồng Tháp"
    whole = text.encode("utf-8").decode("latin-1")
    assert repair_text(whole) == text


def test_mojibake_file_is_repaired(tmp_path: Path) -> None:
    text = "Ủy ban nhân dân tỉnh Đồng Tháp đề nghị các cơ quan"
    path = tmp_path / "double.txt"
    path.write_bytes(text.encode("utf-8").decode("latin-1").encode("utf-8"))
    assert read_document(path).pages[0].text == text


@pytest.mark.parametrize("word", ["Nghiêng", "được", "khuya", "Quyết", "giữ", "Trường", "oan"])
def test_vietnamese_syllables_are_recognised(word: str) -> None:
    assert is_vietnamese_syllable(word)


@pytest.mark.parametrize("word", ["café", "ộtộ", "Straße", "hoàá", "xyz", "trốs"])
def test_non_syllables_are_rejected(word: str) -> None:
    assert not is_vietnamese_syllable(word)


_MOJIBAKE_ALPHABET = sorted(
    set("€œŠš¢£Ÿž\xa0\xad®©°·»–—´×²³ØÙà√±∂†≠™≤≥¥µø≈‚ÄìîïòôúùûπâóäêвЂВГРСўβΆΒΓΞΟā¹¼½¾Œ")
    | set("\x80\x9f¦¤¨¬¯¸ƒˆˇ˘˛˜‡‰⌐◊\ufffdªº¶§¢£¥₧€¡«¿©΄΅‘‚“„•‹\uf8ff®»˝”›™")
    | set("ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝĂĐàáâãèéêìíòóôõùúýăđÞΑΩαωЁЯаџ│┌═╬▀▓ßñÑ")
    | set("abcxyzAZQ .,?!\n\t\u2003ạươỳ0")
)


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=st.sampled_from(_MOJIBAKE_ALPHABET), max_size=12))
def test_the_anchored_mojibake_test_answers_as_ftfys(text: str) -> None:
    """ftfy's badness regex anchored on the characters outside ASCII that each of its
    alternatives needs finds mojibake exactly where ftfy's own does (issue 15: a letter's
    ~1 ms of ftfy's test became ~0.2 ms)."""
    from ftfy.badness import is_bad

    from ingest.repair.legacy import looks_like_mojibake

    assert looks_like_mojibake(text) == is_bad(text)


def test_a_clean_letter_is_not_handed_to_ftfy_and_mojibake_still_is(monkeypatch) -> None:
    """ftfy leaves a text its badness test passes as it is; that test is ours, faster, so a
    clean letter never reaches ftfy (its regex was tried at every character: 7% of the
    recipe's CPU, issue 15), while mojibake is still repaired by it."""
    import ftfy

    from ingest.repair import legacy

    text = MUONG_TE.read_text(encoding="utf-8")
    original = "Đồng Tháp, ngày 06 tháng 01 năm 2025"
    mojibake = original.encode("utf-8").decode("latin-1")
    fixed = repair_text(mojibake)
    assert fixed == original
    handed: list[str] = []
    plain = ftfy.fix_encoding

    def spied(text: str, *args, **kwargs):  # type: ignore[no-untyped-def]
        handed.append(text)
        return plain(text, *args, **kwargs)

    monkeypatch.setattr(legacy.ftfy, "fix_encoding", spied)
    assert repair_text(text) == unicodedata.normalize("NFC", text) and handed == []
    assert repair_text(mojibake) == fixed and handed == [mojibake]
