"""Teams get a district (migration 0005): kept through the service facade, shown on the overview rows."""

from __future__ import annotations

import pytest

from slimmaatwerk.errors import AccessDenied, InputError
from slimmaatwerk.storage import access_log
from slimmaatwerk.storage.teams import TeamInfo

from .conftest import World, standard_rota


def test_a_team_gets_a_district_and_the_overview_rows_carry_it(world: World) -> None:
    world.coord.save_team("Noord", "Wijk Oosterpark")
    world.coord.save_team("West", "Wijk Zeeheldenbuurt")  # a new team, no residents yet
    world.coord.add_rota_entry(standard_rota("Zuid")[0])
    assert world.coord.team_details() == [
        TeamInfo("Noord", "Wijk Oosterpark", 1), TeamInfo("West", "Wijk Zeeheldenbuurt", 0), TeamInfo("Zuid", "", 1),
    ]
    rows = {r.resident_id: r for r in world.coord.overview()}
    assert (rows["r1"].team, rows["r1"].district) == ("Noord", "Wijk Oosterpark")
    assert (rows["r2"].team, rows["r2"].district) == ("Zuid", "")

    world.coord.set_resident_team("r2", "West")
    assert {r.resident_id: r.district for r in world.coord.overview()}["r2"] == "Wijk Zeeheldenbuurt"
    world.coord.save_team("Noord", "")  # clears the district, keeps the team
    assert world.coord.team_details()[0] == TeamInfo("Noord", "", 1)


def test_saving_a_team_is_checked_logged_and_moves_the_watermark(world: World) -> None:
    before = world.coord.watermark()
    world.coord.save_team("  Noord ", " Wijk Oost ")
    assert world.coord.watermark() != before  # open desktops refresh their grouping
    assert world.coord.team_details()[0].district == "Wijk Oost"
    with world.db.read() as conn:
        details = [e["detail"] for e in access_log.entries(conn)]
    assert "team Noord saved (district Wijk Oost)" in details
    with pytest.raises(InputError, match="needs a name"):
        world.coord.save_team("   ", "Wijk Oost")
    with pytest.raises(InputError, match="at most 100"):
        world.coord.save_team("Noord", "x" * 101)
    with pytest.raises(AccessDenied):
        world.fitter.save_team("Noord", "Wijk West")
    with pytest.raises(AccessDenied):
        world.fitter.team_details()
    assert world.coord.team_details()[0].district == "Wijk Oost"


def _log_details(world: World) -> list[tuple[str | None, str]]:
    with world.db.read() as conn:
        return [(e["resident_id"], e["detail"]) for e in access_log.entries(conn)]


def test_a_team_is_renamed_with_its_district_rota_and_residents(world: World) -> None:
    world.coord.save_team("Noord", "Wijk Oosterpark")
    for entry in standard_rota("Noord"):
        world.coord.add_rota_entry(entry)
    before = world.coord.watermark()
    world.coord.rename_team(" Noord ", " Noord-Oost ")
    assert world.coord.watermark() != before  # open desktops regroup
    assert world.coord.team_details() == [TeamInfo("Noord-Oost", "Wijk Oosterpark", 1), TeamInfo("Zuid", "", 1)]
    assert {e.team for e in world.coord.rota()} == {"Noord-Oost"} and len(world.coord.rota("Noord-Oost")) == 3
    rows = {r.resident_id: r for r in world.coord.overview()}
    assert (rows["r1"].team, rows["r1"].district) == ("Noord-Oost", "Wijk Oosterpark")
    assert [r.team for r in world.coord.inbox() if r.resident_id == "r1"] == ["Noord-Oost", "Noord-Oost"]
    assert (None, "team Noord renamed to Noord-Oost") in _log_details(world)
    world.coord.rename_team("Zuid", "Zuid")  # the same name: nothing to do, nothing refused


def test_renaming_refuses_a_merge_an_unknown_team_and_a_bad_name(world: World) -> None:
    with pytest.raises(InputError, match="already a team 'Zuid'"):
        world.coord.rename_team("Noord", "Zuid")
    with pytest.raises(InputError, match="unknown team 'Oost'"):
        world.coord.rename_team("Oost", "West")
    with pytest.raises(InputError, match="needs a name"):
        world.coord.rename_team("Noord", "  ")
    with pytest.raises(InputError, match="at most 100"):
        world.coord.rename_team("Noord", "x" * 101)
    assert [t.name for t in world.coord.team_details()] == ["Noord", "Zuid"]


def test_removing_a_team_with_residents_needs_to_know_where_they_go(world: World) -> None:
    for entry in standard_rota("Noord"):
        world.coord.add_rota_entry(entry)
    world.coord.add_resident("r3", "Mevr. de Wit", team="Noord")
    with pytest.raises(InputError, match="team Noord still has 2 resident"):
        world.coord.remove_team("Noord")
    with pytest.raises(InputError, match="cannot move to the team being removed"):
        world.coord.remove_team("Noord", "Noord")
    assert world.coord.team_details()[0] == TeamInfo("Noord", "", 2)  # refused: nothing changed
    assert len(world.coord.rota("Noord")) == 3
    before = world.coord.watermark()
    assert world.coord.remove_team("Noord", move_residents_to="Zuid") == 2
    assert world.coord.watermark() != before
    assert world.coord.team_details() == [TeamInfo("Zuid", "", 3)]
    assert world.coord.rota() == []  # the removed team's rota went with it
    assert {r.resident_id: r.team for r in world.coord.overview()} == {"r1": "Zuid", "r2": "Zuid", "r3": "Zuid"}
    details = _log_details(world)
    assert (None, "team Noord removed; 2 resident(s) moved to Zuid") in details
    assert ("r1", "team set to Zuid (Noord removed)") in details and ("r3", "team set to Zuid (Noord removed)") in details


def test_removing_an_empty_team_or_sending_its_residents_to_no_team(world: World) -> None:
    world.coord.save_team("West", "Wijk Zeeheldenbuurt")
    assert world.coord.remove_team("West") == 0  # no residents: nothing to ask
    assert world.coord.remove_team("Zuid", move_residents_to="") == 1
    assert [t.name for t in world.coord.team_details()] == ["Noord"]
    assert {r.resident_id: r.team for r in world.coord.overview()}["r2"] == ""
    with pytest.raises(InputError, match="unknown team 'West'"):
        world.coord.remove_team("West")


def test_renaming_and_removing_teams_is_for_coordinators_of_all_its_residents(world: World) -> None:
    for call in (lambda s: s.rename_team("Noord", "Oost"), lambda s: s.remove_team("Noord", "Zuid")):
        with pytest.raises(AccessDenied, match="may not handle alerts"):
            call(world.fitter)  # an installer: no team management at all
    # The nurse coordinates r1 only: Noord (r1) is hers to rename, Zuid (r2) is not hers to touch.
    world.nurse.rename_team("Noord", "Noord-Oost")
    with pytest.raises(AccessDenied, match="no access to 1 resident"):
        world.nurse.rename_team("Zuid", "Zuid-West")
    with pytest.raises(AccessDenied, match="no access to 1 resident"):
        world.nurse.remove_team("Zuid", move_residents_to="Noord-Oost")
    assert [t.name for t in world.coord.team_details()] == ["Noord-Oost", "Zuid"]
