"""The command line: exit codes, FILE:LINE problem lines, CSV/GeoJSON output, control and geocode answers."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys

import pytest

from dashboard import schema
from dashboard.cli import main
from tests.conftest import row


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_passes_on_the_bundled_data(capsys):
    code, out, err = run(capsys, "validate")
    assert code == 0, out
    assert out == ""


def test_validate_reports_file_line_column_and_exits_1(capsys, write_events):
    path = write_events([row(id="ok"), row(id="bad", date_end="1992-01-01"), row(id="bad2", event_type="war")])
    code, out, _ = run(capsys, "validate", "--events", str(path))
    assert code == 1
    lines = out.splitlines()
    assert f"{path}:3: date_end: end 1992-01-01 is before the start date" in lines
    assert any(line.startswith(f"{path}:4: event_type: 'war' is not one of") for line in lines)


def test_validate_missing_file_is_one_line_not_a_traceback():
    proc = subprocess.run(
        [sys.executable, "-m", "dashboard", "validate", "--events", "/nonexistent/e.csv"],
        capture_output=True,
        text=True,
        cwd=schema.REPO_ROOT,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr and "/nonexistent/e.csv" in proc.stderr


def test_events_window_as_csv(capsys):
    code, out, _ = run(capsys, "events", "--start", "2020-09-27", "--end", "2020-11-10")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows and all(r["date_start"] <= "2020-11-10" and r["date_end"] >= "2020-09-27" for r in rows)
    assert list(rows[0]) == list(schema.EVENT_COLUMNS)


def test_events_type_filter_and_geojson(capsys):
    code, out, _ = run(capsys, "events", "--type", "ceasefire", "--format", "geojson")
    collection = json.loads(out)
    assert code == 0 and collection["type"] == "FeatureCollection" and collection["features"]
    for feature in collection["features"]:
        props = feature["properties"]
        assert props["event_type"] == "ceasefire"
        assert set(schema.EVENT_COLUMNS) <= set(props)
        assert feature["geometry"]["coordinates"] == [props["longitude"], props["latitude"]]


def test_events_rejects_a_malformed_date(capsys):
    with pytest.raises(SystemExit):
        main(["events", "--start", "2020-13-01"])
    assert "2020-13-01" in capsys.readouterr().err


def test_control_json_lists_every_territory(capsys):
    code, out, _ = run(capsys, "control", "--date", "2000-01-01", "--format", "json")
    answer = {r["territory"]: r["controlled_by"] for r in json.loads(out)}
    assert code == 0 and set(answer) == set(schema.TERRITORY_NAMES)
    assert answer["Kalbajar"] == "armenian" and answer["Aghdam"] == "partial"


def test_geocode_json(capsys):
    code, out, _ = run(capsys, "geocode", "Berdzor", "--json")
    answer = json.loads(out)
    assert code == 0 and answer["query"] == "Berdzor" and answer["name"] == "Lachin"
    assert {"lat", "lon", "source"} <= set(answer)


def test_geocode_unknown_exits_1_with_reason(capsys):
    code, _, err = run(capsys, "geocode", "Atlantis")
    assert code == 1 and "unknown place" in err


def test_geocode_ambiguous_lists_candidates(capsys):
    code, _, err = run(capsys, "geocode", "Agarak")
    assert code == 1 and err.count("GeoNames") >= 2


def test_fill_coords_fills_only_empty_coordinates(capsys, write_events):
    path = write_events(
        [
            row(id="a", latitude="", longitude="", location="Berdzor"),
            row(id="b", latitude="", longitude="", location="Atlantis"),
            row(id="c"),
        ]
    )
    code, out, _ = run(capsys, "fill-coords", "--events", str(path))
    rows = {r["id"]: r for r in csv.DictReader(path.open(encoding="utf-8"))}
    assert code == 1 and ":3: location:" in out and "Atlantis" in out
    assert (rows["a"]["latitude"], rows["a"]["longitude"]) == ("39.63742", "46.54977")
    assert rows["b"]["latitude"] == "" and rows["c"]["latitude"] == "39.76006"


# --- Settlement-level control: control --at, frontline, corridor, validate of the control files ----------


def test_control_at_a_place_answers_holder_since_event_and_source(capsys):
    code, out, _ = run(capsys, "control", "--date", "2020-11-07", "--at", "Shushi", "--format", "json")
    answer = json.loads(out)
    assert code == 0 and answer["place"] == "Shusha" and answer["controlled_by"] == "armenian"
    assert {"place", "date", "controlled_by", "since", "event_id", "source"} <= set(answer)
    code, out, _ = run(capsys, "control", "--date", "2020-11-09", "--at", "Şuşa", "--format", "json")
    assert json.loads(out)["controlled_by"] == "azerbaijan"


def test_control_at_an_unknown_place_lists_candidates(capsys):
    code, _, err = run(capsys, "control", "--date", "2000-01-01", "--at", "Shushaa")
    assert code == 1 and "unknown place" in err and "candidates: Shusha" in err and "Traceback" not in err


def test_control_of_the_districts_gives_their_held_share(capsys):
    code, out, _ = run(capsys, "control", "--date", "2000-01-01", "--format", "json")
    rows = {r["territory"]: r for r in json.loads(out)}
    assert code == 0 and 0.5 < rows["Aghdam"]["armenian_share"] < 0.9 and rows["Lachin"]["armenian_share"] >= 0.98


def test_frontline_geojson_has_a_feature_per_holder_with_its_area(capsys):
    code, out, _ = run(capsys, "frontline", "--date", "2000-01-01", "--format", "geojson")
    features = json.loads(out)["features"]
    holders = [f["properties"]["controlled_by"] for f in features]
    assert code == 0 and {"armenian", "azerbaijan"} <= set(holders)
    assert holders.count("armenian") == 1 and holders.count("azerbaijan") == 1
    assert all(f["properties"]["area_km2"] > 0 and f["properties"]["date"] == "2000-01-01" for f in features)


def test_corridor_has_no_features_before_it_existed(capsys):
    code, out, _ = run(capsys, "corridor", "--date", "1990-01-01", "--format", "geojson")
    assert code == 0 and json.loads(out) == {"type": "FeatureCollection", "features": []}
    code, out, _ = run(capsys, "corridor", "--date", "2023-01-15", "--format", "geojson")
    assert {f["properties"]["status"] for f in json.loads(out)["features"]} == {"blockaded"}


def test_validate_reports_the_control_files_with_file_and_line(capsys, tmp_path):
    folder = tmp_path / "geodata"
    shutil.copytree(schema.GEODATA_DIR, folder)
    with (folder / "control_changes.csv").open("a", encoding="utf-8") as changes:
        changes.write("Atlantis,1992-05-08,1992-05-09,armenian,no-such-event,,s,,\n")
    lines = (folder / "control_changes.csv").read_text(encoding="utf-8").splitlines()
    code, out, _ = run(capsys, "validate", "--geodata", str(folder))
    assert code == 1
    assert f"{folder / 'control_changes.csv'}:{len(lines)}: place: 'Atlantis': unknown place" in out


def test_audit_prints_the_tables_of_the_bundled_events(capsys):
    code, out, _ = run(capsys, "audit")
    assert code == 0 and "| with a source URL |" in out and "| year |" in out


def test_audit_json_counts_every_row(capsys):
    code, out, _ = run(capsys, "audit", "--format", "json")
    record = json.loads(out)
    assert code == 0 and record["rows"] == sum(record["by_type"].values())
    assert record["with_url"] <= record["rows"]
