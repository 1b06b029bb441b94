"""The two places a page takes text other than through plain escaping: the print preview
(markup, sanitised here again) and the forms that edit a letter (its text as it prints).

The preview comes from the publishing renderer, which already escapes a letter, so the
page tests cannot see this second sanitiser; these call it with hostile markup directly.
"""

from __future__ import annotations

from intake.web.views import editable, preview


def test_the_preview_keeps_print_markup_and_drops_anything_live() -> None:
    shown = str(preview(
        '<p class="x" onclick="alert(1)">A <em>fine</em> letter'
        '<script>alert(2)</script><img src=x onerror="alert(3)">'
        '<a href="javascript:alert(4)">here</a><iframe src="https://evil.test"></iframe></p>'
    ))  # fmt: skip
    assert "<em>fine</em>" in shown and "A " in shown
    lowered = shown.lower()
    for live in ("<script", "onclick", "onerror", "javascript:", "<iframe", "<img"):
        assert live not in lowered, live


def test_an_edit_form_holds_the_text_as_it_prints() -> None:
    text = "Dear Editor,\n\tI say \u2067\u05e9\u05dc\u05d5\u05dd\u2069 <b>&amp;</b>\x1b[2J\n"
    held = str(editable(text))
    assert (
        held == "Dear Editor,\n\tI say \u05e9\u05dc\u05d5\u05dd &lt;b&gt;&amp;amp;&lt;/b&gt;[2J\n"
    )
    assert str(editable(None)) == ""
