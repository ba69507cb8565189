"""The evaluation report's renderers: the xlsx workbook and ``summary.json``.

Both lay out one :class:`udfs.core.analysis.Analysis`; neither computes a figure.
"""
