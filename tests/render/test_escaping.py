"""escape_text gives exactly MarkupSafe's escape, and the Word and web templates use it."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup, escape

from pipeline.render.escaping import escape_text
from pipeline.render.sandbox import PlanSandbox
from pipeline.welsh_text import EnglishText


@given(st.text())
def test_plain_text_is_escaped_as_markupsafe_escapes_it(text: str) -> None:
    result = escape_text(text)
    assert type(result) is Markup
    assert result == escape(text)


def test_other_values_go_to_markupsafe() -> None:
    safe = Markup("<w:br/>")
    assert escape_text(safe) == safe  # already safe: left as it is
    assert escape_text(12) == "12"
    english = EnglishText("Tom & Jerry <Ltd>")
    assert escape_text(english) == "Tom &amp; Jerry &lt;Ltd&gt;"


def test_templates_print_user_text_literally_with_escape_text() -> None:
    template = PlanSandbox(60).from_string("{{ a }}|{{ b }}|{{ c }}")
    assert template.root_render_func.__globals__["escape"] is escape_text
    rendered = template.render(a="{{ x }} <b> & =SUM()", b=Markup("<i>"), c=3)
    assert rendered == "{{ x }} &lt;b&gt; &amp; =SUM()|<i>|3"
