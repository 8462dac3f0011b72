"""What a file may cost before it is refused: the expanded size of every part of a workbook,
and an encoding the portal reads (UTF-8 with or without BOM, GB18030), never mojibake."""

from __future__ import annotations

import io
import random
import resource
import time
import tracemalloc
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portal import tabular
from portal.tabular import TabularError, read_table

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006"
CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def workbook_with_shared_strings(path, expanded_bytes: int) -> None:
    """A real workbook whose shared-strings part expands to `expanded_bytes` and compresses
    about 9 times, like an ordinary workbook: no compression ratio gives it away."""
    rnd = random.Random(1)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr(
            "[Content_Types].xml",
            f'<Types xmlns="{PKG}/content-types">'
            f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{CT}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{CT}.worksheet+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{CT}.sharedStrings+xml"/>'
            "</Types>",
        )
        out.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{PKG}/relationships"><Relationship Id="rId1" '
            f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        out.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{NS}" xmlns:r="{REL}"><sheets>'
            '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        out.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{PKG}/relationships">'
            f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>",
        )
        out.writestr(
            "xl/worksheets/sheet1.xml",
            f'<worksheet xmlns="{NS}"><sheetData>'
            '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
            '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v></c></row>'
            "</sheetData></worksheet>",
        )
        with out.open("xl/sharedStrings.xml", "w", force_zip64=True) as member:
            member.write(
                f'<sst xmlns="{NS}"><si><t>credit_code</t></si><si><t>name</t></si>'
                "<si><t>91220200000000001N</t></si><si><t>东方物业</t></si>".encode()
            )
            written = 0
            while written < expanded_bytes:
                chunk = "".join(
                    f"<si><t>物业服务有限公司{rnd.randrange(10**7)}</t></si>" for _ in range(5000)
                ).encode()
                member.write(chunk)
                written += len(chunk)
            member.write(b"</sst>")


@pytest.fixture(scope="module")
def shared_strings_bomb(tmp_path_factory):
    path = tmp_path_factory.mktemp("bomb") / "firms.xlsx"
    workbook_with_shared_strings(path, 76 * 1024 * 1024)
    return path


def test_a_workbook_whose_shared_strings_expand_to_76_mb_is_refused_before_it_is_parsed(
    shared_strings_bomb, monkeypatch
):
    size = shared_strings_bomb.stat().st_size
    [strings] = [
        info
        for info in zipfile.ZipFile(shared_strings_bomb).infolist()
        if info.filename == "xl/sharedStrings.xml"
    ]
    # What passed the old checks: under the 10 MB upload limit, a 9x ratio, 76 MB expanded.
    assert size < 10 * 1024 * 1024 and strings.file_size > 76 * 1024 * 1024
    assert strings.file_size / strings.compress_size < 20

    def never(*args, **kwargs):
        raise AssertionError("openpyxl opened a workbook that should have been refused")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(TabularError) as exc:
            read_table(shared_strings_bomb)
        elapsed = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        f"76 MB shared strings in a {size / 1e6:.1f} MB workbook: refused in {elapsed:.3f} s, "
        f"peak {peak / 1e6:.1f} MB traced, process peak grew {(rss_after - rss_before) / 1024:.0f} MB"
    )
    assert exc.value.code == "zip_bomb"
    assert "xl/sharedStrings.xml" not in exc.value.message  # a clerk's message, not a path
    assert elapsed < 1
    assert peak < 5 * 1024 * 1024


def test_every_part_but_the_streamed_sheets_is_held_to_the_part_limit(settings):
    content = io.BytesIO()
    workbook = openpyxl.Workbook()
    workbook.active.append(["code", "name"])
    for n in range(1000):
        workbook.active.append([f"XQ{n:03d}", f"小区{n}"])
    workbook.save(content)
    settings.IMPORT_MAX_PART_BYTES = 16 * 1024
    with zipfile.ZipFile(io.BytesIO(content.getvalue())) as archive:
        assert archive.getinfo("xl/worksheets/sheet1.xml").file_size > 16 * 1024
    # openpyxl writes its strings inline in the sheet, which is read row by row: accepted.
    assert len(read_table(SimpleUploadedFile("a.xlsx", content.getvalue())).rows) == 1000

    styled = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content.getvalue())) as source,
        zipfile.ZipFile(styled, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/styles.xml":  # held in memory whole: limited
                data = data.replace(b"</styleSheet>", b"<!--" + b" " * 20_000 + b"--></styleSheet>")
            out.writestr(info, data)
    with pytest.raises(TabularError) as exc:
        read_table(SimpleUploadedFile("a.xlsx", styled.getvalue()))
    assert exc.value.code == "zip_bomb"


# --- encodings ---------------------------------------------------------------------------------

JAPANESE = "会社名,住所\n東京不動産管理株式会社,東京都港区芝公園4丁目\nさくら物件サービス,大阪府大阪市北区梅田\n"
TRADITIONAL = "企業名稱,地址\n東方物業管理有限公司,臺北市中正區重慶南路一段\n"
CHINESE = (
    "统一社会信用代码,企业名称,法定代表人\n91220200000000001N,吉林市东方物业服务有限公司,王喆\n"
)


@pytest.mark.parametrize(
    ("text", "encoding"),
    [(JAPANESE, "shift_jis"), (JAPANESE, "cp932"), (TRADITIONAL, "big5")],
    ids=["shift_jis", "cp932", "big5"],
)
def test_a_csv_in_another_encoding_is_refused_not_read_as_mojibake(text, encoding):
    data = text.encode(encoding)
    data.decode("gb18030")  # it decodes without an error: only its characters give it away
    with pytest.raises(TabularError) as exc:
        read_table(SimpleUploadedFile("a.csv", data))
    assert exc.value.code == "encoding"
    for accepted in ("UTF-8", "GB18030"):
        assert accepted in exc.value.message


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_chinese_with_rare_name_characters_is_read_in_every_accepted_encoding(encoding):
    text = CHINESE + "91220200000000002L,吉林市喆堃物业服务有限公司,李堃\n"
    table = read_table(SimpleUploadedFile("a.csv", text.encode(encoding)))
    assert table.rows[0][1][2] == "王喆" and table.rows[1][1][2] == "李堃"


def test_the_refusal_names_the_accepted_encodings_in_chinese():
    from django.utils import translation

    with translation.override("zh-hans"), pytest.raises(TabularError) as exc:
        tabular.decode_csv(JAPANESE.encode("shift_jis"))
    assert "UTF-8" in exc.value.message and "GB18030" in exc.value.message
    assert "编码" in exc.value.message
