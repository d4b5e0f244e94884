"""The commissioning record as a PDF, made with fpdf2 (no Qt), in Dutch or English.

DejaVu Sans carries the Unicode the record needs (ë, é, °, —); a machine without it gets a clear
error instead of a PDF with missing letters.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from ..errors import InputError
from ..pairing.texts import problem_text, text
from .record import CommissioningRecord, DeviceRecord

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
_NEXT = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}


class _Pdf(FPDF):
    def __init__(self, language: str, title: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.language = language
        self.title_text = title
        regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
        if not regular.is_file() or not bold.is_file():
            raise InputError(f"the PDF needs the DejaVu Sans font in {FONT_DIR} (package fonts-dejavu-core)")
        self.add_font("DejaVu", "", str(regular))
        self.add_font("DejaVu", "B", str(bold))
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(16, 16, 16)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("DejaVu", "", 8)
        self.set_text_color(110)
        self.cell(0, 5, f"{self.title_text} — {text('pdf.page', self.language, page=self.page_no())}", align="C")


def render(record: CommissioningRecord, path: Path, language: str = "nl") -> Path:
    """Write the record to ``path`` (atomically: a failed export leaves no half file)."""
    t = lambda key, **kw: text(key, language, **kw)
    pdf = _Pdf(language, f"{t('pdf.title')} {record.home_id}")
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 17)
    pdf.cell(0, 10, t("pdf.title"), **_NEXT)
    pdf.set_font("DejaVu", "", 9)
    pdf.set_text_color(90)
    pdf.cell(0, 5, t("pdf.version", version=record.version or 1), **_NEXT)
    pdf.set_text_color(0)
    pdf.ln(2)
    _pairs(pdf, [
        (t("pdf.resident"), f"{record.resident_name} ({record.resident_id})"),
        (t("pdf.home"), record.home_id),
        (t("pdf.installer"), record.installer),
        (t("pdf.completed"), record.completed_at.replace("T", " ")),
        (t("pdf.broker"), record.broker_url or "—"),
    ])
    _heading(pdf, t("pdf.household"))
    h = record.household
    _pairs(pdf, [
        (t("field.household"), t(f"choice.{h.composition}")),
        (t("field.pet"), t("pdf.yes") if h.pet else t("pdf.no")),
        (t("field.care_visits"), h.care_visits or t("pdf.none")),
    ])
    _heading(pdf, t("pdf.privacy"))
    p = record.privacy
    consent = t(f"choice.{p.consent_by}") + (f": {p.consent_name}" if p.consent_name else "")
    _pairs(pdf, [
        (t("field.purpose"), p.purpose or "—"),
        (t("field.data_need"), p.data_need or "—"),
        (t("field.alternatives"), p.alternatives or "—"),
        (t("field.consent_by"), consent),
        (t("field.consent_given"), t("pdf.yes") if p.consent_given else t("pdf.no")),
    ])
    _heading(pdf, f"{t('pdf.devices')} ({len(record.devices)})")
    _devices(pdf, record.devices, language)
    if record.notes:
        _heading(pdf, t("field.notes"))
        pdf.set_font("DejaVu", "", 10)
        pdf.multi_cell(0, 5, record.notes, **_NEXT)
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    pdf.output(str(tmp))
    tmp.replace(path)
    return path


def _heading(pdf: _Pdf, title: str) -> None:
    pdf.ln(4)
    pdf.set_font("DejaVu", "B", 12)
    pdf.cell(0, 7, title, **_NEXT)
    pdf.set_draw_color(160)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(1.5)


def _pairs(pdf: _Pdf, rows: list[tuple[str, str]]) -> None:
    # A borderless table: a long question next to a short answer (or the reverse) never overlaps.
    pdf.set_font("DejaVu", "", 9.5)
    with pdf.table(col_widths=(62, 116), borders_layout="NONE", text_align="LEFT", line_height=4.8,
                   first_row_as_headings=False, padding=(0.6, 1, 0.6, 0)) as table:
        for label, value in rows:
            row = table.row()
            pdf.set_font("DejaVu", "B", 9)
            row.cell(label)
            pdf.set_font("DejaVu", "", 9.5)
            row.cell(value)


def _devices(pdf: _Pdf, devices: tuple[DeviceRecord, ...], language: str) -> None:
    widths = (58, 36, 56, 28)
    headers = [text(k, language) for k in ("pdf.col.device", "pdf.col.where", "pdf.col.test", "pdf.col.health")]
    with pdf.table(col_widths=widths, text_align="LEFT", line_height=4.6, first_row_as_headings=True) as table:
        pdf.set_font("DejaVu", "", 8.5)
        table.row(headers)
        for d in devices:
            where = text(f"room.{d.room}", language) + (f" / {d.placement.replace('_', ' ')}" if d.placement else "")
            result = text(f"result.{d.result}", language) + (f"\n{d.tested_at[11:19]}" if d.tested_at else "")
            problems = [problem_text(key, d.problem_args[i] if i < len(d.problem_args) else {}, language)
                        for i, key in enumerate(d.problems)]
            if problems:
                result += "\n" + "; ".join(problems)
            health = " / ".join([f"{d.battery:.0f} %" if d.battery is not None else "—",
                                 str(d.signal) if d.signal is not None else "—"])
            model = " ".join(x for x in (d.vendor, d.model) if x)
            table.row([f"{d.name}\n{d.id}" + (f"\n{model}" if model else ""), where, result, health])
