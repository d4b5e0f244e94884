"""The weekly summary as one self-contained, escaped HTML page (no scripts, no external resources)."""

from __future__ import annotations

from html import escape

from . import wording as w
from .summary import WeeklySummary

TITLE = {"nl": "Weekoverzicht", "en": "Weekly summary"}
MADE = {"nl": "Gemaakt op", "en": "Made on"}
STYLE = ("body{font-family:'DejaVu Sans',Arial,sans-serif;max-width:42em;margin:2em auto;padding:0 1em;"
         "color:#222;line-height:1.5;font-size:1.1em}h1{font-size:1.5em;color:#1f4e5f}"
         "h2{font-size:1.15em;color:#1f4e5f;border-bottom:1px solid #cdd;margin-top:1.4em}"
         ".meta{color:#555}")


def render_html(summary: WeeklySummary, lang: str = "nl") -> str:
    e = escape
    parts = [
        "<!DOCTYPE html>", f'<html lang="{lang}">', "<head>", '<meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'">',
        f"<title>{e(TITLE[lang])} {e(summary.name)} {e(summary.week)}</title>", f"<style>{STYLE}</style>",
        "</head>", "<body>",
        f"<h1>{e(TITLE[lang])} {e(summary.name)}</h1>",
        (f'<p class="meta">{e(w.day_text(summary.first, lang))} – {e(w.day_text(summary.last, lang))} '
         f"({e(summary.week)})<br>{e(summary.audience[lang])}</p>"),
    ]
    for section in summary.sections:
        parts.append(f'<section id="{e(section.key)}"><h2>{e(section.title[lang])}</h2>')
        parts.extend(f"<p>{e(text)}</p>" for text in section.paragraphs[lang])
        parts.append("</section>")
    parts.append(f'<p class="meta">{e(MADE[lang])} {e(w.day_text(summary.made.date(), lang))}.</p>')
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"
