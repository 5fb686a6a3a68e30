"""Escaped HTML, the markupsafe way: a `Markup` value is known-safe, every other value is escaped on the way in.

Every fragment in the package is made from `Markup` templates (`Markup("<b>{}</b>").format(title)`
escapes `title`) or from the helpers here, so a value from a data file cannot become markup by
forgetting to escape it. Names ending in `_html` return `Markup`.

>>> Markup("<b>{}</b>").format("<script>")
Markup('<b>&lt;script&gt;</b>')
"""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup
from markupsafe import escape as _escape

from dashboard import schema
from dashboard.values import is_na

__all__ = ["Markup", "escape", "join_html", "js_template_safe", "link_html", "source_html", "source_urls_html"]

# folium pastes Tooltip/Popup HTML into JavaScript template literals (`...`), where a backtick, `${`
# or a backslash from data would run or break the script; as entities they only show.
_JS_TEMPLATE_CHARS = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;"})
_WEB = ("http://", "https://")


def escape(value: object) -> Markup:
    """A value from data as escaped HTML; missing values (None, NaN, NA) become empty."""
    if isinstance(value, Markup):
        return value
    return Markup("") if is_na(value) else _escape(str(value))


def js_template_safe(fragment: Markup) -> Markup:
    """Escaped HTML that is also inert inside a JavaScript template literal (for folium's Tooltip)."""
    return Markup(str(fragment).translate(_JS_TEMPLATE_CHARS))


def join_html(separator: str | Markup, parts: Iterable[object]) -> Markup:
    """The non-empty parts joined by `separator`, each escaped unless it is Markup already."""
    return escape(separator).join(p for p in (escape(part) for part in parts) if p)


def link_html(url: object) -> Markup:
    """An http(s) URL as a link that opens in a new tab; anything else (javascript:, text) as plain text."""
    text = "" if is_na(url) else str(url).strip()
    if text.lower().startswith(_WEB):
        return Markup('<a href="{0}" target="_blank" rel="noopener noreferrer">{0}</a>').format(text)
    return escape(text)


def source_html(source: object) -> Markup:
    """A `source` cell: a link when it is an http(s) URL, else its text."""
    return link_html(source)


def source_urls_html(urls: object, separator: str = " · ") -> Markup:
    """Every http(s) URL of a `source_url` cell (separated by schema.SOURCE_SEPARATOR) as a link; others as text."""
    text = "" if is_na(urls) else str(urls)
    parts = [part.strip() for part in text.split(getattr(schema, "SOURCE_SEPARATOR", " | ").strip())]
    return join_html(separator, [link_html(part) for part in parts if part])
