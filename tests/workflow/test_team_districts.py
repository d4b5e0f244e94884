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
