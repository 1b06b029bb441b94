"""HTML to text, and splitting an HTML reply along client quote markup."""

from __future__ import annotations

from intake.mail.htmltext import html_to_text, split_html_reply


def test_paragraphs_breaks_and_lists() -> None:
    html = "<p>First&nbsp;para.</p><p>Second<br>line</p><ul><li>one</li><li>two</li></ul>"
    assert html_to_text(html) == "First para.\n\nSecond\nline\n\n- one\n- two"


def test_scripts_styles_and_comments_are_dropped() -> None:
    html = "<head><title>T</title><style>p{}</style></head><p>Body<!-- hidden --></p><script>x=1</script>"
    assert html_to_text(html) == "Body"


def test_entities_are_decoded_and_whitespace_collapsed() -> None:
    assert html_to_text("<div>Fish &amp;   chips\n\n &lt;3</div>") == "Fish & chips <3"


def test_pre_keeps_its_whitespace() -> None:
    assert html_to_text("<pre>a  b\n  c</pre>") == "a  b\n  c"


def test_table_cells_do_not_run_together() -> None:
    assert html_to_text("<table><tr><td>Name</td><td>Jane</td></tr></table>") == "Name Jane"


def test_tag_soup_does_not_lose_text() -> None:
    html = "<div><p>one<p>two</span></div>three</b><div>four"
    assert html_to_text(html).split() == ["one", "two", "three", "four"]


def test_split_without_markers_is_all_text() -> None:
    parts = split_html_reply("<p>Just an answer.</p>")
    assert (parts.text, parts.quoted, parts.signature) == ("Just an answer.", "", "")


def test_split_marks_each_quote_container_once() -> None:
    html = (
        '<p>Answer.</p><blockquote type="cite">Quoted <blockquote type="cite">deeper</blockquote>'
        "</blockquote>"
    )
    parts = split_html_reply(html, quote_marker="[q]")
    assert parts.text == "Answer.\n\n[q]"
    assert parts.quoted == "Quoted\ndeeper"


def test_split_routes_signature_unless_kept() -> None:
    html = '<p>Answer.</p><div class="gmail_signature">Jane Author</div>'
    assert split_html_reply(html).signature == "Jane Author"
    kept = split_html_reply(html, keep_signature=True)
    assert kept.text == "Answer.\n\nJane Author"
    assert kept.signature == ""


def test_outlook_border_div_only_cuts_when_it_starts_with_a_header() -> None:
    boxed = "<p>Answer.</p><div style='border-top:solid #ccc 1pt'>A boxed note</div>"
    assert split_html_reply(boxed).text == "Answer.\n\nA boxed note"
    header = (
        "<p>Answer.</p><div style='border-top:solid #ccc 1pt'><b>From:</b> Desk</div><p>Old</p>"
    )
    parts = split_html_reply(header)
    assert parts.text == "Answer."
    assert parts.quoted == "From: Desk\n\nOld"
