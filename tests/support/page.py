"""Reading what the page sent under AppTest: the map component's arguments."""

from __future__ import annotations

import json
from typing import Any

from streamlit.testing.v1 import AppTest

from dashboard import schema

APP = str(schema.REPO_ROOT / "dashboard" / "app.py")


def map_arguments(at: AppTest) -> dict[str, Any]:
    """What the page sent the map component this run."""
    (component,) = at.get("component_instance")
    assert component.proto.component_name == "streamlit_folium.st_folium"
    return json.loads(component.proto.json_args)
