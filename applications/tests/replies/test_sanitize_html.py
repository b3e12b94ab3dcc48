"""sanitize_html(): its output is shown with |safe, so every classic XSS payload must come out inert.

Each result is parsed again with html5lib, an HTML5 parser that builds the tree a browser builds, and the
tree is checked: only the allowed tags, no attribute but href and rel on links, and only http, https and
mailto links. Checking the parsed tree rather than the string is what catches mutation XSS: markup that
looks harmless as a string but turns into something else when a browser parses it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import html5lib  # type: ignore[import-untyped]
import pytest

from applications.replies.markup import SAFE_TAGS, sanitize_html

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</script>",
    "<<script>script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<img src="x" onerror="alert(1)"',
    '<img src="https://track.example/pixel.gif" width=1 height=1>',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="jav&#x0A;ascript:alert(1)">x</a>',
    '<a href="jav&#x0D;ascript:alert(1)">x</a>',
    '<a href="java\x00script:alert(1)">x</a>',
    '<a href="\x01javascript:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="&#x6A;avascript:alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="//evil.example/">x</a>',
    '<a href="/account/delete">x</a>',
    '<a href="https://ok.example" onclick="alert(1)" style="color:red" target="_blank">ok</a>',
    '<a href="http://ok.example/?q=" onmouseover="alert(1)">x</a>',
    '<a href="https://ok.example/&quot;onmouseover=&quot;alert(1)">x</a>',
    '<div style="width: expression(alert(1))">x</div>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    "<style>@import 'https://evil.example/x.css';</style>",
    '<link rel=stylesheet href="https://evil.example/x.css">',
    '<base href="javascript:alert(1)//">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<iframe src="https://evil.example"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="https://evil.example"><input name=p><button>Go</button></form>',
    "<isindex action=javascript:alert(1) type=image>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<svg><p><style><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<select><style></select><img src=x onerror=alert(1)>",
    "<textarea><script>alert(1)</script></textarea>",
    "<title><img src=x onerror=alert(1)></title>",
    "<xmp><img src=x onerror=alert(1)></xmp>",
    "<template><img src=x onerror=alert(1)></template>",
    "<!--<img src=x onerror=alert(1)>-->",
    "<!-- <!-- nested --> <img src=x onerror=alert(1)> -->",
    "<!--> <img src=x onerror=alert(1)> -->",
    "<![CDATA[<img src=x onerror=alert(1)>]]>",
    "<b <script>alert(1)</script>>x</b>",
    '<a href="https://ok.example">unclosed link <b>bold',
    "<p>text</p></blockquote></div></body><script>alert(1)</script>",
    '<table><td><a href="javascript:alert(1)">cell</a></td></table>',
    "<p>\u2028<script>alert(1)</script></p>",
    '<h1 id="x" class="y" lang="en" title="t">title</h1>',
    "<ul><li onclick=x>item</li></ul>",
    "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>",
]

_ALLOWED_SCHEMES = {"http", "https", "mailto"}


def _elements(html: str) -> list[Any]:
    fragment = html5lib.parseFragment(html, container="div", namespaceHTMLElements=False)
    return list(fragment.iter())[1:]  # the fragment itself is not an element of the output


def _assert_inert(html: str) -> None:
    for element in _elements(html):
        tag = element.tag
        assert isinstance(tag, str), f"comment or processing instruction in {html!r}"
        assert tag in SAFE_TAGS, f"<{tag}> in {html!r}"
        attributes = dict(element.attrib)
        if tag == "a":
            assert set(attributes) <= {"href", "rel"}, html
            assert attributes.get("rel") == "noopener noreferrer nofollow", html
            if "href" in attributes:
                # As a browser reads it: surrounding spaces and control characters do not count.
                href = "".join(ch for ch in attributes["href"].strip() if ch >= " " and ch != "\x7f")
                assert urlsplit(href).scheme.lower() in _ALLOWED_SCHEMES, html
        else:
            assert attributes == {}, html
    lowered = html.lower()
    for marker in (
        "<script",
        "javascript:",
        "vbscript:",
        "data:",
        "onerror",
        "onload",
        "<img",
        "<svg",
        "<style",
    ):
        # Inert as text is fine ("&lt;script"), but nothing of the kind survives as markup.
        assert marker not in lowered, f"{marker} in {html!r}"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_it_leaves_no_executable_markup(payload: str) -> None:
    clean = sanitize_html(payload)
    _assert_inert(clean)
    # A second pass changes nothing: what a browser re-parses is what was checked.
    assert sanitize_html(clean) == clean


@pytest.mark.parametrize("payload", PAYLOADS)
def test_it_stays_inert_inside_a_mail(payload: str) -> None:
    wrapped = f"<html><body><p>Dear Kari,</p>{payload}<p>Kind regards</p></body></html>"
    _assert_inert(sanitize_html(wrapped))


def test_it_drops_dangerous_elements_with_their_content() -> None:
    html = (
        "<p>Hello</p><script>var secret = 1;</script><style>p { color: red }</style>"
        "<form><input value=hidden>Form text</form><iframe>frame text</iframe><p>Bye</p>"
    )
    assert sanitize_html(html) == "<p>Hello</p><p>Bye</p>"


def test_it_keeps_formatting_and_safe_links() -> None:
    html = (
        "<h2>Offer</h2><p>Dear <b>Kari</b>, <i>welcome</i> <u>aboard</u>!</p>"
        "<ul><li>Salary</li><li>Start date</li></ul><blockquote>Quoted</blockquote>"
        "<table><tr><th>Item</th><td>Value</td></tr></table>"
        '<a href="https://example.com/a?b=1&amp;c=2">link</a> <a href="mailto:hr@example.com">mail</a>'
    )
    assert sanitize_html(html) == (
        "<h2>Offer</h2><p>Dear <b>Kari</b>, <i>welcome</i> <u>aboard</u>!</p>"
        "<ul><li>Salary</li><li>Start date</li></ul><blockquote>Quoted</blockquote>"
        "<table><tbody><tr><th>Item</th><td>Value</td></tr></tbody></table>"
        '<a href="https://example.com/a?b=1&amp;c=2" rel="noopener noreferrer nofollow">link</a> '
        '<a href="mailto:hr@example.com" rel="noopener noreferrer nofollow">mail</a>'
    )


def test_it_unwraps_unknown_tags_and_keeps_their_text() -> None:
    assert sanitize_html("<div><span style='x'>Hi</span> <font color=red>there</font></div>") == "Hi there"


def test_it_removes_a_tracking_pixel_but_keeps_the_text_around_it() -> None:
    html = '<p>Thanks<img src="https://t.example/o.gif?u=kari" width="1" height="1"> for applying.</p>'
    assert sanitize_html(html) == "<p>Thanks for applying.</p>"


@pytest.mark.parametrize(
    "unsafe",
    [
        "<img src=x onerror=alert(1)>",
        '<a href="javascript:alert(1)" rel="noopener noreferrer nofollow">x</a>',
        '<a href=" jav\tascript:alert(1)" rel="noopener noreferrer nofollow">x</a>',
        '<a href="https://ok.example">no rel</a>',
        '<p title="x">attribute</p>',
        "<svg><p>foreign</p></svg>",
    ],
)
def test_the_check_itself_catches_unsafe_markup(unsafe: str) -> None:
    # The check above is only worth something if it fails on what it is meant to catch.
    with pytest.raises(AssertionError):
        _assert_inert(unsafe)
