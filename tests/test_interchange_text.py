"""HTML, Markdown and Moodle auto-format into Lateral's plain text."""

from __future__ import annotations

import re

import pytest

from quiz.authoring.interchange.text import paragraphs, to_plain

PAYLOADS = [
    "<script>alert(1)</script>Hello",
    "<img src=x onerror=alert(1)>Hello",
    "<svg onload=alert(1)><circle/></svg>Hello",
    "<a href='javascript:alert(1)'>Hello</a>",
    "<iframe src='https://evil.example'></iframe>Hello",
    "<style>body{display:none}</style>Hello",
    "<p onclick=alert(1)>Hello</p>",
    "<math><mi>x</mi></math>Hello",
    "<object data=x></object>Hello",
    "<!-- <script>alert(1)</script> -->Hello",
    "<![CDATA[<script>]]>Hello",
]
TAG = re.compile(r"<\s*/?\s*[a-zA-Z!]")


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("fmt", ["html", "moodle", "markdown"])
def test_no_markup_survives_and_the_words_do(payload, fmt):
    text = to_plain(payload, fmt).text
    assert not TAG.search(text), text
    assert "alert" not in text and "javascript" not in text
    assert text.endswith("Hello")


def test_characters_that_only_look_like_markup_stay_characters_as_a_browser_shows_them():
    # A browser shows "<b>Hello" for this; Lateral stores it as text and escapes it on output.
    assert to_plain("<<b>b>Hello", "html").text == "<b>Hello"
    assert to_plain("a < b and c > d", "html").text == "a < b and c > d"


def test_entities_are_decoded_once():
    assert to_plain("&amp;lt;b&amp;gt; &lt;i&gt; &eacute; &#8217; &nbsp;x", "html").text == (
        "&lt;b&gt; <i> é ’ x"
    )


def test_paragraphs_line_breaks_and_lists_are_kept_as_plain_layout():
    converted = to_plain(
        "<p>One<br>two</p><ol><li>a</li><li>b</li></ol><ul><li>c</li></ul>", "html"
    )
    assert converted.text == "One\ntwo\n\n1. a\n2. b\n\n- c"
    assert converted.formatted  # lists are formatting a teacher would miss


def test_a_link_keeps_its_address_and_an_image_its_description():
    converted = to_plain(
        '<a href="https://example.org/r">the report</a> <a href="https://x.org">https://x.org</a>'
        '<img src="@@PLUGINFILE@@/a.png" alt=" A  map "><img src="b.png">',
        "html",
    )
    assert converted.text == "the report (https://example.org/r) https://x.org"
    assert converted.links == ["https://example.org/r"]
    assert converted.images == ["A map", ""]


def test_markdown_is_rendered_then_read_as_text():
    converted = to_plain(
        "A **bold** claim, `code` and [a link](https://e.org).\n\n* x\n* y", "markdown"
    )
    assert converted.text == "A bold claim, code and a link (https://e.org).\n\n- x\n- y"
    assert converted.formatted


def test_moodle_auto_format_keeps_line_breaks_and_drops_tags():
    assert to_plain("one\ntwo <b>three</b>", "moodle").text == "one\ntwo three"


def test_plain_text_is_kept_as_typed():
    converted = to_plain("  Keep <b>this</b> &amp; that  ", "plain")
    assert (converted.text, converted.formatted) == ("Keep <b>this</b> &amp; that", False)


def test_paragraphs_split_a_description_into_passages():
    assert paragraphs("<p>One.</p><p>Two <i>words</i>.</p>", "html") == ["One.", "Two words."]
    assert paragraphs("One.\n\nTwo.", "plain") == ["One.", "Two."]
    assert paragraphs("One.\n\nTwo.", "markdown") == ["One.", "Two."]
