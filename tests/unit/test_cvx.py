"""CVX vaccine codes: the shipped list and its reader."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.services.errors import DomainError
from app.terminology.code_sets import CodeSetUnavailable
from app.terminology.cvx import DEFAULT_CVX_FILE, CvxCatalog, Vaccine

HEADER = "code,short_description,full_name,status,trade_names\n"


@pytest.fixture(scope="module")
def cvx() -> CvxCatalog:
    return CvxCatalog()


def codes(vaccines: list[Vaccine]) -> list[str]:
    return [vaccine.code for vaccine in vaccines]


def test_the_shipped_list_cites_the_cdc_and_is_well_formed(cvx: CvxCatalog) -> None:
    first_line = DEFAULT_CVX_FILE.read_text("utf-8").splitlines()[0]
    assert first_line.startswith("#")
    assert "https://www2a.cdc.gov/vaccines/iis/iisstandards/vaccines.asp?rpt=cvx" in first_line
    everything = cvx.all()
    assert 40 <= len(everything) <= 70
    assert len(set(codes(everything))) == len(everything)
    assert all(v.code.isdigit() and len(v.code) in (2, 3) for v in everything)
    assert all(v.short_description and v.full_name for v in everything)
    # Unspecified formulations are only for recording past doses.
    assert not any(v.active for v in everything if "unspecified" in v.full_name)


def test_get_by_code_with_or_without_the_leading_zero(cvx: CvxCatalog) -> None:
    shingrix = cvx.get("187")
    assert shingrix is not None
    assert shingrix.short_description == "zoster, recombinant"
    assert shingrix.active and shingrix.trade_names == ("Shingrix",)
    assert cvx.get("3") == cvx.get("03") == cvx.get(" 03 ")
    mmr = cvx.get("03")
    assert mmr is not None and mmr.short_description == "MMR"
    assert cvx.get("998") is None
    assert cvx.get("") is None


def test_active_lists_only_vaccines_given_today(cvx: CvxCatalog) -> None:
    active = cvx.active()
    assert all(v.active for v in active)
    assert {"03", "115", "187", "216"} <= set(codes(active))
    assert "121" not in codes(active)  # zoster live: no longer available
    names = [v.short_description.casefold() for v in active]
    assert names == sorted(names)


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("shingles", "187"),
        ("Shingrix", "187"),
        ("zost", "187"),
        ("tdap", "115"),
        ("hep b adult", "43"),
        ("mmr", "03"),
        ("187", "187"),
        ("3", "03"),
    ],
)
def test_search_by_words_trade_names_and_codes(cvx: CvxCatalog, typed: str, first: str) -> None:
    assert codes(cvx.search(typed))[0] == first


def test_flu_finds_the_influenza_vaccines_first(cvx: CvxCatalog) -> None:
    hits = cvx.search("flu")
    influenza = [v for v in hits if "influenza" in v.short_description]
    assert len(influenza) >= 3
    assert hits[: len(influenza)] == influenza


def test_inactive_codes_only_when_asked_and_after_active_ones(cvx: CvxCatalog) -> None:
    assert codes(cvx.search("zoster")) == ["187"]
    with_history = codes(cvx.search("zoster", include_inactive=True))
    assert with_history[0] == "187"
    assert set(with_history) == {"187", "121", "188"}
    assert cvx.search("121") == []
    assert codes(cvx.search("121", include_inactive=True)) == ["121"]


@pytest.mark.parametrize("typed", ["", "   ", '"*()', "NEAR(a b)", "💉", "\x00"])
def test_odd_input_finds_nothing_and_never_raises(cvx: CvxCatalog, typed: str) -> None:
    assert cvx.search(typed, include_inactive=True) == []


def test_the_limit_is_respected(cvx: CvxCatalog) -> None:
    assert len(cvx.search("vaccine", 3, include_inactive=True)) == 3
    assert cvx.search("vaccine", 0) == []


def test_a_file_of_the_same_shape_is_read_with_comments_and_trade_names(tmp_path: Path) -> None:
    path = tmp_path / "cvx.csv"
    path.write_text(
        "# a comment line\n" + HEADER + '999,"odd, name",an odd vaccine,inactive,A; B ;\n'
        "42,z vaccine,the z vaccine,active,\n",
        "utf-8",
    )
    catalog = CvxCatalog(path)
    assert catalog.all() == [
        Vaccine("999", "odd, name", "an odd vaccine", False, ("A", "B")),
        Vaccine("42", "z vaccine", "the z vaccine", True, ()),
    ]
    assert codes(catalog.active()) == ["42"]


def test_a_missing_file_says_how_to_install_it(tmp_path: Path) -> None:
    with pytest.raises(CodeSetUnavailable) as caught:
        CvxCatalog(tmp_path / "cvx.csv")
    assert isinstance(caught.value, DomainError)
    assert "The CVX code set is not installed on this computer" in str(caught.value)
    assert "Run `make terminology` or reinstall Stethos." in str(caught.value)


@pytest.mark.parametrize(
    "content",
    [
        HEADER + "187,zoster,zoster vaccine,maybe,\n",  # unknown status
        HEADER + "abc,zoster,zoster vaccine,active,\n",  # not a code
        "code,name\n187,zoster\n",  # other columns
        "",  # empty
    ],
)
def test_a_damaged_file_is_reported(tmp_path: Path, content: str) -> None:
    path = tmp_path / "cvx.csv"
    path.write_text(content, "utf-8")
    with pytest.raises(CodeSetUnavailable, match="damaged or out of date"):
        CvxCatalog(path)
