"""Offline JS/CSS for the map: only the files it uses, read from the installed folium-offline wheel, never the internet.

folium points Leaflet, jQuery, Bootstrap, Font Awesome and awesome-markers at CDNs. streamlit-folium
0.27 does not bundle Leaflet: its frontend strips `<script src>`/`<link href>` from the map header,
collects the `default_js`/`default_css` URLs of every folium element and adds them to its iframe;
inline `<script>` in the header never runs. So the place to intervene is those URL lists:

* the maps keep only what they use: Leaflet JS+CSS, jQuery, which folium's own Popup calls as
  `$(...)`, and Leaflet.markercluster (`ClusterSupport`: events at one place gather in a bubble that
  spreads on click). Bootstrap, glyphicons, Font Awesome and awesome-markers serve marker icons, not
  drawn here;
* `use_offline_assets` replaces each remaining URL by a `data:` URL holding the file, or by the copy
  `install_offline_assets` wrote into a folder Streamlit serves. The files come from the PyPI package
  `folium-offline` (0.20.0.2, MIT, Sandia National Laboratories; import name `offlinefolium`): its
  module `offlinefolium.elements` keeps a dict `_res` from folium 0.20's CDN URLs to the files' text
  (Leaflet 1.9.3 with its images inlined, jQuery 3.7.1). That private dict is read only here
  (`_offline_text`); pyproject.toml pins the package. A URL it does not carry raises
  OfflineAssetError rather than loading from the internet.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
from functools import cache
from pathlib import Path

import folium
import folium.elements
import folium.plugins
from branca.element import MacroElement
from folium.template import Template

from dashboard.map.folium_overrides import walk

# folium.Map.default_js/default_css entries the maps of this package use.
USED_MAP_ASSETS = frozenset({"leaflet", "jquery", "leaflet_css"})
_LOCAL_URL = re.compile(r"https?://(localhost|127\.0\.0\.1|\[::1\])(:\d+)?/", re.IGNORECASE)


class ClusterSupport(folium.elements.JSCSSMixin, MacroElement):
    """Leaflet.markercluster's script and base CSS (the URLs folium's MarkerCluster plugin names) and the
    look of the bubbles; add it to the base map so the frame loads the plugin once."""

    default_js = list(folium.plugins.MarkerCluster.default_js)
    default_css = [(name, url) for name, url in folium.plugins.MarkerCluster.default_css if name == "markerclustercss"]
    _template = Template("""
        {% macro header(this, kwargs) %}
            <style>
                .kd-bubble { background: #fff; border: 2.5px solid #333; border-radius: 50%; box-sizing: border-box;
                    font: 700 12px/21px sans-serif; text-align: center; color: #222;
                    box-shadow: 0 0 0 2px rgba(255, 255, 255, 0.8); }
            </style>
        {% endmacro %}
    """)

    def __init__(self) -> None:
        super().__init__()
        self._name = "ClusterSupport"


class OfflineAssetError(LookupError):
    """A JS/CSS resource has no offline copy in the installed folium-offline package."""


def keep_used_assets(m: folium.Map) -> folium.Map:
    """The map asking for only the JS/CSS the maps here use: Leaflet and its CSS, and jQuery for folium's Popup."""
    # Instance-level lists: folium's class-level ones are shared by every map.
    m.default_js = [(name, url) for name, url in m.default_js if name in USED_MAP_ASSETS]
    m.default_css = [(name, url) for name, url in m.default_css if name in USED_MAP_ASSETS]
    return m


def use_offline_assets(m: folium.Map, asset_url: str | None = None) -> folium.Map:
    """Replace every JS/CSS URL the map's elements load by a local copy of the file from folium-offline.

    The copy is a data: URL holding the file, or with `asset_url` that folder's copy written by
    `install_offline_assets` (a URL folder such as "../../app/static/offline", without the final "/").
    Call it after all layers are added. URLs that are already local (data:, relative, localhost) stay.
    """
    for element in walk(m):
        if isinstance(element, folium.elements.JSCSSMixin):
            element.default_js = [
                (name, _local_url(url, "text/javascript", asset_url)) for name, url in element.default_js
            ]
            element.default_css = [(name, _local_url(url, "text/css", asset_url)) for name, url in element.default_css]
    return m


def install_offline_assets(directory: Path) -> list[Path]:
    """Write the JS/CSS files the maps load (Leaflet, its CSS, jQuery, markercluster) into `directory`; return paths.

    A file already there with the same text is left alone, others are replaced atomically (several
    servers may start at once).
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    m = keep_used_assets(folium.Map(tiles=None))
    ClusterSupport().add_to(m)
    for url in resource_urls(m):
        text = _offline_text(url)
        path = directory / _asset_name(url)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
            partial.write_text(text, encoding="utf-8")
            os.replace(partial, path)
        paths.append(path)
    return paths


def asset_links(m: folium.Map) -> tuple[list[str], list[str]]:
    """(CSS, JS) URLs the map's elements load, each once, in the order st_folium collects them."""
    css = [url for element in walk(m) for _, url in getattr(element, "default_css", [])]
    js = [url for element in walk(m) for _, url in getattr(element, "default_js", [])]
    return list(dict.fromkeys(css)), list(dict.fromkeys(js))


def resource_urls(m: folium.Map) -> list[str]:
    """Every JS/CSS URL the map's elements ask a page (or streamlit-folium) to load."""
    return [
        url
        for element in walk(m)
        if isinstance(element, folium.elements.JSCSSMixin)
        for _, url in [*element.default_js, *element.default_css]
    ]


def _local_url(url: str, mime: str, asset_url: str | None = None) -> str:
    if not url.lower().startswith(("http://", "https://", "//")) or _LOCAL_URL.match(url):
        return url
    if asset_url is not None:
        _offline_text(url)  # the file must exist offline
        return f"{asset_url}/{_asset_name(url)}"
    return _data_url(url, mime)


@cache
def _data_url(url: str, mime: str) -> str:
    payload = base64.b64encode(_offline_text(url).encode("utf-8")).decode("ascii")
    return f"data:{mime};charset=utf-8;base64,{payload}"


def _offline_text(url: str) -> str:
    """The text of the file at a CDN URL, from folium-offline; OfflineAssetError when it has none."""
    # Imported here: the module holds ~7 MB of embedded files and only offline mode needs it.
    from offlinefolium.elements import _res as offline_files

    if url not in offline_files:
        raise OfflineAssetError(f"{url} has no offline copy in the installed folium-offline package")
    return str(offline_files[url])


def _asset_name(url: str) -> str:
    """A file name for a CDN URL: a short hash of the URL (versions differ by path) and its last part."""
    base = re.sub(r"[^A-Za-z0-9._-]", "_", url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]) or "asset"
    return f"{hashlib.sha256(url.encode('utf-8')).hexdigest()[:10]}-{base}"
