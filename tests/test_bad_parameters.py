"""Every public parameter is checked at the boundary: one DivideError naming the parameter, the
value and the range.

Each case calls the public API (or the CLI) with one wrong value and asserts the exact error class
and that the message names what was wrong. Stages run once, on Tottori (the smallest prefecture).
"""

from __future__ import annotations

import copy
import math
from pathlib import Path

import pytest

import divide
from divide.cli import main
from divide.errors import DivideDataError, DivideError, DivideParameterError, DivideSpecError
from divide.report.atomic import DividePackError


@pytest.fixture(scope="module")
def stages():
    frame = divide.load_frame("31", source="processed")
    estimate = divide.estimate_offline(frame, draws=100, validate=False)
    geography = divide.add_geography(frame)
    index = divide.build_index(geography, estimate=estimate)
    return {"frame": frame, "estimate": estimate, "geography": geography, "index": index}


DEFAULT = divide.IndexSpec.load().model_dump(mode="json", exclude_none=True)


def spec_with(**changes) -> dict:
    """The default index spec with top-level keys or the first pillar's (or its first indicator's)
    keys changed.
    """
    spec = copy.deepcopy(DEFAULT)
    for key, value in changes.items():
        if key.startswith("pillar_"):
            spec["pillars"][0][key.removeprefix("pillar_")] = value
        elif key.startswith("indicator_"):
            spec["pillars"][0]["indicators"][0][key.removeprefix("indicator_")] = value
        else:
            spec[key] = value
    return spec


def index_with(**changes):
    return lambda s, t: divide.build_index(
        s["geography"], spec_with(**changes), estimate=s["estimate"]
    )


# (id, call(stages, tmp_path), error class, words the message must contain)
P, S = DivideParameterError, DivideSpecError
CASES = [
    # the prefecture
    ("pref 99", lambda s, t: divide.load_frame("99"), P, ["99", "01", "47"]),
    ("pref 48", lambda s, t: divide.load_frame("48"), P, ["48"]),
    ("pref 0", lambda s, t: divide.load_frame(0), P, ["0"]),
    ("pref empty", lambda s, t: divide.load_frame(""), P, ["''"]),
    ("pref unknown name", lambda s, t: divide.load_frame("Atlantis"), P, ["Atlantis"]),
    ("pref float", lambda s, t: divide.load_frame(7.5), P, ["pref"]),
    (
        "source literal",
        lambda s, t: divide.load_frame("31", source="web"),
        P,
        ["source", "web", "processed"],
    ),
    (
        "raw directory missing",
        lambda s, t: divide.load_frame("31", source="raw", raw_directory=t / "none"),
        P,
        ["raw_directory", "none", "does not exist"],
    ),
    (
        "raw directory is a file",
        lambda s, t: divide.load_frame("31", raw_directory=_a_file(t)),
        P,
        ["raw_directory", "a_file", "is a file"],
    ),
    # estimate
    (
        "estimate of a string",
        lambda s, t: divide.estimate_offline("07"),
        P,
        ["frame", "load_frame"],
    ),
    (
        "estimate draws 5",
        lambda s, t: divide.estimate_offline(s["frame"], draws=5),
        P,
        ["draws", "100", "5"],
    ),
    (
        "estimate draws 1e8",
        lambda s, t: divide.estimate_offline(s["frame"], draws=10**8),
        P,
        ["draws", "20000"],
    ),
    (
        "estimate draws text",
        lambda s, t: divide.estimate_offline(s["frame"], draws="many"),
        P,
        ["draws", "many"],
    ),
    (
        "estimate seed -1",
        lambda s, t: divide.estimate_offline(s["frame"], seed=-1),
        P,
        ["seed", "-1"],
    ),
    (
        "estimate seed 1.5",
        lambda s, t: divide.estimate_offline(s["frame"], seed=1.5),
        P,
        ["seed", "1.5"],
    ),
    (
        "estimate year 1999",
        lambda s, t: divide.estimate_offline(s["frame"], year=1999),
        P,
        ["year", "1999"],
    ),
    (
        "estimate age table missing",
        lambda s, t: divide.estimate_offline(s["frame"], age_table=t / "ages.csv"),
        DivideDataError,
        ["ages.csv", "not found"],
    ),
    (
        "estimate age table is a folder",
        lambda s, t: divide.estimate_offline(s["frame"], age_table=t),
        DivideDataError,
        [str(Path("x").name) if False else "folder"],
    ),
    # geography
    (
        "geography of an estimate",
        lambda s, t: divide.add_geography(s["estimate"]),
        P,
        ["frame", "load_frame"],
    ),
    (
        "detour -1",
        lambda s, t: divide.add_geography(s["frame"], detour=-1),
        P,
        ["detour", "-1", "1"],
    ),
    ("detour 0.5", lambda s, t: divide.add_geography(s["frame"], detour=0.5), P, ["detour", "0.5"]),
    (
        "detour nan",
        lambda s, t: divide.add_geography(s["frame"], detour=math.nan),
        P,
        ["detour", "nan"],
    ),
    (
        "settlements grid",
        lambda s, t: divide.add_geography(s["frame"], settlements="grid"),
        P,
        ["settlements", "grid", "shelters"],
    ),
    (
        "service layer missing",
        lambda s, t: divide.add_geography(s["frame"], service_layers=[t / "post.csv"]),
        DivideDataError,
        ["post.csv", "not found"],
    ),
    (
        "service layer folder",
        lambda s, t: divide.add_geography(s["frame"], service_layers=[t]),
        DivideDataError,
        ["folder"],
    ),
    (
        "population grid missing",
        lambda s, t: divide.add_geography(s["frame"], population_grid=t / "grid.csv"),
        DivideDataError,
        ["grid.csv", "not found"],
    ),
    # index
    (
        "index pillar weights all 0",
        index_with(pillars=[{**p, "weight": 0} for p in DEFAULT["pillars"]]),
        S,
        ["pillar weights", "zero"],
    ),
    (
        "index indicator weights all 0",
        index_with(
            pillar_indicators=[{**i, "weight": 0} for i in DEFAULT["pillars"][0]["indicators"]]
        ),
        S,
        ["people", "zero"],
    ),
    ("index weight nan", index_with(pillar_weight=math.nan), S, ["weight"]),
    ("index weight inf", index_with(pillar_weight=math.inf), S, ["weight"]),
    ("index weight negative", index_with(indicator_weight=-1), S, ["weight"]),
    ("index weight text", index_with(pillar_weight="heavy"), S, ["weight", "heavy"]),
    ("index misspelt key", index_with(pillar_wieght=1), S, ["wieght"]),
    ("index misspelt top key", index_with(normalisaton="rank"), S, ["normalisaton"]),
    ("index misspelt indicator key", index_with(indicator_treshold=3), S, ["treshold"]),
    ("index normalisation", index_with(normalisation="minmax2"), S, ["normalisation", "minmax2"]),
    (
        "index aggregation",
        index_with(aggregation={"indicators": "harmonic", "pillars": "arithmetic"}),
        S,
        ["harmonic"],
    ),
    ("index availability 2", index_with(availability=2), S, ["availability", "2"]),
    ("index direction 2", index_with(indicator_direction=2), S, ["direction"]),
    (
        "index goalposts reversed",
        index_with(indicator_goalposts={"lo": 1, "hi": 0}),
        S,
        ["goalposts"],
    ),
    ("index goalposts not a mapping", index_with(indicator_goalposts=[0, 1]), S, ["goalposts"]),
    ("index unknown column", index_with(indicator_column="no_such"), S, ["no_such"]),
    (
        "index duplicated pillar",
        index_with(pillars=[DEFAULT["pillars"][0]] * 2),
        S,
        ["people", "twice"],
    ),
    (
        "index duplicated indicator",
        index_with(pillar_indicators=[DEFAULT["pillars"][0]["indicators"][0]] * 2),
        S,
        ["age_expected_share", "twice"],
    ),
    ("index pillars not a list", index_with(pillars="x"), S, ["pillars"]),
    ("index no pillars", index_with(pillars=[]), S, ["pillars"]),
    (
        "index spec missing file",
        lambda s, t: divide.build_index(s["geography"], t / "mine.yaml"),
        DivideSpecError,
        ["mine.yaml", "not found"],
    ),
    (
        "index spec cp932",
        lambda s, t: divide.build_index(s["geography"], _cp932_yaml(t)),
        DivideSpecError,
        ["cp932.yaml", "UTF-8"],
    ),
    (
        "index spec bad yaml",
        lambda s, t: divide.build_index(s["geography"], _bad_yaml(t)),
        DivideSpecError,
        ["bad.yaml", "line"],
    ),
    (
        "index bounds",
        lambda s, t: divide.build_index(s["geography"], estimate=s["estimate"], bounds="mars"),
        DivideParameterError,
        ["bounds", "mars"],
    ),
    (
        "index of a string",
        lambda s, t: divide.build_index("07"),
        DivideParameterError,
        ["data", "str"],
    ),
    # uncertainty
    ("uncertainty draws 0", lambda s, t: s["index"].uncertainty(draws=0), P, ["draws", "0", "100"]),
    (
        "uncertainty draws 1e8",
        lambda s, t: s["index"].uncertainty(draws=10**8),
        P,
        ["draws", "50000"],
    ),
    (
        "uncertainty concentration -5",
        lambda s, t: s["index"].uncertainty(concentration=-5),
        P,
        ["concentration", "-5"],
    ),
    (
        "uncertainty concentration nan",
        lambda s, t: s["index"].uncertainty(concentration=math.nan),
        P,
        ["concentration"],
    ),
    ("uncertainty seed -3", lambda s, t: s["index"].uncertainty(seed=-3), P, ["seed", "-3"]),
    ("uncertainty chunk 0", lambda s, t: s["index"].uncertainty(chunk=0), P, ["chunk", "0"]),
    ("uncertainty unknown option", lambda s, t: s["index"].uncertainty(draw=100), P, ["draw"]),
    ("sensitivity draws 0", lambda s, t: s["index"].sensitivity(draws=0), P, ["draws", "0"]),
    ("monte carlo of a string", lambda s, t: divide.monte_carlo("x"), P, ["result"]),
    # clusters
    (
        "clusters column",
        lambda s, t: divide.local_clusters(s["frame"].municipalities, "no_such_column"),
        DivideParameterError,
        ["no_such_column", "column"],
    ),
    (
        "clusters permutations 0",
        lambda s, t: divide.local_clusters(s["frame"].municipalities, "density", permutations=0),
        P,
        ["permutations", "0"],
    ),
    (
        "clusters alpha 2",
        lambda s, t: divide.local_clusters(s["frame"].municipalities, "density", alpha=2),
        P,
        ["alpha", "2"],
    ),
    (
        "clusters misaligned series",
        lambda s, t: divide.local_clusters(
            s["frame"].municipalities, s["frame"].municipalities["density"].iloc[:3]
        ),
        DivideParameterError,
        ["column", "3", "19"],
    ),
    # support plan
    (
        "plan of a frame",
        lambda s, t: divide.support_plan(s["frame"], s["estimate"]),
        P,
        ["geography", "add_geography"],
    ),
    (
        "plan spec unknown key",
        lambda s, t: divide.support_plan(
            s["geography"], s["estimate"], spec={"need": {"absolut": 0.3}}
        ),
        DivideSpecError,
        ["absolut"],
    ),
    (
        "plan spec share 2",
        lambda s, t: divide.support_plan(
            s["geography"], s["estimate"], spec={"need": {"absolute": 2}}
        ),
        DivideSpecError,
        ["absolute", "2"],
    ),
    (
        "plan threshold_km -1",
        lambda s, t: divide.support_plan(
            s["geography"], s["estimate"], spec={"access": {"threshold_km": -1}}
        ),
        DivideSpecError,
        ["threshold_km", "-1"],
    ),
    (
        "plan seed text",
        lambda s, t: divide.support_plan(s["geography"], s["estimate"], seed="x"),
        P,
        ["seed"],
    ),
    # sites
    (
        "sites k -1",
        lambda s, t: divide.propose_sites(s["geography"], s["estimate"], k=-1),
        P,
        ["k", "-1"],
    ),
    (
        "sites k 0",
        lambda s, t: divide.propose_sites(s["geography"], s["estimate"], k=0),
        P,
        ["k", "0"],
    ),
    (
        "sites k 500",
        lambda s, t: divide.propose_sites(s["geography"], s["estimate"], k=500),
        P,
        ["k", "500"],
    ),
    (
        "sites k above k_max",
        lambda s, t: divide.propose_sites(s["geography"], s["estimate"], k=8, k_max=5),
        P,
        ["k", "k_max", "8", "5"],
    ),
    (
        "sites radius -1",
        lambda s, t: divide.propose_sites(s["geography"], s["estimate"], radius_km=-1),
        P,
        ["radius_km", "-1"],
    ),
    (
        "sites radius inf",
        lambda s, t: divide.propose_sites(s["geography"], s["estimate"], radius_km=math.inf),
        P,
        ["radius_km"],
    ),
    (
        "sites method best",
        lambda s, t: divide.propose_sites(s["geography"], s["estimate"], method="best"),
        P,
        ["method", "best", "exact"],
    ),
    (
        "sites candidates school",
        lambda s, t: divide.propose_sites(
            s["geography"], s["estimate"], candidate_kinds=("school",)
        ),
        P,
        ["candidate_kinds", "school"],
    ),
    (
        "sites time limit 0",
        lambda s, t: divide.propose_sites(s["geography"], s["estimate"], time_limit=0),
        P,
        ["time_limit", "0"],
    ),
    # projection
    (
        "projection year 2100",
        lambda s, t: divide.project_offline(s["frame"], s["estimate"], years=(2020, 2100)),
        P,
        ["years", "2100", "2050"],
    ),
    (
        "projection no years",
        lambda s, t: divide.project_offline(s["frame"], s["estimate"], years=()),
        P,
        ["years"],
    ),
    (
        "projection scenario",
        lambda s, t: divide.project_offline(s["frame"], s["estimate"], scenarios=("magic",)),
        P,
        ["scenarios", "magic"],
    ),
    # whole analysis and report
    ("analyse draws 10", lambda s, t: divide.analyse("31", draws=10), P, ["draws", "10"]),
    ("analyse sites 0", lambda s, t: divide.analyse("31", sites_k=0), P, ["sites_k", "0"]),
    ("analyse seed text", lambda s, t: divide.analyse("31", seed="x"), P, ["seed"]),
    ("analyse pref 99", lambda s, t: divide.analyse("99"), P, ["99"]),
    ("write pack k 0", lambda s, t: divide.write_pack(_analysis(s), t, k=0), P, ["k", "0", "1"]),
    ("write pack k -5", lambda s, t: divide.write_pack(_analysis(s), t, k=-5), P, ["k", "-5"]),
    (
        "write pack lang",
        lambda s, t: divide.write_pack(_analysis(s), t, lang="fr"),
        P,
        ["lang", "fr", "ja"],
    ),
    (
        "write pack of a frame",
        lambda s, t: divide.write_pack(s["frame"], t),
        P,
        ["analysis", "analyse"],
    ),
    (
        "write pack into a file",
        lambda s, t: divide.write_pack(_analysis(s), _a_file(t)),
        DividePackError,
        ["a_file", "not a folder"],
    ),
    (
        "briefing pack into a file",
        lambda s, t: divide.briefing_pack("31", _a_file(t)),
        DividePackError,
        ["a_file", "not a folder"],
    ),
    (
        "briefing figures lang",
        lambda s, t: divide.briefing_figures(_analysis(s), lang="de"),
        P,
        ["lang", "de"],
    ),
    (
        "briefing figures k 0",
        lambda s, t: divide.briefing_figures(_analysis(s), k=0),
        P,
        ["k", "0"],
    ),
    # one vocabulary for the language: refused everywhere, never answered in another language
    ("describe lang", lambda s, t: divide.describe(s["frame"], lang="fr"), P, ["lang", "fr"]),
    (
        "credit lines lang",
        lambda s, t: divide.credit_lines(["boundaries"], lang="fr"),
        P,
        ["credit_lines", "lang", "fr"],
    ),
    (
        "analysis credits lang",
        lambda s, t: _analysis(s).credits(lang="fr"),
        P,
        ["Analysis.credits", "fr"],
    ),
    ("map text lang", lambda s, t: divide.MapText("title", [], lang="fr"), P, ["MapText", "fr"]),
    (
        "index spec label lang",
        lambda s, t: divide.IndexSpec.load().label("fr"),
        P,
        ["lang", "fr"],
    ),
    (
        "support plan label lang",
        lambda s, t: _analysis(s).plan.label("fr"),
        P,
        ["SupportPlan.label", "fr"],
    ),
    (
        "write html lang",
        lambda s, t: divide.write_html(_density_map(s), t / "m.html", lang="fr"),
        P,
        ["write_html", "fr"],
    ),
    ("briefing pack lang", lambda s, t: divide.briefing_pack("31", t, lang="fr"), P, ["fr"]),
    # the prefecture: whole names with or without 都道府県, romaji; parts refused with candidates
    ("pref part of two names", lambda s, t: divide.load_frame("京"), P, ["東京都", "京都府"]),
    ("pref part of three names", lambda s, t: divide.load_frame("福"), P, ["福島県", "福井県"]),
    ("pref romaji prefix", lambda s, t: divide.load_frame("kyo"), P, ["kyo"]),
    # a reference date where a dated input is read
    (
        "broadband as_of not a date",
        lambda s, t: divide.load_frame("31", broadband_as_of="March 2024"),
        P,
        ["broadband_as_of", "March 2024"],
    ),
    # results of two prefectures are never mixed
    (
        "frame of another prefecture",
        lambda s, t: divide.project_offline(_okinawa(s), s["estimate"]),
        P,
        ["project_offline", "47", "31"],
    ),
]


def _density_map(s):
    frame = s["frame"].municipalities
    return divide.choropleth(frame, "density", divide.MapText("density", ["credit"]))


def _okinawa(s):
    if "okinawa" not in s:
        s["okinawa"] = divide.load_frame("47", source="processed")
    return s["okinawa"]


def _analysis(s):
    if "analysis" not in s:
        s["analysis"] = divide.analyse("31", draws=100, progress=False)
    return s["analysis"]


def _a_file(tmp_path: Path) -> Path:
    path = tmp_path / "a_file"
    path.write_text("x", encoding="utf-8")
    return path


def _cp932_yaml(tmp_path: Path) -> Path:
    path = tmp_path / "cp932.yaml"
    path.write_bytes("name: 指数\npillars: []\n".encode("cp932"))
    return path


def _bad_yaml(tmp_path: Path) -> Path:
    path = tmp_path / "bad.yaml"
    path.write_text("name: x\npillars:\n  - id: [unclosed\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("call", "error", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_a_wrong_parameter_is_named(stages, tmp_path, call, error, words):
    with pytest.raises(DivideError) as caught:
        call(stages, tmp_path)
    assert type(caught.value) is error, f"{type(caught.value).__name__}: {caught.value}"
    message = str(caught.value)
    missing = [w for w in words if w not in message]
    assert not missing, f"{message!r} does not name {missing}"


# the command line: one line on stderr, exit 2, never a traceback
CLI = [
    (["summary", "--pref", "99"], ["99"]),
    (["summary", "--pref", "0"], ["0"]),
    (["summary", "--pref", ""], ["pref"]),
    (["summary", "--pref", "48"], ["48"]),
    (["brief", "--pref", "99"], ["99"]),
    (["brief", "--k", "0"], ["--k", "0"]),
    (["brief", "--k", "-5"], ["--k", "-5"]),
    (["brief", "--k", "abc"], ["--k", "abc"]),
    (["brief", "--lang", "fr"], ["--lang", "fr"]),
    (["brief", "--source", "web"], ["--source", "web"]),
    (
        ["brief", "--broadband", "/nonexistent/ftth.xlsx", "--out", "{tmp}"],
        ["ftth.xlsx", "not found"],
    ),
    (["brief", "--out", "{tmp}/a_file"], ["a_file", "not a folder"]),
    (["build", "--raw", "/nonexistent/raw"], ["/nonexistent/raw", "does not exist"]),
    (
        ["fetch", "--mirror", "/nonexistent/mirror", "--dest", "{tmp}/raw"],
        ["mirror", "/nonexistent/mirror"],
    ),
    (["nonsense"], ["nonsense"]),
    (["summary", "--pref", "京"], ["東京都", "京都府"]),
    (["summary", "--broadband-as-of", "2024/03/31"], ["broadband_as_of", "2024/03/31"]),
]


@pytest.mark.parametrize(("argv", "words"), CLI, ids=[" ".join(a) for a, _ in CLI])
def test_cli_errors_are_one_line_with_exit_2(capsys, tmp_path, argv, words):
    (tmp_path / "a_file").write_text("x", encoding="utf-8")
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    try:
        status = main(argv)
    except SystemExit as exc:  # argparse's own usage errors
        status = exc.code
    err = capsys.readouterr().err.strip()
    assert status == 2, err
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    missing = [w for w in words if w not in err]
    assert not missing, f"{err!r} does not name {missing}"
