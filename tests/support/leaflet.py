"""Reading what folium rendered: circle markers, GeoJSON features with their styles, links, fetched URLs."""

from __future__ import annotations

import base64
import json
import re
from html.parser import HTMLParser
from urllib.parse import unquote

import folium

from dashboard import schema


def render(*layers: folium.MacroElement) -> str:
    """The full HTML page of a plain map holding `layers`."""
    m = folium.Map(location=list(schema.MAP_CENTER), tiles=None)
    for layer in layers:
        layer.add_to(m)
    return m.get_root().render()


def circles(page: str) -> list[dict[str, object]]:
    """Every circle marker a CircleLayer draws, as one dict per marker (columns zipped)."""
    out = []
    for match in re.finditer(r"var circle_layer_\w+ = ", page):
        data, _ = json.JSONDecoder().raw_decode(page, match.end())
        columns = [c for c, v in data.items() if isinstance(v, list)]
        for values in zip(*(data[c] for c in columns)):
            marker = dict(zip(columns, values))
            marker[data["key"]] = marker.pop("keys")
            out.append(marker)
    return out


def geojson_features(page: str) -> list[dict[str, object]]:
    """The features of every folium GeoJson layer, each with the style its styler function gives it."""
    features = []
    for match in re.finditer(r"function (geo_json_\w+)_add \(data\)", page):
        name = match.group(1)
        data, _ = json.JSONDecoder().raw_decode(page, page.index(f"{name}_add(", match.end()) + len(name) + 5)
        styles = _styler_cases(page, name)
        for feature in data["features"]:
            features.append({**feature, "style": styles.get(feature["id"], styles.get("default"))})
    return features


def _styler_cases(page: str, name: str) -> dict[str, dict[str, object]]:
    start = page.find(f"function {name}_styler(feature)")
    if start < 0:
        return {}
    body = page[start : page.index("function", start + 10)]
    styles, pending = {}, []
    for case, default, style in re.findall(r'case "([^"]+)":|(default):|return (\{.*?\});', body):
        if case or default:
            pending.append(case or "default")
        else:
            styles.update({key: json.loads(style) for key in pending})
            pending = []
    return styles


class Fragment(HTMLParser):
    """An HTML fragment's links (attributes of each <a>) and text pieces."""

    def __init__(self) -> None:
        super().__init__()
        self.anchors: list[dict[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.anchors.append(dict(attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse_fragment(fragment: str) -> Fragment:
    """Parse an HTML fragment (entities decoded in text and attributes)."""
    parser = Fragment()
    parser.feed(fragment)
    parser.close()
    return parser


def popup_text(marker: dict[str, object]) -> str:
    """What streamlit-folium reports as last_object_clicked_popup (innerText of the popup element)."""
    return "\n".join(parse_fragment(str(marker["popup"]).replace("<br>", "\n")).text)


def resource_references(page: str) -> list[str]:
    """Every URL the page's HTML or CSS would fetch: src=, href= of <script>/<link>, url(...) in CSS."""
    refs = re.findall(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)=[\"']([^\"']+)", page)
    refs += re.findall(r"url\(\s*[\"']?([^\"')]+)", page)
    return refs


def decode_data_url(url: str) -> str:
    """The text inside a data: URL."""
    header, _, payload = url.partition(",")
    return base64.b64decode(payload).decode() if header.endswith(";base64") else unquote(payload)
