"""The Chinese example export (GBK CSV with Chinese headers, addin/maps/zh_telephony_*) and
its map import into a clean workbook: the figures below are read off the CSV by hand."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from addin.cli import main
from addin.read.workbook import read_workbook

MAPS = Path(__file__).resolve().parents[1] / "addin" / "maps"
EXPORT = MAPS / "zh_telephony_export.csv"
MAP = MAPS / "zh_telephony_map.toml"


def test_the_example_is_gbk_with_chinese_headers():
    raw = EXPORT.read_bytes()
    text = raw.decode("gbk")
    assert text.startswith("工单号,来电日期,来电时间,渠道")
    assert raw != text.encode("utf-8")  # really GBK, as such systems export


def test_zh_example_imports_and_validates_clean(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("CSQ_LANG", "zh")
    out = tmp_path / "六月质检.xlsx"
    assert main(["import", str(EXPORT), "--map", str(MAP), "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "已导入 10 条记录（其中 2 条未接通" in printed and "0 个错误值，0 个警告" in printed
    data = read_workbook(out)
    mon = data.monitoring
    assert len(mon) == 10 and data.lang == "zh"
    first = mon.iloc[0]
    assert first["contact_id"] == "RX240603001"
    assert pd.Timestamp(first["contact_time"]) == pd.Timestamp("2024-06-03 09:05")
    assert first["channel"] == "phone" and first["handle_time_s"] == 4 * 60 + 30
    assert list(mon["answered"]) == [1, 1, 1, 0, 1, 1, 1, 0, 1, 1]  # 未接通, 呼损: N
    assert mon.iloc[2]["service_type"] == "after_sales"  # 退款, by the map
    assert mon.iloc[4]["first_response_s"] == 600 and mon.iloc[4]["resolution_time_h"] == 4
    assert main(["validate", str(out)]) == 0
