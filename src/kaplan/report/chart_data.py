"""Chart data for the slide decks, written into the chart's own workbook as inert text.

python-pptx keeps each chart's numbers in a small workbook inside the deck ("Edit Data"), written
by XlsxWriter, which by default turns a string that looks like a link (`https://…`, `mailto:…`,
`external:\\\\host\\share`) into a live hyperlink and one that starts with `=` into a formula. Plan
text (force-field labels, account names, periods) goes there, so these writers open the workbook
with both turned off: a label is only ever text.
"""

from __future__ import annotations

from contextlib import contextmanager

from pptx.chart.data import BubbleChartData, CategoryChartData
from pptx.chart.xlsx import BubbleWorkbookWriter, CategoryWorkbookWriter

_TEXT_ONLY = {"in_memory": True, "strings_to_urls": False, "strings_to_formulas": False}


class _TextOnly:
    @contextmanager
    def _open_worksheet(self, xlsx_file):
        from xlsxwriter import Workbook

        workbook = Workbook(xlsx_file, _TEXT_ONLY)
        worksheet = workbook.add_worksheet()
        yield workbook, worksheet
        workbook.close()


class _CategoryWriter(_TextOnly, CategoryWorkbookWriter):
    pass


class _BubbleWriter(_TextOnly, BubbleWorkbookWriter):
    pass


class CategoryData(CategoryChartData):
    """`CategoryChartData` whose workbook holds labels as text only."""

    @property
    def _workbook_writer(self):
        return _CategoryWriter(self)


class BubbleData(BubbleChartData):
    """`BubbleChartData` whose workbook holds labels as text only."""

    @property
    def _workbook_writer(self):
        return _BubbleWriter(self)
