"""Framework files load with the right structure, and a bad file is reported clearly (issue 2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import frameworks
from pipeline.errors import FrameworkFileError
from pipeline.model import Point


def test_shipped_frameworks_are_listed():
    assert frameworks.available() == ["eflg-2014", "eflg-2021", "eif-wales-2011"]


def test_eflg_2021_has_4_modules_17_themes_51_points():
    fw = frameworks.load("eflg-2021")
    assert (len(fw.modules), len(fw.themes), len(fw.points)) == (4, 17, 51)
    assert [len(m.themes) for m in fw.modules] == [5, 4, 3, 5]
    for theme in fw.themes:
        assert [p.level for p in theme.points] == ["Developing", "Achieving", "Excellent"]
        assert [p.ref for p in theme.points] == [f"{theme.ref}.{n}" for n in (1, 2, 3)]
        for point in theme.points:
            assert point.descriptor and len(point.criteria) >= 1
            assert "<p>" not in point.descriptor and all("<p>" not in c for c in point.criteria)


def test_eflg_2021_point_text_is_the_reference_text():
    fw = frameworks.load("eflg-2021")
    point = fw.resolve("1.2")
    assert isinstance(point, Point)
    assert point.descriptor.startswith("Relevant, proportionate and appropriate information")
    assert "LGA" in fw.source or "Local Government Association" in fw.source


def test_eflg_2014_has_4_modules_18_themes():
    fw = frameworks.load("eflg-2014")
    assert (len(fw.modules), len(fw.themes), len(fw.points)) == (4, 18, 0)
    assert [len(m.themes) for m in fw.modules] == [5, 5, 3, 5]


def test_wales_has_every_building_block_with_aim_and_actions():
    fw = frameworks.load("eif-wales-2011")
    refs = [t.ref for t in fw.themes]
    expected = [f"1.{n}" for n in range(1, 5)] + [f"2.{n}" for n in range(1, 6)]
    expected += [f"3.{n}" for n in range(1, 7)] + [f"4.{n}" for n in range(1, 7)]
    assert refs == expected
    for block in fw.themes:
        assert block.descriptor, block.ref
        assert len(block.criteria) >= 4, block.ref
    derived = {t.ref for t in fw.themes if t.title_derived}
    assert derived == {"1.1", "2.2", "2.4", "3.2", "3.3", "3.4", "3.6", "4.1", "4.3", "4.5"}
    assert fw.labels.theme == "Building block"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1.2", "1.2"),
        ("1.2 Collecting and sharing information - Achieving", "1.2"),
        ("6", "6"),
        ("Theme 6", "6"),
        ("collecting and sharing information", "1"),
        ("Collecting and sharing information - Excellent", "1.3"),
        ("Service delivery and design", "12"),  # the seed's heading wording, kept as an alias
        ("  17.3  ", "17.3"),
    ],
)
def test_points_resolve_from_the_forms_officers_type(typed, expected):
    assert frameworks.load("eflg-2021").resolve(typed).ref == expected


def test_unknown_point_does_not_resolve():
    assert frameworks.load("eflg-2021").resolve("18") is None
    assert frameworks.load("eflg-2021").resolve("Something else") is None


CUSTOM = """
id: testshire-objectives
title: Testshire equality objectives
modules:
  - ref: "A"
    title: Our communities
    themes:
      - ref: "A1"
        title: Know our residents
        descriptor: We understand who lives here.
        criteria: [Census analysed, Ward profiles published]
  - ref: "B"
    title: Our workforce
    themes:
      - ref: "B1"
        title: Fair pay
"""


def test_custom_framework_file_loads(tmp_path: Path):
    path = tmp_path / "custom.yaml"
    path.write_text(CUSTOM, encoding="utf-8")
    fw = frameworks.load(str(path))
    assert fw.id == "testshire-objectives"
    assert [t.ref for t in fw.themes] == ["A1", "B1"]
    assert fw.resolve("a1").title == "Know our residents"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("id: x\ntitle: X\n", "'modules' must be a non-empty list"),
        (
            "id: x\ntitle: X\nmodules:\n  - ref: '1'\n    themes:\n      - ref: '1'\n        title: T\n",
            "modules[0]: missing 'title'",
        ),
        (
            "id: x\ntitle: X\nmodules:\n  - ref: '1'\n    title: M\n    themes:\n      - ref: '1'\n        tittle: T\n",
            "modules[0].themes[0]: unknown key 'tittle'",
        ),
        (
            "id: x\ntitle: X\nmodules:\n  - ref: 1.1\n    title: M\n    themes: [{ref: '1', title: T}]\n",
            "must be written in quotes",
        ),
        ("id: x\ntitle: [unclosed\n", "not valid YAML (line"),
        ("- just\n- a list\n", "expected a mapping"),
        (
            "id: x\ntitle: X\nlevels: [Developing]\nmodules:\n  - ref: '1'\n    title: M\n    themes:\n"
            "      - ref: '1'\n        title: T\n        points: [{ref: '1.1', level: Expert}]\n",
            "level 'Expert' is not one of Developing",
        ),
        (
            "id: x\ntitle: X\nmodules:\n  - ref: '1'\n    title: M\n    themes:\n"
            "      - {ref: '1', title: T}\n      - {ref: '1', title: U}\n",
            "theme ref '1' is used twice",
        ),
        (
            "id: x\ntitle: X\nassessment_levels: [Done]\nmodules:\n  - ref: '1'\n    title: M\n"
            "    themes: [{ref: '1', title: T}]\n",
            "'assessment_levels' must list at least two levels",
        ),
        (
            "id: x\ntitle: X\nassessment_levels: [Open, open]\nmodules:\n  - ref: '1'\n"
            "    title: M\n    themes: [{ref: '1', title: T}]\n",
            "lists the same level twice",
        ),
    ],
)
def test_malformed_framework_file_gives_clear_error(tmp_path: Path, text: str, message: str):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FrameworkFileError) as raised:
        frameworks.load(str(path))
    assert "bad.yaml" in raised.value.message
    assert message in raised.value.message


def test_unknown_framework_id_names_the_known_ones():
    with pytest.raises(FrameworkFileError) as raised:
        frameworks.load("eflg-2099")
    assert "eflg-2021" in raised.value.hint


def test_frameworks_declare_their_assessment_levels():
    eflg = ("Not started", "Developing", "Achieving", "Excellent")
    assert frameworks.load("eflg-2021").assessment_levels == eflg
    assert frameworks.load("eflg-2014").assessment_levels == eflg
    wales = frameworks.load("eif-wales-2011")
    assert wales.assessment_levels == ("Not started", "Work underway", "Achieved")
    assert wales.level("work  UNDERWAY").rank == 1
    assert wales.level("Developing") is None


def test_custom_framework_levels_or_the_eflg_four():
    base = "id: x\ntitle: X\nmodules:\n  - ref: '1'\n    title: M\n    themes: [{ref: '1', title: T}]\n"
    assert frameworks.parse(base).assessment_levels[-1] == "Excellent"
    own = frameworks.parse("assessment_levels: [Bronze, Silver, Gold]\n" + base)
    assert own.assessment_levels == ("Bronze", "Silver", "Gold")
    assert own.level("gold").rank == 2 and own.level("Excellent") is None
