"""Commissioning records: stored as new versions, re-opened unchanged, rendered to a PDF (no Qt) that is
turned into an image with pdftoppm and read back with pdftotext."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from slimmaatwerk.commissioning.pdf import render
from slimmaatwerk.commissioning.record import CommissioningRecord, DeviceRecord, Household, PrivacyAnswers
from slimmaatwerk.errors import InputError
from tests.pairing.conftest import World

SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"


def record() -> CommissioningRecord:
    return CommissioningRecord(
        "home-r1", "r1", "Mevr. Jansen", "Ine Installateur", "2026-03-02T10:00:00+01:00",
        "2026-03-02T10:24:00+01:00", "mqtt://192.168.1.20:1883",
        Household("partner", True, "ma-vr 08:00-08:30 thuiszorg; do 14:00 dagbesteding"),
        PrivacyAnswers("Vroegtijdig signaleren dat mevrouw 's nachts dwaalt", "Deur- en bewegingsgebeurtenissen per uur",
                       "Alarmknop: wordt niet gedragen", "representative", "Anna Jansen (dochter)", True),
        (
            DeviceRecord("zigbee:0x00124b0022aa0002", "voordeur", "SNZB-04", "SONOFF", "z2m.sonoff.snzb04",
                         "entrance", "front_door", "passed", "2026-03-02T10:12:31+01:00", 12.0, 20,
                         ("battery_low", "weak_signal"), ({"value": 12}, {"value": 20})),
            DeviceRecord("zigbee:0x00158d0001a2b301", "keuken_pir", "RTCGQ11LM", "Aqara", "z2m.aqara.rtcgq11lm",
                         "kitchen", "", "passed", "2026-03-02T10:13:02+01:00", 100.0, 140),
            DeviceRecord("zigbee:0x00124b0022aa0004", "slaapkamer_pir", "SNZB-03", "SONOFF", "z2m.sonoff.snzb03",
                         "bedroom", "", "failed", "2026-03-02T10:11:50+01:00", 90.0, 150, ("wrong_room",),
                         ({"room": "entrance"},)),
        ),
        "Sensor slaapkamer hangt in de gang: volgende keer verplaatsen (°C, ë).",
    )


def test_records_are_versions_and_reopen_unchanged(world: World) -> None:
    first = world.installer.save_record(record())
    second = world.installer.save_record(replace(record(), notes="Batterij voordeur vervangen."))
    assert (first.version, second.version) == (1, 2) and first.status == "incomplete"
    assert world.installer.open_record(first.record_id) == first
    assert world.installer.open_record(second.record_id).notes == "Batterij voordeur vervangen."
    assert [(v, s) for _id, v, s, _at in world.installer.records("r1")] == [(1, "incomplete"), (2, "incomplete")]
    with pytest.raises(InputError, match="no commissioning record"):
        world.installer.open_record(9999)


def test_an_old_or_damaged_document_reads_or_fails_clearly() -> None:
    legacy = '{"home_id": "h", "resident_id": "r", "resident_name": "N", "installer": "I", "started_at": "", ' \
             '"completed_at": "", "devices": [{"id": "x", "name": "x", "colour": "red"}], "future_key": 1}'
    old = CommissioningRecord.from_json(legacy)
    assert old.devices[0].result == "untested" and old.household == Household()
    with pytest.raises(InputError, match="not readable JSON"):
        CommissioningRecord.from_json("{broken")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_pdf_renders_and_reads_back(tmp_path: Path, language: str) -> None:
    if not shutil.which("pdftoppm") or not shutil.which("pdftotext"):
        pytest.skip("poppler-utils (pdftoppm, pdftotext) not installed")
    path = render(replace(record(), version=2), tmp_path / "record.pdf", language)
    assert path.read_bytes().startswith(b"%PDF")
    words = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                           check=True).stdout
    expected = {
        "nl": ["Ingebruiknameverslag", "Versie 2", "Mevr. Jansen (r1)", "met partner", "Anna Jansen (dochter)",
               "batterij bijna leeg (12 %)", "lichtte op toen u in", "niet geslaagd", "Keuken"],
        "en": ["Commissioning record", "Version 2", "with a partner", "battery low (12 %)",
               "lit up while you were in", "failed", "Kitchen"],
    }[language]
    for phrase in expected:
        assert phrase in words, phrase
    assert "zigbee:0x00124b0022aa0002" in words and "°C, ë" in words
    SCREENSHOTS.mkdir(exist_ok=True)
    prefix = SCREENSHOTS / f"commissioning_pdf_{language}"
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", str(path), str(prefix)], check=True)
    image = prefix.with_suffix(".png")
    assert image.stat().st_size > 10_000
