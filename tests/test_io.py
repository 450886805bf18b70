"""Reading documents: encodings, formats, and a clear error for every bad input."""

from __future__ import annotations

import os

import pytest

import nlp
from nlp.io import InputError, read

TRADITIONAL = "二零二三年，上海市國內生產總值達到四萬七千億元，增長百分之五。我們堅持穩中求進工作總基調，推動高質量發展，著力提升城市能級和核心競爭力。"


@pytest.mark.parametrize("encoding, detected", [("gb18030", "gb18030"), ("gbk", "gb18030"), ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16")])
def test_seed_reencoded_reads_back_identical(tmp_path, seed_text, encoding, detected):
    path = tmp_path / f"seed_{encoding}.txt"
    path.write_bytes(seed_text.encode(encoding))
    doc = read(path)
    assert doc.text == seed_text
    assert doc.encoding == detected
    assert doc.meta.year == 2024 and doc.meta.region == "上海市"


def test_big5_traditional_sample_reads(tmp_path):
    path = tmp_path / "big5.txt"
    path.write_bytes(TRADITIONAL.encode("big5"))
    doc = read(path)
    assert doc.text == TRADITIONAL and doc.encoding == "big5"


def test_windows_line_endings_become_newlines(tmp_path):
    path = tmp_path / "crlf.txt"
    path.write_bytes("第一行\r\n第二行\r\n".encode("utf-8"))
    assert read(path).text == "第一行\n第二行\n"


def test_docx(tmp_path, seed_text):
    import docx

    lines = seed_text.splitlines()[:12]
    d = docx.Document()
    for line in lines:
        d.add_paragraph(line)
    table = d.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "指标", "4.72万亿元"
    d.save(tmp_path / "r.docx")
    doc = read(tmp_path / "r.docx")
    assert doc.format == "docx"
    assert doc.text.splitlines()[: len(lines)] == lines
    assert doc.text.splitlines()[-1] == "指标\t4.72万亿元"
    assert doc.meta.year == 2024


def test_html_with_declared_gbk(tmp_path):
    html = '<html><head><meta charset="gbk"><title>t</title><style>p{}</style></head><body><h1>2024年上海市政府工作报告</h1><script>var x=1;</script><p>全市生产总值达到4.72万亿元。</p></body></html>'
    path = tmp_path / "r.html"
    path.write_bytes(html.encode("gbk"))
    doc = read(path)
    assert doc.text == "2024年上海市政府工作报告\n全市生产总值达到4.72万亿元。"
    assert doc.meta.region == "上海市"


def test_pdf_text_layer(tmp_path):
    from matplotlib.figure import Figure

    fig = Figure()
    fig.text(0.1, 0.5, "Government Work Report 2024")
    fig.savefig(tmp_path / "r.pdf")
    doc = read(tmp_path / "r.pdf")
    assert doc.format == "pdf"
    assert "Government Work Report 2024" in doc.text.replace("\n", " ")


def _expect(path, fragment):
    with pytest.raises(InputError) as err:
        read(path)
    message = str(err.value)
    assert str(path) in message and fragment in message and "\n" not in message
    return message


def test_bad_inputs_have_one_line_messages(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    _expect(tmp_path / "empty.txt", "is empty")
    (tmp_path / "blank.txt").write_text("  \n\n ", encoding="utf-8")
    _expect(tmp_path / "blank.txt", "is empty")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 8)
    _expect(tmp_path / "binary.txt", "binary")
    (tmp_path / "latin.txt").write_bytes(b"abc\x80\xffdef\x80 text")
    _expect(tmp_path / "latin.txt", "cannot be decoded")
    _expect(tmp_path / "missing.txt", "does not exist")
    _expect(tmp_path, "is a directory")
    (tmp_path / "data.xlsx").write_bytes(b"PK\x03\x04")
    _expect(tmp_path / "data.xlsx", "unsupported file type")
    (tmp_path / "fake.docx").write_bytes("不是docx".encode())
    _expect(tmp_path / "fake.docx", "not a valid .docx")
    (tmp_path / "fake.pdf").write_bytes(b"%PDF-1.4 garbage")
    _expect(tmp_path / "fake.pdf", "PDF")


def test_huge_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_text("很大的文件。" * 1000, encoding="utf-8")
    with pytest.raises(InputError, match="too large"):
        read(path, max_bytes=1000)


def test_unreadable_file(tmp_path, monkeypatch):
    path = tmp_path / "secret.txt"
    path.write_text("内容", encoding="utf-8")

    def denied(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(type(path), "read_bytes", denied)  # root can read anything: simulate
    _expect(path, "permission denied")


def test_reading_never_modifies_the_input(tmp_path, seed_text):
    path = tmp_path / "bom.txt"
    data = seed_text.encode("utf-8-sig")
    path.write_bytes(data)
    before = os.stat(path).st_mtime_ns
    nlp.read(path)
    assert path.read_bytes() == data and os.stat(path).st_mtime_ns == before
