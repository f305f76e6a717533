"""PDF documents (offers now; invoices, credit notes and dispatch notes later) on one
layout: the issuer's name, logo and address at the top, a title block, a table of lines,
totals and notes. DejaVu Sans is embedded, so Polish, Bulgarian and Russian text renders.

Renderers take plain values (``Issuer``, rows of strings) and return bytes: what a
document says is decided by its own module, how it looks is decided here.
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

FONTS = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVu"


@dataclass(frozen=True, slots=True)
class Issuer:
    """Who issues the document (the merchant, or a reseller for their own client)."""

    name: str
    lines: tuple[str, ...] = ()  # address, VAT ID, contact
    logo: str | BinaryIO | None = None  # a PNG or JPEG file (a path or an open file)


def shop_issuer() -> Issuer:
    """The merchant, from settings."""
    lines = [line for line in settings.SHOP_ADDRESS.split("|") if line.strip()]
    if settings.SHOP_VAT_ID:
        lines.append(_("VAT ID %(vat_id)s") % {"vat_id": settings.SHOP_VAT_ID})
    logo = settings.SHOP_LOGO if settings.SHOP_LOGO and Path(settings.SHOP_LOGO).is_file() else None
    return Issuer(name=settings.SHOP_NAME, lines=tuple(lines), logo=logo)


@dataclass(slots=True)
class Table:
    headings: tuple[str, ...]
    widths: tuple[float, ...]  # in millimetres, summing to the page width inside margins
    rows: list[tuple[str, ...]] = field(default_factory=list)
    numeric: frozenset[int] = frozenset()  # column indexes aligned right


class DocumentPDF(FPDF):
    """A4 portrait with the issuer's header and page numbers in the footer."""

    def __init__(self, issuer: Issuer, footer_text: str = ""):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.issuer = issuer
        self.footer_text = footer_text
        self.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(auto=True, margin=18)
        self.set_title(issuer.name)
        self.set_creator(settings.SHOP_NAME)
        self.add_page()

    def header(self) -> None:
        top = self.get_y()
        if self.issuer.logo:
            self.image(self.issuer.logo, x=self.w - self.r_margin - 35, y=top, w=35)
        self.set_font(FONT, "B", 13)
        self.cell(0, 7, self.issuer.name, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, "", 8.5)
        for line in self.issuer.lines:
            self.cell(0, 4.2, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(4)

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(FONT, "", 7.5)
        self.set_text_color(110)
        self.cell(0, 5, f"{self.footer_text}   {self.page_no()}/{{nb}}".strip(), align="R")
        self.set_text_color(0)

    def title_block(self, title: str, facts: list[tuple[str, str]]) -> None:
        """The document's title and its key facts (number, dates, customer) as label: value."""
        self.set_font(FONT, "B", 15)
        self.cell(0, 9, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, "", 9)
        for label, value in facts:
            self.set_font(FONT, "B", 9)
            self.cell(42, 5, label)
            self.set_font(FONT, "", 9)
            self.multi_cell(0, 5, value, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(3)

    def lines_table(self, table: Table) -> None:
        """The document's lines; a row that does not fit starts a new page whole."""
        self.set_font(FONT, "B", 8.5)
        self.set_fill_color(235, 240, 238)
        for index, (heading, width) in enumerate(zip(table.headings, table.widths, strict=True)):
            align = "R" if index in table.numeric else "L"
            self.cell(width, 6.5, heading, border="B", fill=True, align=align)
        self.ln()
        self.set_font(FONT, "", 8.5)
        for row in table.rows:
            height = 5.5 * max(
                self._lines_needed(text, width) for text, width in zip(row, table.widths, strict=True)
            )
            if self.get_y() + height > self.page_break_trigger:
                self.add_page()
            y = self.get_y()
            x = self.l_margin
            for index, (text, width) in enumerate(zip(row, table.widths, strict=True)):
                self.set_xy(x, y)
                self.multi_cell(width, 5.5, text, align="R" if index in table.numeric else "L")
                x += width
            self.set_xy(self.l_margin, y + height)
            self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(2)

    def _lines_needed(self, text: str, width: float) -> int:
        return max(len(self.multi_cell(width, 5.5, text, dry_run=True, output="LINES")), 1)

    def totals(self, rows: list[tuple[str, str]], *, bold_last: bool = True) -> None:
        for index, (label, value) in enumerate(rows):
            bold = bold_last and index == len(rows) - 1
            self.set_font(FONT, "B" if bold else "", 10 if bold else 9)
            self.cell(self.w - self.l_margin - self.r_margin - 40, 6, label, align="R")
            self.cell(40, 6, value, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(3)

    def paragraph(self, heading: str, text: str) -> None:
        if not text.strip():
            return
        self.set_font(FONT, "B", 9)
        self.cell(0, 6, heading, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, "", 9)
        self.multi_cell(0, 5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)

    def render(self) -> bytes:
        self.alias_nb_pages()
        return bytes(self.output())
