"""Escaping by default: values become text, only Markup passes; links only for http(s) URLs."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.html import Markup, escape, join_html, js_template_safe, link_html, source_urls_html
from tests.support.leaflet import parse_fragment


def test_values_are_escaped_and_missing_values_are_empty() -> None:
    assert [escape(v) for v in (None, pd.NA, float("nan"), "a&b", 3, "<em>x</em>")] == [
        "",
        "",
        "",
        "a&amp;b",
        "3",
        "&lt;em&gt;x&lt;/em&gt;",
    ]


def test_markup_passes_unchanged_and_templates_escape_their_values() -> None:
    assert escape(Markup("<em>x</em>")) == "<em>x</em>"
    assert Markup("<b>{}</b>").format("<em>") == "<b>&lt;em&gt;</b>"


def test_join_drops_empty_parts_and_escapes_the_rest() -> None:
    assert join_html(" · ", ["<a>", "", None, Markup("<i>b</i>")]) == "&lt;a&gt; · <i>b</i>"


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<script>x</script>", "ftp://x", "text"])
def test_only_web_urls_become_links(url: str) -> None:
    fragment = link_html(url)
    assert parse_fragment(str(fragment)).anchors == []
    assert "".join(parse_fragment(str(fragment)).text) == url


def test_a_web_url_is_a_new_tab_link_that_cannot_break_its_attribute() -> None:
    url = 'https://example.org/"onmouseover="x\'&y=<1>'
    (anchor,) = parse_fragment(str(link_html(url))).anchors
    assert anchor == {"href": url, "target": "_blank", "rel": "noopener noreferrer"}


def test_every_url_of_a_source_url_cell_is_a_link() -> None:
    fragment = source_urls_html("https://a.example/1 | http://b.example/2 | javascript:x")
    parsed = parse_fragment(str(fragment))
    assert [a["href"] for a in parsed.anchors] == ["https://a.example/1", "http://b.example/2"]
    assert "javascript:x" in "".join(parsed.text)
    assert source_urls_html(pd.NA) == "" and source_urls_html("") == ""


def test_template_literal_characters_become_entities() -> None:
    assert js_template_safe(escape("`${x}`\\")) == "&#96;&#36;{x}&#96;&#92;"
