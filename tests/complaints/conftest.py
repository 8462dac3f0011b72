"""Hotline files written in the test (GB18030 CSV, xlsx) and the clock of the complaints."""

from __future__ import annotations

import io
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from complaints.imports import HotlineImporter

SHANGHAI = ZoneInfo("Asia/Shanghai")
HEADER = [
    "工单编号",
    "受理时间",
    "诉求地址",
    "小区编号",
    "诉求分类",
    "诉求内容",
    "承办单位",
    "办结时间",
    "办理结果",
    "满意度",
]


def csv_bytes(rows, encoding="gb18030") -> io.BytesIO:
    lines = [",".join(HEADER)] + [",".join(row) for row in rows]
    data = io.BytesIO(("\r\n".join(lines) + "\r\n").encode(encoding))
    data.name = "hotline.csv"
    return data


def xlsx_bytes(rows) -> io.BytesIO:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(list(row))
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "hotline.xlsx"
    return data


def order(
    number,
    address,
    *,
    code="",
    received="2024-03-04 09:30:00",
    category="物业服务",
    text="电梯经常停运，物业不处理。",
):
    return [number, received, address, code, category, text, "住建局", "", "", ""]


@pytest.fixture
def importer_of():
    def make(user):
        return HotlineImporter(user=user)

    return make
