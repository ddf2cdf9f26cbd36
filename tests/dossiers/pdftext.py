"""Reading the text of an archived PDF, enough to check what a reader of the PDF sees.

WeasyPrint writes text as glyph ids (Identity-H) with a ToUnicode map per font; this maps
the hex strings of every ``Tj``/``TJ`` back to text with those maps. Each text run is
one line in the result, so a phrase that fits on one line of the PDF is found as is.
"""

from __future__ import annotations

import re
from io import BytesIO

from pyhanko.pdf_utils.reader import PdfFileReader

_BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
_BFRANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.S)
_HEX = re.compile(rb"<([0-9a-fA-F]+)>")
_TOKENS = re.compile(rb"/([^\s/\[\]<>()]+)\s+[-\d.]+\s+Tf|\[(.*?)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj|(ET)", re.S)


def _utf16(hex_text: bytes) -> str:
    return bytes.fromhex(hex_text.decode()).decode("utf-16-be")


def _to_unicode(font) -> dict[int, str]:
    mapping: dict[int, str] = {}
    if "/ToUnicode" not in font:
        return mapping
    data = font["/ToUnicode"].get_object().data
    for block in _BFCHAR.findall(data):
        pairs = _HEX.findall(block)
        for source, target in zip(pairs[::2], pairs[1::2], strict=True):
            mapping[int(source, 16)] = _utf16(target)
    for block in _BFRANGE.findall(data):
        for line in block.strip().splitlines():
            values = _HEX.findall(line)
            if len(values) == 3:
                low, high, first = int(values[0], 16), int(values[1], 16), int(values[2], 16)
                for offset in range(high - low + 1):
                    mapping[low + offset] = chr(first + offset)
    return mapping


def _pages(node):
    node = node.get_object()
    if node["/Type"] == "/Pages":
        for kid in node["/Kids"]:
            yield from _pages(kid)
    else:
        yield node


def _content(page) -> bytes:
    contents = page["/Contents"]
    contents = contents.get_object() if hasattr(contents, "get_object") else contents
    if isinstance(contents, list):
        return b"\n".join(part.get_object().data for part in contents)
    return contents.data


def pdf_text(pdf: bytes) -> str:
    reader = PdfFileReader(BytesIO(pdf), strict=False)
    lines = []
    for page in _pages(reader.root["/Pages"]):
        fonts = page["/Resources"].get("/Font")
        fonts = fonts.get_object() if fonts is not None else {}
        maps = {name.lstrip("/"): _to_unicode(font.get_object()) for name, font in fonts.items()}
        current: dict[int, str] = {}
        run: list[str] = []
        for font, array, single, end in _TOKENS.findall(_content(page)):
            if font:
                current = maps.get(font.decode(), {})
                continue
            if end:
                if run:
                    lines.append("".join(run))
                run = []
                continue
            strings = _HEX.findall(array) if array else [single]
            for string in strings:
                for index in range(0, len(string), 4):
                    run.append(current.get(int(string[index : index + 4], 16), "\ufffd"))
            # a new run of text after a move (Tm/Td) shows as a new line
            run.append("\n")
        if run:
            lines.append("".join(run))
    text = "".join(lines)
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())
