"""Make Chinese text copied (or searched, or extracted) from Chromium's PDFs read as it was written.

Why this exists: a PDF maps each glyph it shows back to Unicode in its fonts' /ToUnicode tables, and Chromium (Skia)
builds that table from the font's own character map by keeping, for every glyph, the *lowest* code point that uses
it. Noto Sans CJK (Debian fonts-noto-cjk, the project's font) draws the Kangxi radicals (U+2F00…) and CJK radicals
supplement (U+2E80…) with the same glyphs as the ordinary ideographs, and those blocks come first: so 月 日 至 用 金
工 页 … in the briefing were copied out as ⽉ ⽇ ⾄ ⽤ ⾦ ⼯ ⻚ — look-alikes that a search for "2026年11月" does not
find, and that a journalist would paste into an article. The page itself looks right; only its text layer is wrong.

The fix: after printing, each /ToUnicode table that maps a glyph to a radical is rewritten to the ideograph that
shares that glyph *in the font that was used* (read from the font's own cmap, as fontconfig names it, so 户 stays
户 in the simplified-Chinese face and does not become the traditional 戶 that Unicode's compatibility mapping
gives), falling back to NFKC. The tables are appended as an incremental update (PDF 1.4, §3.4.5): the printed bytes
are kept as they are. Read with the standard library only: Chromium writes a classic cross-reference table and
plain-text object dictionaries, which is all this needs.
"""

from __future__ import annotations

import functools
import logging
import re
import struct
import subprocess
import unicodedata
import zlib
from pathlib import Path

log = logging.getLogger("housing.pdf_text")

RADICALS = (0x2E80, 0x2FDF)  # CJK Radicals Supplement and Kangxi Radicals
IDEOGRAPHS = ((0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x20000, 0x3134F))  # preferred in this order
LIGATURES = (0xFB00, 0xFB06)  # ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ
FAMILY = "Noto Sans CJK SC"


def _is_radical(code: int) -> bool:
    return RADICALS[0] <= code <= RADICALS[1]


def _is_misread(code: int) -> bool:
    """A radical, or a Latin ligature (ﬁ ﬃ: the briefing's CSS turns them off; should one be drawn, it copies as
    its letters)."""
    return _is_radical(code) or LIGATURES[0] <= code <= LIGATURES[1]


@functools.cache
def radical_equivalents(family: str = FAMILY) -> dict[int, int]:
    """Radical code point → the ideograph the font draws with the same glyph, for the face fontconfig picks for
    `family` (as Chromium does); empty when the font cannot be found or read."""
    try:
        found = subprocess.run(
            ["fc-match", "-f", "%{file}:%{index}", family], capture_output=True, text=True, timeout=10, check=True
        ).stdout
        file, _, index = found.rpartition(":")
        return _equivalents(Path(file).read_bytes(), int(index or 0))
    except (OSError, ValueError, subprocess.SubprocessError, struct.error) as exc:
        log.warning("no radical equivalents from the font %s (%s): copied text falls back to NFKC", family, exc)
        return {}


def _cmap_groups(font: bytes, face: int) -> list[tuple[int, int, int]]:
    """The (first, last, first glyph) groups of a face's format-12 Unicode cmap (an OpenType file or collection)."""
    offset = struct.unpack_from(">I", font, 12 + 4 * face)[0] if font[:4] == b"ttcf" else 0
    tables = struct.unpack_from(">H", font, offset + 4)[0]
    for i in range(tables):
        tag, _checksum, start, _length = struct.unpack_from(">4sIII", font, offset + 12 + 16 * i)
        if tag == b"cmap":
            break
    else:
        return []
    for i in range(struct.unpack_from(">H", font, start + 2)[0]):
        platform, encoding, sub = struct.unpack_from(">HHI", font, start + 4 + 8 * i)
        at = start + sub
        if (platform, encoding) in ((3, 10), (0, 4), (0, 6)) and struct.unpack_from(">H", font, at)[0] == 12:
            count = struct.unpack_from(">I", font, at + 12)[0]
            return [struct.unpack_from(">III", font, at + 16 + 12 * g) for g in range(count)]
    return []


def _equivalents(font: bytes, face: int) -> dict[int, int]:
    groups = _cmap_groups(font, face)
    radical_glyph: dict[int, int] = {}  # glyph → radical
    for first, last, glyph in groups:
        for code in range(max(first, RADICALS[0]), min(last, RADICALS[1]) + 1):
            radical_glyph.setdefault(glyph + code - first, code)
    found: dict[int, int] = {}
    for low, high in IDEOGRAPHS:
        for first, last, glyph in groups:
            for code in range(max(first, low), min(last, high) + 1):
                radical = radical_glyph.get(glyph + code - first)
                if radical is not None and radical not in found:
                    found[radical] = code
    return found


def _fixed(text: str, equivalents: dict[int, int]) -> str:
    out = []
    for ch in text:
        code = ord(ch)
        if _is_misread(code):
            ch = chr(equivalents[code]) if code in equivalents else unicodedata.normalize("NFKC", ch)
        out.append(ch)
    return "".join(out)


def _utf16(hex_text: str) -> str:
    return bytes.fromhex(hex_text).decode("utf-16-be", errors="surrogatepass")


def _hex16(text: str) -> str:
    return text.encode("utf-16-be", errors="surrogatepass").hex().upper()


_BLOCK = re.compile(rb"begin(bfchar|bfrange)(.*?)end\1", re.S)
_HEX = re.compile(rb"<([0-9A-Fa-f]*)>|\[|\]")


def rewrite_cmap(cmap: bytes, equivalents: dict[int, int]) -> bytes | None:
    """A /ToUnicode CMap with radicals replaced by their ideographs; None when it maps no glyph to a radical."""
    mapping: dict[int, str] = {}
    for kind, body in _BLOCK.findall(cmap):
        tokens = [m.group(1).decode() if m.group(1) is not None else m.group(0).decode() for m in _HEX.finditer(body)]
        i = 0
        while i < len(tokens):
            if kind == b"bfchar":
                mapping[int(tokens[i], 16)] = _utf16(tokens[i + 1])
                i += 2
                continue
            low, high = int(tokens[i], 16), int(tokens[i + 1], 16)
            if tokens[i + 2] == "[":  # <low> <high> [<dst> <dst> …]
                close = tokens.index("]", i + 3)
                for n, dst in enumerate(tokens[i + 3 : close]):
                    mapping[low + n] = _utf16(dst)
                i = close + 1
                continue
            first = _utf16(tokens[i + 2])  # <low> <high> <dst>: consecutive code points (the last one counting up)
            for n in range(high - low + 1):
                mapping[low + n] = first[:-1] + chr(ord(first[-1]) + n)
            i += 3
    if not any(_is_misread(ord(ch)) for text in mapping.values() for ch in text):
        return None
    space = re.search(rb"begincodespacerange(.*?)endcodespacerange", cmap, re.S)
    entries = sorted(mapping.items())
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        (space.group(1).decode().strip() if space else "<0000> <FFFF>"),
        "endcodespacerange",
    ]
    width = 4 if not space else max(4, len(re.findall(rb"<([0-9A-Fa-f]+)>", space.group(1))[0]))
    for start in range(0, len(entries), 100):
        block = entries[start : start + 100]
        lines.append(f"{len(block)} beginbfchar")
        lines.extend(f"<{glyph:0{width}X}> <{_hex16(_fixed(text, equivalents))}>" for glyph, text in block)
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines).encode("ascii")


def _xref(pdf: bytes, at: int) -> dict[int, tuple[int, int]]:
    """Object number → (offset, generation) of a classic cross-reference table (Chromium's PDF 1.4) at `at`."""
    if not pdf.startswith(b"xref", at):
        raise ValueError("no classic cross-reference table (an xref stream?)")
    table: dict[int, tuple[int, int]] = {}
    pos = at + 4
    while True:
        head = re.compile(rb"\s*(\d+) (\d+)\s*?\r?\n|\s*trailer").match(pdf, pos)
        if head is None:
            raise ValueError("unreadable cross-reference table")
        if head.group(1) is None:
            return table
        first, count = int(head.group(1)), int(head.group(2))
        pos = head.end()
        for n in range(count):
            entry = pdf[pos + 20 * n : pos + 20 * n + 18].split()
            if len(entry) == 3 and entry[2] == b"n":
                table[first + n] = (int(entry[0]), int(entry[1]))
        pos += 20 * count


_OBJECT = re.compile(rb"(\d+)\s+(\d+)\s+obj\s*<<(.*?)>>\s*stream\r?\n", re.S)


def fix_copied_text(pdf: bytes, family: str = FAMILY) -> bytes:
    """The PDF with its /ToUnicode entries for radicals rewritten, appended as an incremental update (the printed
    bytes are kept); the same bytes when there is nothing to fix, or when the file is not laid out as Chromium writes
    it (then it is left alone and a warning logged: a wrong text layer is better than no PDF)."""
    try:
        return _fix(pdf, radical_equivalents(family))
    except (ValueError, IndexError, KeyError, zlib.error) as exc:
        log.warning("the PDF's text layer was left as printed: %s", exc)
        return pdf


def _fix(pdf: bytes, equivalents: dict[int, int]) -> bytes:
    prev = int(re.findall(rb"startxref\s+(\d+)\s+%%EOF", pdf)[-1])
    objects = _xref(pdf, prev)
    trailer = re.compile(rb"\s*trailer\s*<<(.*?)>>", re.S).search(pdf, prev)
    if trailer is None:
        raise ValueError("no trailer")
    kept = b" ".join(
        m.group(0)
        for m in re.finditer(rb"/(?:Root|Info)\s+\d+\s+\d+\s+R|/Size\s+\d+|/ID\s*\[[^\]]*\]", trailer.group(1))
    )
    updates: list[tuple[int, int, bytes]] = []
    for number in sorted({int(n) for n in re.findall(rb"/ToUnicode\s+(\d+)\s+\d+\s+R", pdf)}):
        offset, generation = objects[number]
        head = _OBJECT.match(pdf, offset)
        if head is None or int(head.group(1)) != number:
            raise ValueError(f"object {number} is not where the table says")
        info = head.group(3)
        length = re.search(rb"/Length\s+(\d+)(?!\s+\d+\s+R)", info)
        filters = re.findall(rb"/(\w+Decode)", info)
        if length is None or filters not in ([], [b"FlateDecode"]):
            raise ValueError(f"object {number}: a stream this code does not read")
        data = pdf[head.end() : head.end() + int(length.group(1))]
        rewritten = rewrite_cmap(zlib.decompress(data) if filters else data, equivalents)
        if rewritten is not None:
            updates.append((number, generation, zlib.compress(rewritten)))
    if not updates:
        return pdf
    out = bytearray(pdf if pdf.endswith(b"\n") else pdf + b"\n")
    placed: list[tuple[int, int, int]] = []
    for number, generation, body in updates:
        placed.append((number, generation, len(out)))
        out += f"{number} {generation} obj\n<</Filter /FlateDecode /Length {len(body)}>> stream\n".encode()
        out += body + b"\nendstream\nendobj\n"
    at = len(out)
    out += b"xref\n0 1\n0000000000 65535 f \n"  # the free list's head, as readers expect a section to start
    for number, generation, offset in placed:
        out += f"{number} 1\n{offset:010d} {generation:05d} n \n".encode()
    out += b"trailer\n<<" + kept + f" /Prev {prev}>>\nstartxref\n{at}\n%%EOF\n".encode()
    return bytes(out)
