"""Weekly summaries: golden texts for three fixed weeks, consent per relative, PDF and HTML output."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from slimmaatwerk.errors import AccessDenied, InputError
from slimmaatwerk.reports.render_html import render_html
from slimmaatwerk.reports.render_pdf import find_font, render_pdf
from slimmaatwerk.reports.summary import plain_text
from slimmaatwerk.reports.week import parse_week
from tests.privacy.weeks import MONDAY, add_context_and_alerts, store_home

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("SLIM_UPDATE_GOLDEN") == "1"


@pytest.fixture(params=["calm", "hospital", "alert"])
def week_world(request: pytest.FixtureRequest, world):  # type: ignore[no-untyped-def]
    store_home(world["engine"], "r1", request.param)
    add_context_and_alerts(world["admin"], world["engine"], "r1", request.param)
    world["kind"] = request.param
    return world


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE or not path.exists():
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_golden_care_team_summaries(week_world) -> None:  # type: ignore[no-untyped-def]
    kind = week_world["kind"]
    summary = week_world["nurse"].privacy.weekly_summary("r1", MONDAY)
    assert summary.keys == ("week", "sleep", "night_toilet", "meals", "going_out", "activity", "hygiene",
                            "care_team", "limits")
    for lang in ("nl", "en"):
        _golden(f"{kind}.care_team.{lang}.txt", plain_text(summary, lang))
    text = plain_text(summary, "en")
    if kind == "calm":
        assert "A calm week, much as usual." in text and "no signals" in text
    if kind == "hospital":
        assert "was in hospital from Tuesday 3 March to Friday 6 March" in text
    if kind == "alert":
        assert "Wednesday 4 March: less activity in the kitchen; someone in the care team is following it up" \
            in text


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_golden_relative_summaries_only_hold_consented_sections(week_world) -> None:  # type: ignore[no-untyped-def]
    kind = week_world["kind"]
    anna = week_world["nurse"].privacy.weekly_summary("r1", MONDAY, "Anna")
    assert anna.keys == ("week", "sleep", "meals", "going_out", "activity", "care_team", "limits")
    _golden(f"{kind}.anna.nl.txt", plain_text(anna, "nl"))
    text = plain_text(anna, "nl") + plain_text(anna, "en")
    assert "toilet" not in text.lower() and "douche" not in text.lower() and "shower" not in text.lower()
    bram = week_world["nurse"].privacy.weekly_summary("r1", MONDAY, "Bram")
    assert bram.keys == ("limits",)


def test_revoked_and_sensitive_sections(world) -> None:  # type: ignore[no-untyped-def]
    store_home(world["engine"], "r1", "calm")
    privacy = world["nurse"].privacy
    privacy.record_consent("r1", "Anna", ["hygiene"], True, "resident")
    assert "hygiene" in privacy.weekly_summary("r1", MONDAY, "Anna").keys
    privacy.record_consent("r1", "Anna", ["hygiene", "sleep"], False, "resident")
    keys = privacy.weekly_summary("r1", MONDAY, "Anna").keys
    assert "hygiene" not in keys and "sleep" not in keys and "meals" in keys
    entries = [e for e in world["admin"].audit_entries("r1") if e["action"] == "disclosure"]
    assert entries[-1]["detail"] == "weekly summary 2026-W10 for Anna: week, meals, going_out, activity, " \
                                    "care_team, limits"
    with pytest.raises(InputError, match="unknown relative 'Carla'"):
        privacy.weekly_summary("r1", MONDAY, "Carla")


def test_family_login_sees_only_its_own_consented_summary(world) -> None:  # type: ignore[no-untyped-def]
    anna = world["anna"].privacy
    summary = anna.weekly_summary("r1", MONDAY)
    assert summary.keys == ("week", "sleep", "meals", "going_out", "activity", "care_team", "limits")
    assert "Anna (dochter)" in summary.audience["nl"]
    with pytest.raises(AccessDenied):
        anna.weekly_summary("r1", MONDAY, "Bram")
    with pytest.raises(AccessDenied):
        anna.weekly_summary("r2", MONDAY)
    with pytest.raises(AccessDenied):
        world["fitter"].privacy.weekly_summary("r1", MONDAY)
    with pytest.raises(AccessDenied):
        world["nurse"].privacy.weekly_summary("r2", MONDAY)
    assert world["admin"].audit_entries("r1")[-1]["action"] == "read"


def test_bad_week_strings_are_one_clear_error() -> None:
    assert parse_week("2026-W10").isoformat() == "2026-03-02"
    for bad in ("2026-10", "2026-W54", "W10", "2026-w1"):
        with pytest.raises(InputError, match="--week"):
            parse_week(bad)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_html_is_escaped(world) -> None:  # type: ignore[no-untyped-def]
    world["admin"].add_resident("r3", "<script>alert('x')</script> & Zn.")
    html = render_html(world["admin"].privacy.weekly_summary("r3", MONDAY), "nl")
    assert "<script>" not in html and "&lt;script&gt;" in html and "&amp; Zn." in html
    assert html.startswith("<!DOCTYPE html>") and 'lang="nl"' in html


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) not installed")
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_pdf_renders_to_a_non_blank_page_with_the_text(world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    store_home(world["engine"], "r1", "calm")
    summary = world["nurse"].privacy.weekly_summary("r1", MONDAY, "Anna")
    data, note = render_pdf(summary, "nl")
    assert note == "" and find_font() is not None  # DejaVu Sans embedded
    pdf = tmp_path / "week.pdf"
    pdf.write_bytes(data)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
                   check=True)
    page = next(tmp_path.glob("page*.png"))
    shots = Path(__file__).parents[1] / "screenshots"
    shots.mkdir(exist_ok=True)
    shutil.copy(page, shots / "weekly_summary_anna_nl.png")
    from PIL import Image

    pixels = Image.open(page).convert("L")
    dark = sum(pixels.histogram()[:128])
    assert dark > 2000  # text was drawn, the page is not blank
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for phrase in ("Weekoverzicht Mevr. Jansen", "Voor Anna (dochter)", "Hoe de week ging",
                   "Wat de sensoren niet zien", "maandag 2 maart", "zorgteam"):
        assert phrase in text
    assert "Toiletbezoek" not in text and "Douchen" not in text


def test_pdf_falls_back_to_a_core_font(world) -> None:  # type: ignore[no-untyped-def]
    summary = world["nurse"].privacy.weekly_summary("r1", MONDAY, "Anna")
    data, note = render_pdf(summary, "nl", font=None)
    assert data.startswith(b"%PDF") and "core font" in note
