"""The Lachin corridor: routes and status periods with FILE:LINE checks, the strip by date, the peacekeeping zone."""

from __future__ import annotations

from datetime import date

import pytest
import shapely
from shapely.geometry import LineString, Point, box

from dashboard.corridor import (
    PEACEKEEPING_END,
    PEACEKEEPING_START,
    Corridor,
    CorridorPeriod,
    load_corridor,
    peacekeeping_zone,
    read_routes,
    read_status,
)
from dashboard.theatre import area_km2, to_metric

ROUTES = "route,seq,lat,lon,waypoint,source,source_url\n"
STATUS = "route,date_start,date_end,status,event_id,source,source_url,note\n"
# A straight east-west road of about 8.6 km near Lachin, waypoints listed out of order.
ROAD = ROUTES + "old,2,39.60,46.60,east end,s,\nold,1,39.60,46.50,west end,s,\n"


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def period(route: str, start: date, end: date, status: str) -> CorridorPeriod:
    return CorridorPeriod(route, start, end, status, "", "s", "", "", "corridor_status.csv", 2)


ROUTE = {"old": LineString([(46.50, 39.60), (46.60, 39.60)])}
TIMES = [
    period("old", date(1992, 5, 18), date(2020, 11, 10), "armenian-held"),
    period("old", date(2020, 11, 10), date(2022, 12, 12), "peacekeepers"),
]


def test_waypoints_are_joined_in_seq_order(tmp_path):
    routes, problems = read_routes(write(tmp_path, "corridor_routes.csv", ROAD))
    assert problems == [] and list(routes["old"].coords) == [(46.5, 39.6), (46.6, 39.6)]


@pytest.mark.parametrize(
    "rows, expected",
    [
        ("old,1,39.6,46.5,a,s,\nold,1,39.6,46.6,b,s,\n", "corridor_routes.csv:3: seq: route old: seq 1 given twice"),
        ("old,1,39.6,46.5,a,s,\nold,2,52.0,46.6,b,s,\n", "corridor_routes.csv:3: lat: 52.0, 46.6 lies outside"),
        ("old,x,39.6,46.5,a,s,\n", "corridor_routes.csv:2: seq: seq, lat and lon must be numbers"),
        ("old,1,39.6,46.5,a,s,\n", "corridor_routes.csv:1: route: route old: fewer than two waypoints"),
    ],
)
def test_bad_waypoints_are_reported_with_file_and_line(tmp_path, rows, expected):
    _, problems = read_routes(write(tmp_path, "corridor_routes.csv", ROUTES + rows))
    assert expected in "\n".join(map(str, problems))


@pytest.mark.parametrize(
    "rows, expected",
    [
        ("new,1992-05-18,2020-11-10,armenian-held,e,s,,\n", "corridor_status.csv:2: route: unknown route 'new'"),
        ("old,1992-05-18,2020-11-10,open,e,s,,\n", "corridor_status.csv:2: status: 'open' is not one of"),
        ("old,2020-11-10,1992-05-18,blockaded,e,s,,\n", "corridor_status.csv:2: date_end: period ends 1992-05-18"),
        (
            "old,1992-05-18,2020-11-11,armenian-held,e,s,,\nold,2020-11-10,2022-08-31,peacekeepers,e,s,,\n",
            "corridor_status.csv:3: date_start: starts 2020-11-10, before the period of line 2 ends (2020-11-11)",
        ),
    ],
)
def test_bad_status_rows_are_reported_with_file_and_line(tmp_path, rows, expected):
    _, problems = read_status(write(tmp_path, "corridor_status.csv", STATUS + rows), ROUTE)
    assert expected in "\n".join(map(str, problems))


def test_no_corridor_before_it_existed_then_the_status_of_each_day():
    corridor = Corridor(ROUTE, TIMES)
    assert corridor.at(date(1990, 1, 1)).empty
    assert set(corridor.at(date(2000, 1, 1))["status"]) == {"armenian-held"}
    assert set(corridor.at(date(2020, 11, 10))["status"]) == {"peacekeepers"}
    assert sorted(corridor.at(date(2021, 1, 1))["kind"]) == ["corridor", "road"]


def test_after_the_last_period_the_corridor_is_closed():
    corridor = Corridor(ROUTE, TIMES)
    late = corridor.at(date(2023, 1, 1))
    assert set(late["status"]) == {"closed"} and set(late["since"]) == {"2022-12-12"}


def test_the_strip_is_five_km_wide_and_stops_at_armenia():
    strip = Corridor(ROUTE, TIMES).strip("old")
    metric = to_metric(strip)
    length = to_metric(ROUTE["old"]).length
    # a 2.5 km buffer each side: the rectangle plus two half discs
    assert metric.area == pytest.approx(length * 5000 + 3.14159 * 2500**2, rel=0.01)
    armenia = to_metric(box(46.40, 39.50, 46.55, 39.70))
    clipped = Corridor(ROUTE, TIMES, armenia).strip("old")
    assert to_metric(clipped).intersection(armenia).area < 1.0
    assert area_km2(to_metric(clipped)) < area_km2(metric)


def test_features_of_one_period_are_made_once():
    corridor = Corridor(ROUTE, TIMES)
    assert corridor.at(date(2000, 1, 1)) is corridor.at(date(2010, 6, 1))


def test_peacekeeping_zone_joins_the_held_ground_and_the_strip_while_the_peacekeepers_were_there():
    held = box(46.70, 39.70, 46.90, 39.90)
    corridor = Corridor(ROUTE, TIMES)
    zone = peacekeeping_zone(lambda when: held, corridor, date(2021, 6, 1))
    geometry = zone.geometry.iloc[0]
    assert geometry.covers(held) and geometry.covers(Point(46.55, 39.60))
    assert peacekeeping_zone(lambda when: held, corridor, date(2020, 11, 9)).empty
    assert peacekeeping_zone(lambda when: held, corridor, PEACEKEEPING_END).empty
    assert not peacekeeping_zone(lambda when: held, corridor, PEACEKEEPING_START).empty


def test_peacekeeping_zone_after_the_offensive_of_september_2023_is_the_one_of_the_day_before():
    asked = []
    corridor = Corridor(ROUTE, TIMES)
    peacekeeping_zone(lambda when: asked.append(when) or shapely.Polygon(), corridor, date(2024, 2, 1))
    assert asked == [date(2023, 9, 18)]


def test_load_corridor_reads_both_files(tmp_path):
    routes = write(tmp_path, "corridor_routes.csv", ROAD)
    status = write(tmp_path, "corridor_status.csv", STATUS + "old,1992-05-18,2020-11-10,armenian-held,e,s,,\n")
    corridor, problems = load_corridor(routes, status)
    assert problems == [] and corridor.period_at(date(2000, 1, 1)).status == "armenian-held"
