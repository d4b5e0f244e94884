"""The weekly summary as PDF with fpdf2 (no Qt), in a large, calm type for older readers.

DejaVu Sans is embedded when the system has it (Debian: fonts-dejavu-core), so every Dutch character
prints as written. Without it the PDF falls back to the core Helvetica font and the text is
transliterated to Latin-1 (ë and é survive, a few signs like the en dash become "-"); the caller is told.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

from . import wording as w
from .summary import WeeklySummary

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"),
             Path("/usr/local/share/fonts"), Path("C:/Windows/Fonts"), Path("/Library/Fonts"))
TITLE = {"nl": "Weekoverzicht", "en": "Weekly summary"}
MADE = {"nl": "Gemaakt op", "en": "Made on"}
INK = (34, 34, 34)
ACCENT = (31, 78, 95)


def find_font() -> tuple[Path, Path] | None:
    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return regular, bold
    return None


def _latin1(text: str) -> str:
    replaced = text.replace("–", "-").replace("—", "-").replace("’", "'").replace("‘", "'")
    return replaced.encode("latin-1", "replace").decode("latin-1")


def render_pdf(summary: WeeklySummary, lang: str = "nl", font: tuple[Path, Path] | None | str = "auto"
               ) -> tuple[bytes, str]:
    """The PDF bytes and a note (empty when the Unicode font was embedded)."""
    fonts = find_font() if font == "auto" else font
    pdf = FPDF(format="A4")
    pdf.set_margins(22, 20, 22)
    pdf.set_auto_page_break(True, margin=20)
    pdf.set_title(f"{TITLE[lang]} {summary.name} {summary.week}")
    pdf.set_creator("Slim Maatwerk")
    if isinstance(fonts, tuple):
        pdf.add_font("DejaVu", "", str(fonts[0]))
        pdf.add_font("DejaVu", "B", str(fonts[1]))
        family, fix, note = "DejaVu", (lambda t: t), ""
    else:
        family, fix = "Helvetica", _latin1
        note = "DejaVu Sans not found: the PDF uses a core font and some characters were simplified"
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_text_color(*ACCENT)
    pdf.set_font(family, "B", 20)
    pdf.multi_cell(width, 10, fix(f"{TITLE[lang]} {summary.name}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(85, 85, 85)
    pdf.set_font(family, "", 12)
    period = f"{w.day_text(summary.first, lang)} – {w.day_text(summary.last, lang)} ({summary.week})"
    pdf.multi_cell(width, 7, fix(period), new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(width, 7, fix(summary.audience[lang]), new_x="LMARGIN", new_y="NEXT")
    for section in summary.sections:
        pdf.ln(4)
        pdf.set_text_color(*ACCENT)
        pdf.set_font(family, "B", 14)
        pdf.multi_cell(width, 8, fix(section.title[lang]), new_x="LMARGIN", new_y="NEXT")
        pdf.set_draw_color(200, 215, 215)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + width, pdf.get_y())
        pdf.ln(1.5)
        pdf.set_text_color(*INK)
        pdf.set_font(family, "", 12.5)
        for text in section.paragraphs[lang]:
            pdf.multi_cell(width, 7, fix(text), align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
    pdf.ln(4)
    pdf.set_text_color(120, 120, 120)
    pdf.set_font(family, "", 10)
    pdf.multi_cell(width, 6, fix(f"{MADE[lang]} {w.day_text(summary.made.date(), lang)}."), new_x="LMARGIN",
                   new_y="NEXT")
    return bytes(pdf.output()), note
