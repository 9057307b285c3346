"""Fuzzing (hypothesis) of every parser, the theme validator and the staff-CSV validator.

Inputs are good fixtures damaged at random (cut, bytes flipped, a line or a cell replaced,
text inserted) and plain random bytes. Whatever comes in, the code under test never raises
anything but its own error, and that error is a message a person can act on: it names the
file, is not empty, not a Python traceback or a bare internal exception.

50 examples per test, the same on every run; MMMETER_FUZZ_EXAMPLES=2000 searches deeper
with fresh random examples.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from data import staff
from data.catalog import load_catalog
from data.errors import SourceError
from data.formats import RawFile, format_function
from layouts.themes.checks import References
from layouts.themes.loader import load_theme_file
from tests.conftest import FIXTURES, REPO_ROOT

CATALOG = load_catalog(REPO_ROOT / "data" / "catalog.yaml")
EXAMPLES = int(os.environ.get("MMMETER_FUZZ_EXAMPLES", "50"))  # more: a deeper, random search
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=EXAMPLES == 50,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
INTERNAL = re.compile(
    r"Traceback|\b(KeyError|IndexError|AttributeError|NoneType|UnboundLocalError)\b"
)

# (dataset of the catalog, role of the damaged file, fixture, other files of the dataset)
SEWAGE_LOOKUPS = {"plants": "rivm/rwzi_per_gmcode.csv", "plant_names": "rivm/rwzi_awzi.csv"}
PARSER_INPUTS = [
    ("rivm_cases", "main", "rivm/cases_live_2022.csv", {}),
    ("rivm_cases", "main", "rivm/cases_2020_layout.csv", {}),
    ("rivm_hospital", "main", "rivm/hospital.csv", {}),
    ("rivm_sewage", "main", "rivm/sewage_v2.csv", SEWAGE_LOOKUPS),
    ("rivm_sewage", "plants", "rivm/rwzi_per_gmcode.csv", {"main": "rivm/sewage_v2.csv"}),
    ("rivm_vaccination", "main", "rivm/vaccination.csv", {}),
    ("cbs_regional_key_figures", "main", "cbs/70072NED_typed.csv", {}),
    ("cbs_regional_key_figures", "main", "cbs/70072NED_odata.json", {}),
    ("cbs_wijk_2021", "main", "cbs/kwb_wijk_dbf.csv", {}),
    ("cbs_population_2022", "main", "cbs/population_gm_vws.csv", {}),
    ("cbs_kwb_2024", "main", "cbs/kwb_statline_typed.csv", {}),
    ("cbs_kwb_2024", "main", "cbs/kwb_85984NED_odata.json", {}),
    ("geo_gemeenten", "main", "geo/gemeenten_statcode.geojson", {}),
    ("geo_gemeenten", "main", "geo/nl-gm.topo.json", {}),
    ("geo_wijken", "main", "geo/wijken_pdok_wijkenbuurten.geojson", {}),
]


@st.composite
def damaged(draw, good: bytes) -> bytes:
    """`good` damaged in one or two random ways, or random bytes."""
    data = good
    for _ in range(draw(st.integers(1, 2))):
        how = draw(st.sampled_from(["cut", "flip", "line", "cell", "insert", "random"]))
        if how == "random":
            return draw(st.binary(max_size=300))
        position = draw(st.integers(0, max(len(data) - 1, 0)))
        if how == "cut":
            data = data[:position]
        elif how == "flip" and data:
            data = data[:position] + bytes([draw(st.integers(0, 255))]) + data[position + 1 :]
        elif how == "insert":
            junk = draw(st.one_of(st.binary(max_size=20), st.text(max_size=20).map(str.encode)))
            data = data[:position] + junk + data[position:]
        elif how in ("line", "cell"):
            lines = data.split(b"\n")
            i = draw(st.integers(0, len(lines) - 1))
            text = draw(st.text(max_size=30)).encode("utf-8", "surrogatepass")
            if how == "line":
                lines[i] = text
            else:
                cells = re.split(rb"([;,:])", lines[i])
                j = draw(st.integers(0, len(cells) - 1))
                cells[j] = text
                lines[i] = b"".join(cells)
            data = b"\n".join(lines)
    return data


def assert_actionable(message: str, names: tuple[str, ...]) -> None:
    assert message.strip(), "an empty message"
    assert any(name in message for name in names), f"the message names no file: {message}"
    assert not INTERNAL.search(message), f"an internal error leaked: {message}"
    assert len(message) < 3000, f"a message too long to read ({len(message)} characters)"


def _files(role: str, content: bytes, others: dict[str, str]) -> dict[str, list[RawFile]]:
    files = {role: [RawFile(role, "damaged.file", content)]}
    for other_role, fixture in others.items():
        files[other_role] = [RawFile(other_role, fixture, (FIXTURES / fixture).read_bytes())]
    return files


def _fuzz_parser(dataset_id: str, role: str, fixture: str, others: dict[str, str]):
    dataset = CATALOG.datasets[dataset_id]
    parse = format_function(dataset.format)
    good = (FIXTURES / fixture).read_bytes()

    @FUZZ
    @given(content=damaged(good))
    def run(content):
        try:
            parse(_files(role, content, others), dataset)
        except SourceError as exc:
            assert_actionable(str(exc), ("damaged.file", dataset_id, *others.values()))

    run()


def test_every_catalog_format_is_fuzzed():
    fuzzed = {CATALOG.datasets[d].format for d, *_ in PARSER_INPUTS}
    assert fuzzed == {d.format for d in CATALOG.datasets.values()}


def test_fuzz_rivm_cases():
    for case in PARSER_INPUTS[:2]:
        _fuzz_parser(*case)


def test_fuzz_rivm_hospital():
    _fuzz_parser(*PARSER_INPUTS[2])


def test_fuzz_rivm_sewage_and_its_plant_lookup():
    for case in PARSER_INPUTS[3:5]:
        _fuzz_parser(*case)


def test_fuzz_rivm_vaccination():
    _fuzz_parser(*PARSER_INPUTS[5])


def test_fuzz_cbs_regional_key_figures_csv_and_odata():
    for case in PARSER_INPUTS[6:8]:
        _fuzz_parser(*case)


def test_fuzz_cbs_wijk_and_buurt_figures():
    for case in PARSER_INPUTS[8:9] + PARSER_INPUTS[10:12]:
        _fuzz_parser(*case)


def test_fuzz_cbs_population():
    _fuzz_parser(*PARSER_INPUTS[9])


def test_fuzz_geojson_and_topojson_boundaries():
    for case in PARSER_INPUTS[12:]:
        _fuzz_parser(*case)


# ------------------------------------------------------------------------------------------
# theme files

THEMES = sorted((REPO_ROOT / "layouts" / "themes").glob("*.yaml"))
REFS = References(CATALOG)


@FUZZ
@given(data=st.data())
def test_fuzz_theme_validator_reports_problems_and_never_raises(data):
    path = data.draw(st.sampled_from(THEMES))
    content = data.draw(damaged(path.read_bytes()))
    text = content.decode("utf-8", "replace")
    result = load_theme_file(Path("themes") / path.name, REFS, text=text)
    for problem in (*result.errors, *result.warnings):
        assert_actionable(str(problem), (path.name,))
        assert problem.line is None or problem.line >= 1


# ------------------------------------------------------------------------------------------
# staff datasets (CSV + YAML)

STAFF_CSV = (FIXTURES / "staff" / "woz_value.csv").read_bytes()
STAFF_YAML = (FIXTURES / "staff" / "woz_value.yaml").read_bytes()


@FUZZ
@given(csv=damaged(STAFF_CSV))
def test_fuzz_staff_csv_validator(csv):
    try:
        staff.validate_pair("woz_value", csv, STAFF_YAML, base=CATALOG, known_areas=None)
    except staff.StaffProblems as exc:
        assert exc.problems
        for problem in exc.problems:
            assert_actionable(str(problem), ("woz_value.csv",))


@FUZZ
@given(yaml=damaged(STAFF_YAML))
def test_fuzz_staff_metadata_validator(yaml):
    try:
        staff.validate_pair("woz_value", STAFF_CSV, yaml, base=CATALOG, known_areas=None)
    except staff.StaffProblems as exc:
        assert exc.problems
        for problem in exc.problems:
            assert_actionable(str(problem), ("woz_value.yaml", "woz_value.csv", "woz_value"))
