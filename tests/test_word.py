"""Word files: .docx with automatic numbering, tables and a letterhead; .doc and .rtf through LibreOffice;
folders and zips including them, and files of other kinds reported as skipped."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from tests.conftest import SHARED
from vnplan.models.document import BlockKind, ReadMethod
from vnplan.models.errors import InputError
from vnplan.pipeline import office
from vnplan.pipeline.ingest import ingest
from vnplan.pipeline.read import kind_of, read_data
from vnplan.pipeline.word_numbering import letters, roman

VNPLAN = [sys.executable, "-m", "vnplan"]
needs_soffice = pytest.mark.skipif(office.soffice() is None, reason="LibreOffice (soffice) is not installed")

NUMBERING = f"""<w:numbering {nsdecls("w")}>
  <w:abstractNum w:abstractNumId="90">
    <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl>
    <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2."/></w:lvl>
    <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2.%3."/></w:lvl>
    <w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%4)"/></w:lvl>
    <w:lvl w:ilvl="4"><w:numFmt w:val="bullet"/><w:lvlText w:val="\uf0b7"/></w:lvl>
    <w:lvl w:ilvl="5"><w:numFmt w:val="bullet"/><w:lvlText w:val="+"/></w:lvl>
  </w:abstractNum>
  <w:num w:numId="7"><w:abstractNumId w:val="90"/></w:num>
  <w:num w:numId="8"><w:abstractNumId w:val="90"/>
    <w:lvlOverride w:ilvl="3"><w:startOverride w:val="3"/></w:lvlOverride></w:num>
</w:numbering>"""


def numbered(document: docx.document.Document, text: str, ilvl: int, num_id: int = 7, bold: bool = False):
    paragraph = document.add_paragraph()
    paragraph.add_run(text).bold = bold
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'))
    return paragraph


def make_plan(extra: str = "") -> bytes:
    """A small plan as a Word user writes it: letterhead table, bold title, numbered sections, a task table."""
    document = docx.Document()
    numbering = document.part.numbering_part
    numbering._element = parse_xml(NUMBERING)  # the lists this plan uses, in place of the template's
    head = document.add_table(rows=1, cols=2)
    left, right = head.rows[0].cells
    left.paragraphs[0].add_run("ỦY BAN NHÂN DÂN")
    left.add_paragraph("TỈNH LÀO CAI")
    left.add_paragraph("Số: 12/KH-UBND")
    right.paragraphs[0].add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    right.add_paragraph("Độc lập - Tự do - Hạnh phúc")
    right.add_paragraph("Lào Cai, ngày 05 tháng 3 năm 2024")
    document.add_paragraph().add_run("KẾ HOẠCH").bold = True
    document.add_paragraph().add_run("Cải cách hành chính năm 2024").bold = True
    numbered(document, "MỤC ĐÍCH, YÊU CẦU", 0)
    numbered(document, "Mục đích", 1)
    numbered(document, "Nâng cao chất lượng phục vụ.", 2)
    numbered(document, "Công khai thủ tục hành chính.", 2)
    numbered(document, "Yêu cầu", 1)
    numbered(document, "Đúng tiến độ.", 2)
    numbered(document, "Sở Nội vụ chủ trì.", 3)
    numbered(document, "Sở Tư pháp phối hợp.", 3)
    numbered(document, "hằng quý báo cáo", 4)
    numbered(document, "gửi Sở Nội vụ", 5)
    numbered(document, "NHIỆM VỤ", 0)
    numbered(document, "Theo danh sách dưới đây.", 3, num_id=8)
    legacy = document.add_paragraph()
    legacy.add_run("B¸o c¸o kÕt qu¶ ").font.name = ".VnTime"
    legacy.add_run("tröôùc ngaøy 15 haèng thaùng").font.name = "VNI-Times"
    legacy.add_run(" (Unicode, không đổi).")
    table = document.add_table(rows=4, cols=4)
    for cell, text in zip(table.rows[0].cells, ["STT", "Nội dung", "Cơ quan chủ trì", "Thời gian"], strict=True):
        cell.text = text
    for r, row in enumerate([["1", "Rà soát thủ tục", "Sở Nội vụ", "Quý I"], ["2", "Số hóa hồ sơ", "", "Quý II"]], 1):
        for cell, text in zip(table.rows[r].cells, row, strict=True):
            cell.text = text
    table.cell(1, 2).merge(table.cell(2, 2))  # one owner for two rows (vMerge)
    table.cell(3, 0).merge(table.cell(3, 1)).text = "Tổng cộng"  # a row label over two columns (gridSpan)
    table.cell(3, 3).text = "2 nhiệm vụ"
    document.add_paragraph("Kính gửi: các sở, ban, ngành.")
    if extra:
        document.add_paragraph(extra)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_numbers_letters_and_roman_numerals() -> None:
    assert [roman(n) for n in (1, 4, 9, 14, 40, 1999)] == ["i", "iv", "ix", "xiv", "xl", "mcmxcix"]
    assert [letters(n) for n in (1, 26, 27, 28)] == ["a", "z", "aa", "bb"]


def test_a_docx_is_read_by_its_content_with_numbering_as_printed() -> None:
    data = make_plan()
    assert kind_of(data) == "docx"
    document = read_data(data, Path("plan.bin"))  # the name says nothing: the content does
    (page,) = document.pages
    assert page.method is ReadMethod.WORD and page.verdict.status == "good"
    texts = [b.text for b in page.blocks]
    for label in [
        "I. MỤC ĐÍCH, YÊU CẦU",
        "1. Mục đích",
        "1.1. Nâng cao chất lượng phục vụ.",
        "1.2. Công khai thủ tục hành chính.",
        "2. Yêu cầu",
        "2.1. Đúng tiến độ.",  # the level below started again
        "a) Sở Nội vụ chủ trì.",
        "b) Sở Tư pháp phối hợp.",
        "- hằng quý báo cáo",  # a Symbol-font bullet is printed as "-"
        "+ gửi Sở Nội vụ",
        "II. NHIỆM VỤ",
        "c) Theo danh sách dưới đây.",  # another list instance, started at 3
    ]:
        assert label in texts, (label, texts)
    kinds = {b.text: b.kind for b in page.blocks}
    assert kinds["I. MỤC ĐÍCH, YÊU CẦU"] is BlockKind.HEADING
    assert kinds["a) Sở Nội vụ chủ trì."] is BlockKind.LIST_ITEM
    assert kinds["Cải cách hành chính năm 2024"] is BlockKind.HEADING  # bold: a heading
    assert kinds["Kính gửi: các sở, ban, ngành."] is BlockKind.PARAGRAPH
    assert "Báo cáo kết quả trước ngày 15 hằng tháng (Unicode, không đổi)." in texts  # TCVN3 + VNI + Unicode runs


def test_the_letterhead_and_the_task_table() -> None:
    page = read_data(make_plan(), Path("plan.docx")).pages[0]
    letterhead = page.blocks[0]
    assert letterhead.kind is BlockKind.LETTERHEAD
    assert [x.text for x in letterhead.columns[0]] == ["ỦY BAN NHÂN DÂN", "TỈNH LÀO CAI", "Số: 12/KH-UBND"]
    assert letterhead.columns[1][0].text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    (block,) = [b for b in page.blocks if b.kind is BlockKind.TABLE]
    table = block.table
    assert (table.n_rows, table.n_cols, table.header_rows) == (4, 4, 1)
    owner = next(c for c in table.cells if c.text == "Sở Nội vụ")
    assert (owner.row, owner.col, owner.row_span, owner.col_span) == (1, 2, 2, 1)
    total = next(c for c in table.cells if c.text == "Tổng cộng")
    assert (total.row, total.col, total.row_span, total.col_span) == (3, 0, 1, 2)
    assert table.grid()[2] == ["2", "Số hóa hồ sơ", "", "Quý II"]


def test_a_letterhead_typed_with_tabs() -> None:
    document = docx.Document()
    document.add_paragraph("ỦY BAN NHÂN DÂN\t\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    document.add_paragraph("TỈNH BÌNH DƯƠNG\t\tĐộc lập - Tự do - Hạnh phúc")
    document.add_paragraph("Số: 09/2009/CT-UBND      Thủ Dầu Một, ngày 15 tháng 4 năm 2009")
    document.add_paragraph("CHỈ THỊ")
    out = io.BytesIO()
    document.save(out)
    blocks = read_data(out.getvalue(), Path("ct.docx")).pages[0].blocks
    assert blocks[0].kind is BlockKind.LETTERHEAD
    assert [x.text for x in blocks[0].columns[0]] == ["ỦY BAN NHÂN DÂN", "TỈNH BÌNH DƯƠNG", "Số: 09/2009/CT-UBND"]
    assert blocks[0].columns[1][2].text == "Thủ Dầu Một, ngày 15 tháng 4 năm 2009"
    assert blocks[1].text == "CHỈ THỊ" and blocks[1].kind is BlockKind.HEADING


def test_a_damaged_docx_fails_with_one_line() -> None:
    data = bytearray(make_plan())
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as src, zipfile.ZipFile(broken, "w") as out:
        for item in src.infolist():
            body = src.read(item)
            out.writestr(item, body[: len(body) // 2] if item.filename == "word/document.xml" else body)
    with pytest.raises(InputError, match="Word file is damaged"):
        read_data(broken.getvalue(), Path("broken.docx"))


RTF = rb"""{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\froman .VnTime;}{\f1\froman .VnTimeH;}{\f2\froman Times New Roman;}}
{\f1 k\'d5 ho\'b9ch\par}
{\f0 C\'b6i c\'b8ch h\'b5nh ch\'ddnh n\'a8m 2024 c\'f1a t\'d8nh L\'b5o Cai.\par}
{\f2 S\u7903? N\u7897?i v\u7909? ch\u7911? tr\u236?.\par}
}"""


def test_kinds_by_content() -> None:
    assert kind_of(RTF) == "rtf"
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100
    assert kind_of(ole2 + "WordDocument".encode("utf-16-le")) == "doc"
    assert kind_of(ole2 + "Workbook".encode("utf-16-le")) == "ole2"
    with pytest.raises(InputError, match="not a Word document"):
        read_data(ole2, Path("book.xls"))


@needs_soffice
def test_an_rtf_in_tcvn3_is_converted_and_read() -> None:
    page = read_data(RTF, Path("old.rtf")).pages[0]
    texts = [b.text for b in page.blocks]
    assert texts[0] == "KẾ HOẠCH"  # .VnTimeH draws capitals
    assert texts[1].startswith("Cải cách hành ch")
    assert "năm 2024 của tỉnh Lào Cai." in texts[1]
    assert page.method is ReadMethod.WORD


def test_without_libreoffice_a_doc_fails_alone_and_the_batch_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(office, "soffice", lambda: None)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "old.rtf").write_bytes(RTF)
    (folder / "plan.docx").write_bytes(make_plan())
    report = ingest([folder], f"sqlite:///{tmp_path / 'plans.db'}")
    outcomes = {Path(o.path).name: o for o in report.outcomes}
    assert outcomes["plan.docx"].status == "ingested"
    assert outcomes["old.rtf"].status == "failed"
    assert (
        outcomes["old.rtf"].reason
        == "LibreOffice (soffice) is not installed, so .rtf files cannot be read (make install)"
    )


@needs_soffice
def test_folders_and_zips_hold_word_files_and_report_the_rest(tmp_path: Path) -> None:
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "plan.docx").write_bytes(make_plan())
    (folder / "old.rtf").write_bytes(RTF)
    (folder / "budget.xlsx").write_bytes(b"PK\x03\x04 not read")
    (folder / "~$plan.docx").write_bytes(b"lock")
    with zipfile.ZipFile(folder / "more.zip", "w") as out:
        out.writestr("2024/plan.docx", make_plan("Bản sao gửi kèm."))
        out.writestr("2024/photo.gif", b"GIF89a")
    report = tmp_path / "report.json"
    db = f"sqlite:///{tmp_path / 'plans.db'}"
    done = subprocess.run(
        [*VNPLAN, "ingest", str(folder), "--db", db, "--report", str(report)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    rows = {r["path"].split("archive/")[-1]: r for r in json.loads(report.read_text())}
    assert rows["plan.docx"]["status"] == "ingested"
    assert rows["old.rtf"]["status"] == "ingested"
    assert rows["budget.xlsx"]["status"] == "skipped" and ".xlsx files" in rows["budget.xlsx"]["reason"]
    assert rows["~$plan.docx"]["status"] == "skipped" and "lock file" in rows["~$plan.docx"]["reason"]
    assert rows["more.zip!2024/plan.docx"]["status"] == "ingested"
    assert (
        rows["more.zip!2024/photo.gif"]["status"] == "skipped"
        and ".gif files" in rows["more.zip!2024/photo.gif"]["reason"]
    )
    assert "skipped" in done.stdout and "budget.xlsx: not a kind of file vnplan reads" in done.stdout
    assert "(3 of a kind vnplan does not read)" in done.stdout
    shown = subprocess.run([*VNPLAN, "ocr", str(folder / "plan.docx")], capture_output=True, text=True)
    assert shown.returncode == 0, shown.stderr
    assert "1.1. Nâng cao chất lượng phục vụ." in shown.stdout
    assert "STT\tNội dung\tCơ quan chủ trì\tThời gian" in shown.stdout


def test_a_docx_plan_gives_tasks_like_a_pdf() -> None:
    from vnplan.extractors import extract
    from vnplan.pipeline.repair import repair

    document = repair(read_data(make_plan(), Path("plan.docx")))
    extraction = extract(document)
    assert extraction.metadata.number == "12/KH-UBND"
    assert extraction.metadata.doc_type == "KH"
    assert any("Rà soát thủ tục" in t.text for t in extraction.tasks)


REAL_OFFICE = SHARED / "real" / "office"


@pytest.mark.parametrize("name", ["lamdong_KH-CCHC-2026-2030.docx", "lamdong_KH-kiem-tra-CCHC-2026.docx"])
def test_real_docx_plans(name: str) -> None:
    path = REAL_OFFICE / name
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    from vnplan.extractors import extract
    from vnplan.pipeline.repair import repair

    document = repair(read_data(path.read_bytes(), path))
    page = document.pages[0]
    assert page.body[0].kind is BlockKind.LETTERHEAD
    assert "KẾ HOẠCH" in [b.text for b in page.body[:4]]
    assert any(b.text.startswith("I. ") for b in page.body)
    extraction = extract(document)
    assert extraction.metadata.doc_type == "KH" and len(extraction.tasks) >= 5


@needs_soffice
def test_a_real_doc_is_converted() -> None:
    path = REAL_OFFICE / "binhduong_CT-09-2009_khoa-hoc-cong-nghe.doc"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    document = read_data(path.read_bytes(), path)
    assert document.pages[0].method is ReadMethod.WORD
    assert document.pages[0].verdict.status == "good"
    assert "CHỈ THỊ" in document.text.upper()
