"""The query language: what parses into what, and the clear errors for malformed queries."""

from __future__ import annotations

import pytest

from index import QUERY_HELP, QueryError, filter_for, parse_query
from index.whoosh.queries import build_plan
from ingest.errors import UsageError


def kinds(text: str) -> list[list[tuple[str, str, str | None]]]:
    return [[(c.kind, c.text, c.field) for c in g] for g in parse_query(text).groups]


def test_words_are_separate_required_groups():
    assert kinds("lua dao  zalo") == [
        [("word", "lua", None)], [("word", "dao", None)], [("word", "zalo", None)]
    ]


def test_phrase_or_and_exclusion():
    parsed = parse_query('"cắt ghép" deepfake OR zalo -facebook')
    assert kinds(parsed.raw) == [
        [("phrase", "cắt ghép", None)],
        [("word", "deepfake", None), ("word", "zalo", None)],
    ]
    assert [(c.text, c.negated) for c in parsed.negatives] == [("facebook", True)]


def test_fuzzy_word():
    assert [(c.kind, c.text, c.fuzz) for g in parse_query("tong tein~ lua~2").groups
            for c in g] == [("word", "tong", 0), ("fuzzy", "tein", 1), ("fuzzy", "lua", 2)]


@pytest.mark.parametrize(
    ("query", "field", "value"),
    [
        ("so:139/CĐ-TTg", "so", "139/cd-ttg"),
        ("so:139/CD-TTg", "so", "139/cd-ttg"),
        ('so:"139 cd ttg"', "so", "139/cd-ttg"),
        ("trichdan:139/cđ-ttg", "trichdan", "139/cd-ttg"),
        ("loai:ke-hoach", "loai", "ke-hoach"),
        ('loai:"Kế hoạch"', "loai", "ke-hoach"),
        ('coquan:"cong an"', "coquan", "cong an"),
        ('tinh:"Lâm Đồng"', "tinh", "lam-dong"),
        ("tinh:hue", "tinh", "hue"),
        ("nam:2024", "nam", "2024"),
        ('giao:"cong an tinh"', "giao", "cong an tinh"),
        ("NGUOIKY:Hà", "nguoiky", "Hà"),
        ("kiemtra:co", "kiemtra", "co"),
        ("kiemtra:Có", "kiemtra", "co"),
        ('kiemtra:"không"', "kiemtra", "khong"),
    ],
)
def test_field_filters(query, field, value):
    assert kinds(query) == [[("field", value, field)]]


def test_date_range_in_either_spelling():
    parsed = parse_query("tu:2024-01-01 den:30/06/2024")
    assert (parsed.date_from, parsed.date_to) == ("2024-01-01", "2024-06-30")
    parsed = parse_query("tu:2024 den:2024-06")
    assert (parsed.date_from, parsed.date_to) == ("2024", "2024-06-99")


def test_url_is_not_taken_for_a_field():
    assert kinds("https://khonggianmang.vn") == [[("word", "https://khonggianmang.vn", None)]]


@pytest.mark.parametrize(
    "query",
    [
        '"',
        ' - "',
        "so:",
        'coquan:""',
        "so:abc",
        "nam:24",
        "tu:2024-13-01",
        "den:31/02/2024",
        "tu:2024-06-30 den:2024-01-01",
        "OR zalo",
        "zalo OR",
        "zalo OR OR facebook",
        "zalo OR -facebook",
        "- zalo",
        "sokyhieu:139",
        '"..."',
        "... ;",
        "-tu:2024",
        '"cắt ghép"~2',
        "kiemtra:roi",
    ],
)
def test_malformed_queries_raise_a_clear_error(query):
    with pytest.raises(QueryError) as caught:
        build_plan(parse_query(query))
    assert isinstance(caught.value, UsageError)
    assert str(caught.value)  # a message for the user, in Vietnamese


@pytest.mark.parametrize(
    ("query", "groups", "searched"),
    [
        ('"dong thap', [[("phrase", "dong thap", None)]], '"dong thap"'),
        ('lua "dao', [[("word", "lua", None)], [("phrase", "dao", None)]], 'lua "dao"'),
        ('coquan:"ubnd', [[("field", "ubnd", "coquan")]], 'coquan:"ubnd"'),
        ('"cắt ghép" zalo "tống tiền',
         [[("phrase", "cắt ghép", None)], [("word", "zalo", None)],
          [("phrase", "tống tiền", None)]], '"cắt ghép" zalo "tống tiền"'),
        ('dong thap "', [[("word", "dong", None)], [("word", "thap", None)]], "dong thap"),
    ],
)
def test_a_quote_left_open_is_closed_at_the_end_with_a_notice(query, groups, searched):
    parsed = parse_query(query)
    assert kinds(query) == groups
    assert parsed.notice == "Thiếu dấu ngoặc kép đóng: đã tìm như thể có dấu đóng ở cuối."
    assert parsed.searched == searched
    build_plan(parsed)
    again = parse_query(searched)  # what the page links to searches the same, without notice
    assert again.notice is None and kinds(searched) == groups


def test_balanced_quotes_carry_no_notice():
    assert parse_query('"cắt ghép" coquan:"cong an"').notice is None


def test_empty_query_matches_everything():
    assert type(build_plan(parse_query("  ")).query).__name__ == "Every"


def test_a_number_query_asks_for_the_document_and_its_citers():
    plan = build_plan(parse_query("139 cd ttg"))
    assert plan.number_key == "139/cd-ttg"
    text = repr(plan.query)
    assert "Term('ref_key', '139/cd-ttg'" in text and "Term('cites', '139/cd-ttg'" in text


def test_plain_words_are_not_taken_for_a_number():
    assert build_plan(parse_query("lua dao 2024")).number_key is None


def test_accented_words_add_exact_terms_for_ranking_only():
    text = repr(build_plan(parse_query("hoà bình")).query)
    assert "AndMaybe" in text and "Term('exact', 'hòa'" in text


def test_filter_for_facets_round_trips():
    assert filter_for("year", "2024") == "nam:2024"
    assert filter_for("doc_type", "Kế hoạch") == "loai:ke-hoach"
    assert filter_for("province", "Đắk Nông") == "tinh:dak-nong"
    assert kinds(filter_for("issuer", "Công an tỉnh Lạng Sơn")) == [
        [("field", "Công an tỉnh Lạng Sơn", "coquan")]
    ]


@pytest.mark.parametrize(("example", "_meaning"), QUERY_HELP)
def test_every_help_example_parses(example, _meaning):
    build_plan(parse_query(example))
