"""The display helpers every page and the command line share."""

from __future__ import annotations

import pytest

from webui.formatting import reference_label, signing_block


@pytest.mark.parametrize(
    ("reference", "symbol", "shown"),
    [
        ("04/UBND-NCPC", "UBND-NCPC", "04/UBND-NCPC"),
        (None, "UBND-TH", "…/UBND-TH (chưa điền số)"),
        ("", "2025/QĐ-UBND", "…/2025/QĐ-UBND (chưa điền số)"),
        (None, "CV/ĐU", "…-CV/ĐU (chưa điền số)"),  # party shape: 85-CV/ĐU
        (None, None, ""),
        ("", "", ""),
    ],
)
def test_reference_label(reference: str | None, symbol: str | None, shown: str) -> None:
    assert reference_label(reference, symbol) == shown


@pytest.mark.parametrize(
    ("signer", "shown"),
    [
        ({"title": "Chủ tịch", "authority": "TM.", "on_behalf_of": "Ủy ban nhân dân",
          "authority_lines": ["TM. Ủy ban nhân dân"]}, "TM. Ủy ban nhân dân / Chủ tịch"),
        ({"title": "Phó Giám đốc", "authority": "KT.", "on_behalf_of": "Giám đốc",
          "authority_lines": ["KT. Giám đốc"]}, "KT. Giám đốc / Phó Giám đốc"),
        ({"title": "Giám đốc", "authority": "Q.", "on_behalf_of": None,
          "authority_lines": ["Q. Giám đốc"]}, "Q. Giám đốc"),
        ({"title": "Giám đốc", "authority": None, "on_behalf_of": None, "authority_lines": []},
         "Giám đốc"),
        # records extracted before authority_lines were kept
        ({"title": "Chủ tịch", "authority": "TM.", "on_behalf_of": "Ủy ban nhân dân"},
         "TM. Ủy ban nhân dân / Chủ tịch"),
        ({"title": "Chánh Văn phòng", "authority": "TL.", "on_behalf_of": "Chủ tịch"},
         "TL. Chủ tịch / Chánh Văn phòng"),
        ({"title": "Giám đốc", "authority": "Q.", "on_behalf_of": None}, "Q. Giám đốc"),
        ({"title": "Giám đốc", "authority": None}, "Giám đốc"),
        ({"name": "Trần Văn Bính", "title": None, "authority": None}, ""),
        (None, ""),
    ],
)
def test_signing_block(signer: dict | None, shown: str) -> None:
    assert signing_block(signer) == shown
