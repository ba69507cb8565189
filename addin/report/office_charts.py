"""Native Office charts from the narrative's :class:`~udfs.core.narrative.ChartSpec`:
python-pptx's chart XML and embedded workbook, for the deck (``pptx_deck``) and, as a
chart part of its own, for the Word report (``docx_report``).  The charts stay editable in
Word and PowerPoint (right-click, Edit Data) because their data travels inside the file.

Imported only when a docx or pptx is written (python-pptx is not a start-up import).
"""

from __future__ import annotations

from typing import Any

from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.util import Pt

from udfs.core.narrative import ChartSpec

CHART_TYPES = {
    "line": XL_CHART_TYPE.LINE_MARKERS,
    "column": XL_CHART_TYPE.COLUMN_CLUSTERED,
    "bar": XL_CHART_TYPE.BAR_CLUSTERED,
    "pie": XL_CHART_TYPE.PIE,
}
EAST_ASIAN_FONT = "Microsoft YaHei"
"""The charts' Chinese font (Windows and Office for Mac have it; LibreOffice substitutes a
CJK font it has)."""
LATIN_FONT = "Calibri"


class SharedChartData(CategoryChartData):
    """Chart data whose embedded workbook is made once per content: the Word report and
    the deck show the same charts, and each workbook costs an xlsxwriter run."""

    blobs: dict[tuple[Any, ...], bytes] = {}
    key: tuple[Any, ...] = ()

    @property
    def xlsx_blob(self) -> bytes:
        blob = self.blobs.get(self.key)
        if blob is None:
            if len(self.blobs) > 64:
                self.blobs.clear()
            blob = self.blobs[self.key] = super().xlsx_blob
        return blob


def chart_data(spec: ChartSpec) -> CategoryChartData:
    whole = all(v is None or float(v).is_integer() for x in spec.series for v in x.values)
    data = SharedChartData(number_format="0" if whole or spec.kind == "pie" else "0.0")
    data.key = (
        spec.kind,
        tuple(spec.categories),
        tuple((s.name, tuple(s.values)) for s in spec.series),
    )
    data.categories = spec.categories
    for s in spec.series:
        data.add_series(s.name, s.values)
    return data


def chart_type(spec: ChartSpec) -> Any:
    return CHART_TYPES.get(spec.kind, XL_CHART_TYPE.COLUMN_CLUSTERED)


def style_chart(chart: Any, spec: ChartSpec, lang: str) -> None:
    """Title, legend, data labels and the value axis's unit of a python-pptx chart."""
    chart.has_title = True
    tf = chart.chart_title.text_frame
    tf.text = spec.title
    for p in tf.paragraphs:
        for r in p.runs:
            r.font.size = Pt(12)
            r.font.bold = True
    chart.font.size = Pt(9)
    _east_asian(chart)
    if spec.kind == "pie":
        chart.has_legend = True
        chart.legend.position = XL_LEGEND_POSITION.RIGHT
        chart.legend.include_in_layout = False
        plot = chart.plots[0]
        plot.has_data_labels = True
        plot.data_labels.show_percentage = True
        plot.data_labels.show_value = False
        plot.data_labels.number_format = "0.0%"
        plot.data_labels.number_format_is_linked = False
        return
    if spec.kind in ("column", "bar"):  # a bar's length is its value: the axis starts at 0
        vals = [v for ser in spec.series for v in ser.values if v is not None]
        if vals and min(vals) >= 0:
            chart.value_axis.minimum_scale = 0
    chart.has_legend = len(spec.series) > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
    if spec.unit:
        va = chart.value_axis
        va.has_title = True
        va.axis_title.text_frame.text = spec.unit
        for p in va.axis_title.text_frame.paragraphs:
            for r in p.runs:
                r.font.size = Pt(9)
                r.font.bold = False
    if len(spec.series) == 1 and len(spec.categories) <= 12:
        plot = chart.plots[0]
        plot.has_data_labels = True
        plot.data_labels.number_format = (
            "0.0" if spec.kind != "column" or spec.unit != "次" else "0"
        )
        plot.data_labels.number_format_is_linked = False
        plot.data_labels.font.size = Pt(8)


def _east_asian(chart: Any) -> None:
    """The chart's default text in a CJK font too (``a:ea`` beside ``a:latin``)."""
    from pptx.oxml.ns import qn

    txPr = chart._chartSpace.get_or_add_txPr()
    for rpr in txPr.iter(qn("a:defRPr")):
        for tag, face in (("a:latin", LATIN_FONT), ("a:ea", EAST_ASIAN_FONT)):
            if rpr.find(qn(tag)) is None:
                rpr.append(rpr.makeelement(qn(tag), {"typeface": face}))


def chart_part_xml(spec: ChartSpec, lang: str) -> tuple[bytes, bytes]:
    """A stand-alone chart part for a Word document: (chartSpace XML, embedded xlsx)."""
    from lxml import etree
    from pptx.chart.chart import Chart
    from pptx.chart.xmlwriter import ChartXmlWriter
    from pptx.oxml import parse_xml

    data = chart_data(spec)
    ctype = chart_type(spec)
    space = parse_xml(ChartXmlWriter(ctype, data).xml.encode("utf-8"))
    style_chart(Chart(space, None), spec, lang)
    return etree.tostring(
        space, xml_declaration=True, encoding="UTF-8", standalone=True
    ), data.xlsx_blob
