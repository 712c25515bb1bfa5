"""Hostile spreadsheets, built small on disk and fast: the files of issue 13, finding 4.

An XLSX is a ZIP of XML files. The sheet of a bomb is one deflate stream made of a
prefix, one block repeated many times and a suffix: each part is compressed once after
a full flush (which empties the compressor's window and aligns to a byte), so the same
block can be written again and again; the ZIP around it is written by hand.
"""

import struct
import zlib
from pathlib import Path

NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
RELS_NS = b'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"'
DOC_REL = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MEMBERS = {
    "[Content_Types].xml": (
        b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
        b'.org/package/2006/content-types"><Default Extension="rels" ContentType="applicatio'
        b'n/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" Content'
        b'Type="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="applic'
        b'ation/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
        b'PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
        b'officedocument.spreadsheetml.worksheet+xml"/></Types>'),
    "_rels/.rels": (
        b'<?xml version="1.0" encoding="UTF-8"?><Relationships ' + RELS_NS + b'><Relationshi'
        b'p Id="rId1" Type="' + DOC_REL + b'/officeDocument" Target="xl/workbook.xml"/>'
        b'</Relationships>'),
    "xl/workbook.xml": (
        b'<?xml version="1.0" encoding="UTF-8"?><workbook ' + NS + b' xmlns:r="' + DOC_REL
        + b'"><sheets><sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>'),
    "xl/_rels/workbook.xml.rels": (
        b'<?xml version="1.0" encoding="UTF-8"?><Relationships ' + RELS_NS + b'><Relationshi'
        b'p Id="rId1" Type="' + DOC_REL + b'/worksheet" Target="worksheets/sheet1.xml"/>'
        b'</Relationships>'),
}
MB = 1024 * 1024


def deflate_repeated(prefix: bytes, unit: bytes, times: int, suffix: bytes):
    """(raw deflate data, crc32, size) of prefix + unit * times + suffix."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = compressor.compress(prefix) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(unit) + compressor.flush(zlib.Z_FULL_FLUSH)
    again = compressor.compress(unit) + compressor.flush(zlib.Z_FULL_FLUSH)
    assert block == again  # after a full flush the same input gives the same bytes
    tail = compressor.compress(suffix) + compressor.flush()
    crc = zlib.crc32(prefix)
    for _ in range(times):
        crc = zlib.crc32(unit, crc)
    crc = zlib.crc32(suffix, crc)
    return head + block * times + tail, crc, len(prefix) + len(unit) * times + len(suffix)


def write_zip(path: Path, members: list[tuple[str, bytes, int, int]]) -> Path:
    """A ZIP of already deflated members: (name, data, crc32, uncompressed size)."""
    out, central = bytearray(), bytearray()
    for name, data, crc, size in members:
        offset, raw_name = len(out), name.encode()
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(data), size,
                           len(raw_name), 0) + raw_name + data
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc,
                               len(data), size, len(raw_name), 0, 0, 0, 0, 0, offset) + raw_name
    start = len(out)
    out += central + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members),
                                 len(central), start, 0)
    path.write_bytes(bytes(out))
    return path


def xlsx(path: Path, prefix: bytes, unit: bytes = b"", times: int = 0,
         suffix: bytes = b"") -> Path:
    """An XLSX whose only sheet's XML is prefix + unit * times + suffix."""
    members = []
    for name, content in MEMBERS.items():
        data, crc, size = deflate_repeated(content, b"", 0, b"")
        members.append((name, data, crc, size))
    members.append(("xl/worksheets/sheet1.xml", *deflate_repeated(prefix, unit, times, suffix)))
    return write_zip(path, members)


def sheet_start(dimension: str = "") -> bytes:
    dim = f'<dimension ref="{dimension}"/>'.encode() if dimension else b""
    return b'<?xml version="1.0" encoding="UTF-8"?><worksheet ' + NS + b">" + dim + b"<sheetData>"


SHEET_END = b"</sheetData></worksheet>"


def inline_row(*texts: str) -> bytes:
    cells = b"".join(b'<c t="inlineStr"><is><t>' + t.encode() + b"</t></is></c>" for t in texts)
    return b"<row>" + cells + b"</row>"


def one_huge_cell(path: Path, megabytes: int = 400) -> Path:
    """A header cell of `megabytes` million letters: about 1 KB on disk per megabyte."""
    prefix = sheet_start() + b'<row><c t="inlineStr"><is><t>'
    suffix = b"</t></is></c></row>" + inline_row("Jan Jansen") + SHEET_END
    return xlsx(path, prefix, b"A" * MB, megabytes, suffix)


def many_rows(path: Path, rows: int = 3_000_000, *, declared: bool = True) -> Path:
    """A header and `rows` rows of one short cell (rows a multiple of 1,000)."""
    dimension = f"A1:A{rows + 1}" if declared else ""
    prefix = sheet_start(dimension) + inline_row("Naam")
    return xlsx(path, prefix, inline_row("Jan Jansen") * 1000, rows // 1000, SHEET_END)
