"""Territory polygons: a 10 x 10 km square with four settlements, tessellated, dissolved, split at a line."""

from __future__ import annotations

from datetime import date

import pytest
import shapely
from shapely.geometry import Point, box

from dashboard.control import Assertion, ControlModel
from dashboard.frontline import Frontline, tessellate, voronoi_cells
from dashboard.theatre import Theatre, area_km2, to_geo, to_metric

X, Y = 600_000.0, 4_400_000.0  # UTM 38N, near 46.2 E 39.7 N
KM = 1000.0


def square(x0: float, y0: float, x1: float, y1: float) -> shapely.Geometry:
    """A box given in km from the origin of the test square."""
    return box(X + x0 * KM, Y + y0 * KM, X + x1 * KM, Y + y1 * KM)


def at(x: float, y: float) -> Point:
    return Point(X + x * KM, Y + y * KM)


LAND = square(0, 0, 10, 10)
THEATRE = Theatre(
    LAND, square(0, 0, 5, 10), {"West": square(0, 0, 5, 10), "East": square(5, 0, 10, 10)}, square(-10, 0, 0, 10)
)
# Four settlements, one in each quarter of the square.
CORNERS = {"SW": at(2.5, 2.5), "SE": at(7.5, 2.5), "NW": at(2.5, 7.5), "NE": at(7.5, 7.5)}


def assertion(target: str, earliest: date, latest: date, holder: str, kind: str = "change") -> Assertion:
    return Assertion(kind, target, earliest, latest, holder, "event", "source", "", "", "test.csv", 2)


START = assertion("Askeran", date(1988, 1, 1), date(1988, 1, 1), "azerbaijan", "rule")


def frontline(
    changes: dict[str, list[Assertion]],
    points: dict[str, Point] = CORNERS,
    loc_start: date | None = None,
    theatre: Theatre = THEATRE,
) -> Frontline:
    model = ControlModel([START], changes, {name: "Askeran" for name in points}, {})
    return Frontline(model, theatre, list(points), list(points.values()), loc_start)


def km2(front, holder: str) -> float:
    return float(front.loc[front["controlled_by"] == holder, "area_km2"].sum())


def test_voronoi_cells_of_four_corners_are_the_four_quarters():
    cells = voronoi_cells(list(CORNERS.values()), LAND)
    assert [round(c.area / KM**2, 6) for c in cells] == [25.0] * 4
    assert all(cell.contains(point) for cell, point in zip(cells, CORNERS.values()))


def test_a_zone_without_settlements_goes_whole_to_the_nearest_one():
    owner, zone, cells = tessellate([at(2, 2), at(4, 4)], [square(0, 0, 5, 5), square(5, 5, 10, 10)])
    assert list(owner) == [0, 1, 1] and list(zone) == [0, 0, 1]
    assert cells[2].equals(square(5, 5, 10, 10))


def test_settlements_on_one_spot_share_the_cell_of_the_first():
    owner, _, cells = tessellate([at(2, 2), at(2, 2), at(8, 8)], [LAND])
    assert list(owner) == [0, 2] and len(cells) == 2


def test_cells_of_one_holder_dissolve_into_one_polygon_with_its_area():
    capture = {
        "NW": [assertion("NW", date(1992, 1, 1), date(1992, 1, 1), "armenian")],
        "NE": [assertion("NE", date(1992, 1, 1), date(1992, 1, 1), "armenian")],
    }
    front = frontline(capture).at(date(1992, 6, 1))
    assert sorted(front["controlled_by"]) == ["armenian", "azerbaijan"]
    armenian = front.loc[front["controlled_by"] == "armenian"].geometry.iloc[0]
    assert armenian.geom_type == "Polygon"  # the two northern quarters, one piece
    assert km2(front, "armenian") == pytest.approx(50, rel=0.01)
    assert to_metric(armenian).symmetric_difference(square(0, 5, 10, 10)).area < 1.0  # m2
    assert km2(front, "armenian") + km2(front, "azerbaijan") == pytest.approx(area_km2(LAND), abs=0.2)


def test_the_contested_window_is_its_own_feature_then_the_new_holder():
    fighting = {"SW": [assertion("SW", date(1992, 2, 1), date(1992, 2, 10), "armenian")]}
    lines = frontline(fighting)
    during, after = lines.at(date(1992, 2, 5)), lines.at(date(1992, 2, 10))
    assert km2(during, "contested") == pytest.approx(25, rel=0.01) and km2(during, "armenian") == 0
    assert km2(after, "armenian") == pytest.approx(25, rel=0.01) and km2(after, "contested") == 0


def test_each_contested_area_is_a_feature_of_its_own():
    apart = {name: [assertion(name, date(1992, 2, 1), date(1992, 3, 1), "armenian")] for name in ("SW", "NE")}
    front = frontline(apart).at(date(1992, 2, 15))
    assert list(front["controlled_by"]).count("contested") == 2


def test_the_line_of_contact_splits_cells_by_the_held_side():
    # West of the line (x < 5 km) is held; a settlement at x = 4 km would otherwise own ground up to x = 6.5 km.
    one_district = Theatre(LAND, square(0, 0, 5, 10), {"Box": LAND}, square(-10, 0, 0, 10))
    points = {"West": at(4, 5), "East": at(9, 5)}
    held = {"West": [assertion("West", date(1992, 1, 1), date(1992, 1, 1), "armenian")]}
    lines = frontline(held, points, loc_start=date(1994, 5, 12), theatre=one_district)
    assert km2(lines.at(date(1993, 1, 1)), "armenian") == pytest.approx(65, rel=0.01)
    assert km2(lines.at(date(2000, 1, 1)), "armenian") == pytest.approx(50, rel=0.01)
    assert km2(lines.at(date(2021, 1, 1)), "armenian") == pytest.approx(50, rel=0.01)  # never crossed again


def test_territory_is_computed_once_per_change_date_and_reused():
    capture = {"NW": [assertion("NW", date(1992, 1, 1), date(1992, 1, 1), "armenian")]}
    lines = frontline(capture)
    assert lines.key(date(1995, 3, 3)) == date(1992, 1, 1) and lines.key(date(1987, 1, 1)) is None
    assert lines.at(date(1995, 3, 3)) is lines.at(date(1992, 1, 1))
    lines.precompute()
    assert set(lines._fronts) == set(lines.keys)


def test_changed_since_marks_ground_that_changed_hands_in_the_last_days():
    capture = {"NW": [assertion("NW", date(1992, 1, 10), date(1992, 1, 10), "armenian")]}
    lines = frontline(capture)
    changed = lines.changed_since(date(1992, 1, 20), 30)
    assert list(changed["controlled_by"]) == ["armenian"] and list(changed["previously"]) == ["azerbaijan"]
    assert float(changed["area_km2"].iloc[0]) == pytest.approx(25, rel=0.01)
    assert lines.changed_since(date(1992, 3, 1), 30).empty


def test_front_line_runs_between_the_holders():
    capture = {"NW": [assertion("NW", date(1992, 1, 1), date(1992, 1, 1), "armenian")]}
    line = frontline(capture).front_line(date(1993, 1, 1))
    assert to_metric(line).length == pytest.approx(10 * KM, rel=0.01)  # two 5 km edges around the NW quarter
    assert frontline({}).front_line(date(1993, 1, 1)).is_empty


def test_shares_give_each_territory_its_km2_per_holder():
    capture = {"NW": [assertion("NW", date(1992, 1, 1), date(1992, 1, 1), "armenian")]}
    shares = frontline(capture).shares(date(1993, 1, 1))
    assert shares["West"]["armenian"] == pytest.approx(25, rel=0.01)
    assert shares["West"]["area_km2"] == pytest.approx(50, rel=0.01)
    assert shares["East"]["armenian"] == 0


def test_a_point_belongs_to_the_settlement_whose_ground_it_is_on():
    lines = frontline({})
    lon_lat = to_geo(at(1, 9))
    assert lines.place_at(lon_lat.y, lon_lat.x, date(2000, 1, 1)) == "NW"
    outside = to_geo(at(12, 1))
    assert lines.place_at(outside.y, outside.x, date(2000, 1, 1)) == "SE"


def test_settlements_of_armenian_units_or_off_the_land_get_no_cell():
    points = {**CORNERS, "Goris": at(-5, 5), "Tegh": at(5, 5)}
    model = ControlModel([START], {}, {**{n: "Askeran" for n in CORNERS}, "Goris": "Syunik", "Tegh": "Syunik"}, {})
    lines = Frontline(model, THEATRE, list(points), list(points.values()))
    assert lines.places == list(CORNERS)
