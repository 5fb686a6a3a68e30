"""The About panel says what is shown, where it comes from, how control is derived, names, disputes, errors."""

from __future__ import annotations

from dashboard.about import about_markdown
from tests.support.mapdata import event, events_frame


def test_about_covers_every_topic_with_figures_from_the_data():
    events = events_frame([event(id="a", disputed=True, verified=True, claimed_by="NKR"), event(id="b")])
    text = about_markdown(events)
    for heading in (
        "What is shown",
        "Where the data comes from",
        "How control is derived",
        "Names",
        "What is disputed",
        "Report an error",
    ):
        assert f"**{heading}.**" in text
    assert "2 dated events" in text and "1 event is marked *disputed*" in text
    assert "Natural Earth" in text and "GeoNames" in text and "python -m dashboard validate" in text
