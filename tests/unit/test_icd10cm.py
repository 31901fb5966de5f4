"""ICD-10-CM: the database built from the real `simple-icd-10-cm` data, and its search."""

from __future__ import annotations

import stat
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.services.errors import DomainError
from app.terminology.build_icd10cm import build
from app.terminology.code_sets import PROJECT_ROOT, CodeSetUnavailable
from app.terminology.icd10cm import Icd10Catalog, Icd10Code


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """Built once per session over a file already there, which the build must replace."""
    out = tmp_path_factory.mktemp("terminology") / "icd10cm.sqlite"
    out.write_bytes(b"an older, broken file")
    return out, build(out)


@pytest.fixture(scope="session")
def catalog(built: tuple[Path, dict[str, str]]) -> Icd10Catalog:
    return Icd10Catalog(built[0])


def codes(hits: list[Icd10Code]) -> list[str]:
    return [hit.code for hit in hits]


def test_the_build_replaces_the_file_and_records_the_release(
    built: tuple[Path, dict[str, str]], catalog: Icd10Catalog
) -> None:
    path, meta = built
    assert meta["release"].startswith("ICD-10-CM 20")
    assert catalog.release == meta["release"]
    assert int(meta["billable_codes"]) > 70_000  # FY2026 has 74,719
    assert int(meta["codes"]) > int(meta["billable_codes"])  # categories too
    assert meta["built_at"].endswith("Z")
    assert stat.S_IMODE(path.stat().st_mode) == 0o644  # public data, not a private file
    assert list(path.parent.glob("*.tmp")) == []


def test_type_2_diabetes_lists_billable_e11_codes_first(catalog: Icd10Catalog) -> None:
    hits = catalog.search("type 2 diabetes")
    assert len(hits) == 25
    assert hits[0] == Icd10Code("E11.9", "Type 2 diabetes mellitus without complications", True)
    assert all(hit.code.startswith("E11") for hit in hits[:10])
    assert sum(hit.billable for hit in hits[:5]) >= 4  # the category E11 may sit among them


@pytest.mark.parametrize("typed", ["typ 2 diab", "Type 2 Diab", "t2dm", "dm 2"])
def test_words_match_as_prefixes_and_common_abbreviations(
    catalog: Icd10Catalog, typed: str
) -> None:
    hits = catalog.search(typed, 10)
    assert hits[0].code == "E11.9"
    assert all(hit.code.startswith("E11") for hit in hits)


@pytest.mark.parametrize("typed", ["E11.9", "e11.9", "E119", " e11.9 "])
def test_an_exact_code_comes_first_however_it_is_typed(catalog: Icd10Catalog, typed: str) -> None:
    expected = Icd10Code("E11.9", "Type 2 diabetes mellitus without complications", True)
    assert catalog.search(typed)[0] == expected
    assert catalog.get(typed) == expected
    assert catalog.is_billable(typed)


def test_a_category_is_not_billable_and_lists_its_children(catalog: Icd10Catalog) -> None:
    category = catalog.get("E11")
    assert category == Icd10Code("E11", "Type 2 diabetes mellitus", False)
    assert not catalog.is_billable("e11")
    hits = catalog.search("E11", 100)
    assert hits[0] == category
    assert all(hit.code.startswith("E11.") for hit in hits[1:])
    lengths = [len(hit.code) for hit in hits]
    assert lengths == sorted(lengths)  # the code, then its children, then theirs
    assert {"E11.0", "E11.8", "E11.9", "E11.A"} <= set(codes(hits[1:11]))
    assert "E11.65" in codes(hits)


def test_seventh_character_codes_and_unknown_codes(catalog: Icd10Catalog) -> None:
    fracture = catalog.get("s72001a")
    assert fracture is not None and fracture.code == "S72.001A" and fracture.billable
    assert catalog.get("Z99.999") is None
    assert not catalog.is_billable("Z99.999")
    assert not catalog.is_billable("")


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("high blood pressure", "I10"),  # an inclusion term of I10
        ("hypertension", "I10"),
        ("htn", "I10"),
        ("headache", "R51.9"),  # "Headache, unspecified" over "Hypnic headache"
        ("urinary tract infection", "N39.0"),  # "..., site not specified"
        ("copd", "J44.9"),
        ("left knee pain", "M25.562"),  # "Pain in left knee": word order does not matter
        ("b12 deficiency anemia", "D51.9"),
    ],
)
def test_the_code_a_clinician_means_comes_first(
    catalog: Icd10Catalog, typed: str, first: str
) -> None:
    assert catalog.search(typed)[0].code == first


def test_injury_codes_keep_initial_encounter_first(catalog: Icd10Catalog) -> None:
    hits = codes(catalog.search("sprain left ankle", 3))
    assert hits == ["S93.402A", "S93.402D", "S93.402S"]


def test_the_limit_is_respected(catalog: Icd10Catalog) -> None:
    assert len(catalog.search("pain", 5)) == 5
    assert catalog.search("pain", 0) == []


@pytest.mark.parametrize(
    "typed",
    ["", "   ", '"', "*", "()", ",,,.", '"unterminated', "a* OR b", "NEAR(a b)", "-", "AND",
     "NOT diabetes", "col:umn", "^", "\x00", "💊", "E", "E11.9.9.9", "ß"],
)  # fmt: skip
def test_odd_input_never_raises(catalog: Icd10Catalog, typed: str) -> None:
    hits = catalog.search(typed)
    assert all(isinstance(hit, Icd10Code) for hit in hits)
    assert catalog.get(typed) is None


def test_punctuation_alone_finds_nothing(catalog: Icd10Catalog) -> None:
    assert catalog.search('"*()') == []
    assert catalog.search("   ") == []


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_any_text_gives_a_list(catalog: Icd10Catalog, typed: str) -> None:
    assert isinstance(catalog.search(typed, 5), list)


def test_threads_each_search_safely(built: tuple[Path, dict[str, str]]) -> None:
    catalog = Icd10Catalog(built[0])
    expected = codes(catalog.search("chest pain"))
    start = threading.Barrier(4)

    def search_from_a_worker(_: int) -> list[str]:
        start.wait(timeout=30)
        return [code for _ in range(20) for code in codes(catalog.search("chest pain"))]

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(search_from_a_worker, range(4)))
    assert all(result == expected * 20 for result in results)
    catalog.close()  # closes the workers' connections too
    assert codes(catalog.search("chest pain")) == expected  # and a new one opens on demand
    catalog.close()


def test_a_missing_database_says_how_to_install_it() -> None:
    path = PROJECT_ROOT / "resources" / "terminology" / "absent-icd10cm.sqlite"
    with pytest.raises(CodeSetUnavailable) as caught:
        Icd10Catalog(path)
    assert isinstance(caught.value, DomainError)
    assert str(caught.value) == (
        "The ICD-10-CM code set is not installed on this computer "
        "(resources/terminology/absent-icd10cm.sqlite). "
        "Run `make terminology` or reinstall Stethos."
    )


def test_a_damaged_database_is_reported_not_crashed_on(tmp_path: Path) -> None:
    path = tmp_path / "icd10cm.sqlite"
    path.write_bytes(b"not a database at all" * 100)
    with pytest.raises(CodeSetUnavailable, match="damaged or out of date"):
        Icd10Catalog(path)
