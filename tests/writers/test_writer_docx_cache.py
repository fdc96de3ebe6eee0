"""The DOCX writer's styled package, kept in the per-user cache by generator.cache.writer_assets (the writer itself
keeps nothing): the same bytes from a fresh build, from the cache and after a damaged, foreign or planted entry,
which is built again and never used; python-docx and reportlab are not needed once it is there. The fonts' widths
are reportlab's, read from the fonts (generator.writers.measure)."""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth

from generator.cache import store, writer_assets
from generator.documents.model import parse_document
from generator.writers import docx as docx_writer
from generator.writers import measure
from generator.writers.docx import package, styles
from generator.writers.ooxml_zip import deflate
from generator.writers.pdf_reportlab import SERIF, register_fonts

ROOT = Path(__file__).resolve().parents[2]
HEADER = len(store.MAGIC) + 64  # the store's header: what the entry was made from, its HMAC
SAMPLE_FILE = ROOT / "tests" / "fixtures" / "sample_document.xml"
SAMPLE = parse_document(SAMPLE_FILE.read_text(encoding="utf-8"))
#: a table whose amounts align on the decimal comma (the widths), with a first-page letterhead (both header parts)
DECIMALS = parse_document(
    '<document title="t" header="Rubrik" header-first-page="false">'
    '<table widths="3,1"><row kind="head"><cell>Län</cell><cell align="right">Andel</cell></row>'
    '<row><cell>Stockholm</cell><cell align="right">12,75 %</cell></row>'
    '<row><cell>Uppsala</cell><cell align="right">3,5 %</cell></row>'
    '<row kind="sum"><cell>Summa</cell><cell align="right">16,25 %</cell></row></table></document>'
)


def _forget() -> None:
    """Drop what this process has built, so the next document is built from the cache (or from scratch)."""
    for cached in (package._styled_package, styles.styled_document, measure.text_width):
        cached.cache_clear()


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    writer_assets.install()
    _forget()
    yield tmp_path / "cache" / "generator" / writer_assets.KIND
    writer_assets.uninstall()
    _forget()


def _entries(folder: Path) -> dict[str, bytes]:
    """Return the writer's entries as the store keeps them, without the store's own header (its MAC)."""
    return {p.name: p.read_bytes()[HEADER:] for p in sorted(folder.iterdir())} if folder.exists() else {}


def _sign(path: Path, entry: bytes) -> None:
    """Put ``entry`` in ``path``'s place as the store would, signed and made from what ``path`` was made from: so
    that what is tested is the writer's own check of the entry, not the store's (tests/test_cache_store.py)."""
    source = path.read_bytes()[len(store.MAGIC) : len(store.MAGIC) + 32]
    store.write(writer_assets.KIND, path.name, source, entry)


def _payload(entry: bytes) -> tuple[dict, bytes]:
    """Return the head (JSON) and the parts' bytes of an entry."""
    payload = entry[len(writer_assets.FORMAT) + 64 :]
    size = int.from_bytes(payload[:4], "big")
    return json.loads(payload[4 : 4 + size]), payload[4 + size :]


def test_the_package_is_kept_as_plain_data_and_gives_the_same_bytes(cache):
    fresh = [docx_writer.render_docx(d) for d in (SAMPLE, DECIMALS)]
    kept = _entries(cache)
    assert len(kept) == 2  # the package with and without the running header on page 1
    for key, entry in kept.items():  # the format, the key it was made for, the hash of the rest, the rest
        assert entry.startswith(writer_assets.FORMAT)
        start = len(writer_assets.FORMAT)
        assert entry[start : start + 32] == bytes.fromhex(key)
        assert hashlib.sha256(entry[start + 64 :]).digest() == entry[start + 32 : start + 64]
        head, blob = _payload(entry)  # JSON and bytes: no pickle, no marshal
        assert set(head) == {"names", "header", "first_header", "ids", "table_style_id", "parts", "deflated"}
        assert "word/styles.xml" in head["deflated"]
    _forget()
    assert [docx_writer.render_docx(d) for d in (SAMPLE, DECIMALS)] == fresh
    assert _entries(cache) == kept  # read, not written again


def test_the_writer_keeps_nothing_itself(cache):
    writer_assets.uninstall()
    _forget()
    docx_writer.render_docx(SAMPLE)
    assert _entries(cache) == {}


@pytest.mark.parametrize("damage", ["garbage", "truncated", "one byte", "empty", "a folder", "another format"])
def test_a_damaged_entry_is_built_again(cache, damage):
    fresh = docx_writer.render_docx(DECIMALS)
    kept = _entries(cache)
    for name, data in kept.items():
        path = cache / name
        if damage == "garbage":
            _sign(path, os.urandom(len(data)))
        elif damage == "truncated":
            _sign(path, data[: len(data) // 2])
        elif damage == "one byte":
            _sign(path, data[:-1] + bytes([data[-1] ^ 1]))
        elif damage == "empty":
            _sign(path, b"")
        elif damage == "another format":
            _sign(path, b"generator docx-package 0\n" + data[len(writer_assets.FORMAT) :])
        else:
            path.unlink()
            path.mkdir()
    _forget()
    assert docx_writer.render_docx(DECIMALS) == fresh
    if damage != "a folder":
        assert _entries(cache) == kept  # and kept again


def test_an_entry_planted_under_another_key_is_built_again(cache):
    """A whole, valid entry made from other inputs (the other page-header variant) stored under this key."""
    fresh = [docx_writer.render_docx(d) for d in (SAMPLE, DECIMALS)]
    kept = _entries(cache)
    first, later = (cache / name for name in kept)
    _sign(first, kept[later.name])
    _sign(later, kept[first.name])
    _forget()
    assert [docx_writer.render_docx(d) for d in (SAMPLE, DECIMALS)] == fresh
    assert _entries(cache) == kept  # each replaced by its own


@pytest.mark.parametrize("change", ["not a package", "a part outside the entry", "a wrong crc", "a pickle"])
def test_an_entry_whose_hashes_hold_but_whose_content_is_not_a_package_is_built_again(cache, change):
    """An entry with the right key and payload hash whose content the writer cannot use (a bug, a plant)."""
    import pickle

    fresh = docx_writer.render_docx(SAMPLE)
    for path in cache.iterdir():
        head, blob = _payload(path.read_bytes()[HEADER:])
        if change == "not a package":
            head = {
                "names": [],
                "header": "x",
                "first_header": None,
                "ids": {},
                "table_style_id": None,
                "parts": {},
                "deflated": {},
            }
        elif change == "a part outside the entry":
            head["parts"]["word/document.xml"] = [len(blob) - 10, 100]
        elif change == "a wrong crc":
            crc, offset, length = head["deflated"]["word/styles.xml"]
            head["deflated"]["word/styles.xml"] = [crc ^ 1, offset, length]
        head_bytes = json.dumps(head).encode()
        payload = len(head_bytes).to_bytes(4, "big") + head_bytes + blob
        if change == "a pickle":
            payload = pickle.dumps({"names": []})
        _sign(path, writer_assets.FORMAT + bytes.fromhex(path.name) + hashlib.sha256(payload).digest() + payload)
    _forget()
    assert docx_writer.render_docx(SAMPLE) == fresh


@pytest.mark.parametrize("mode", [0o600, 0o666])
def test_an_entry_is_read_only_when_others_cannot_write_it(cache, mode):
    fresh = docx_writer.render_docx(SAMPLE)
    for path in cache.iterdir():
        kept = writer_assets.decode(path.read_bytes()[HEADER:], path.name)
        styles_xml = zlib.decompress(kept["deflated"]["word/styles.xml"][1], -15)
        kept["deflated"]["word/styles.xml"] = deflate(styles_xml.replace(b"Arial", b"Ariel"))  # a valid entry
        _sign(path, writer_assets.encode(kept, path.name))
        path.chmod(mode)
    _forget()
    styles_xml = zipfile.ZipFile(io.BytesIO(docx_writer.render_docx(SAMPLE))).read("word/styles.xml")
    assert (b"Ariel" in styles_xml) == (mode == 0o600)  # used only from a file others cannot have written
    assert (docx_writer.render_docx(SAMPLE) == fresh) == (mode != 0o600)


def test_a_reference_document_is_found_by_its_content(cache, tmp_path):
    reference = tmp_path / "reference.docx"

    def make(font: str) -> None:
        word = docx.Document()
        word.styles.add_style("Brödtext", 1).font.name = font
        word.save(reference)
        os.utime(reference, ns=(1_000_000_000, 1_000_000_000))  # the same time: only the content tells them apart

    make("Georgia")
    first = docx_writer.render_docx(SAMPLE, reference=reference)
    _forget()
    assert docx_writer.render_docx(SAMPLE, reference=reference) == first  # from the cache
    make("Verdana")
    _forget()
    second = docx_writer.render_docx(SAMPLE, reference=reference)
    styles_xml = zipfile.ZipFile(io.BytesIO(second)).read("word/styles.xml")
    assert b"Verdana" in styles_xml and b"Georgia" not in styles_xml


@pytest.mark.slow
def test_a_process_with_the_cache_needs_neither_python_docx_nor_reportlab(cache):
    script = (
        "import hashlib, sys\n"
        "from pathlib import Path\n"
        "from generator.cache import writer_assets\n"
        "from generator.documents.model import parse_document\n"
        "from generator.writers import docx\n"
        "writer_assets.install()\n"
        "docx.prepare()\n"
        f"data = docx.render_docx(parse_document(Path({str(SAMPLE_FILE)!r}).read_text(encoding='utf-8')))\n"
        "loaded = {m.split('.')[0] for m in sys.modules} & {'docx', 'reportlab'}\n"
        "print(hashlib.sha256(data).hexdigest(), sorted(loaded))\n"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(cache.parent.parent)}

    def run() -> str:
        return subprocess.run(
            [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True
        ).stdout.split()

    expected = hashlib.sha256(docx_writer.render_docx(SAMPLE)).hexdigest()
    cold = run()  # this process's entries may be for another generator id: the child may build them itself
    warm = run()
    assert cold[0] == expected and warm[0] == expected
    assert warm[1:] == ["[]"]


# --------------------------------------------------------------------------- the fonts' widths


def test_amounts_align_on_the_decimal_comma_by_reportlabs_widths(cache):
    register_fonts()

    def width(text: str, bold: bool) -> float:
        return stringWidth(text, f"{SERIF}-Bold" if bold else SERIF, 1.0)

    document = docx.Document(io.BytesIO(docx_writer.render_docx(DECIMALS)))
    paragraphs = [row.cells[1].paragraphs[0]._p for row in document.tables[0].rows]
    indents = [p.pPr.find(docx.oxml.ns.qn("w:ind")) for p in paragraphs]
    assert indents[0] is None  # the head row is not aligned on the comma
    # the widest ",d…" of the column, regular or bold, less the row's own (the sum row is bold), 10.5 pt, in twips
    fractions = [(",75 %", False), (",5 %", False), (",25 %", True)]
    room = max(width(text, bold) for text, _ in fractions for bold in (False, True))
    expected = [str(round((room - width(text, bold)) * 10.5 * 20)) for text, bold in fractions]
    assert [i.get(docx.oxml.ns.qn("w:right")) for i in indents[1:]] == expected
    assert len(set(expected)) == 3  # the three rows stand differently


@pytest.mark.parametrize("text", [",5", ",75 %", ",25 kr)", ",0\u00a0%", "é å ä ö", "\u4e00", "\U0001f600", " \t"])
@pytest.mark.parametrize("bold", [False, True])
def test_widths_are_reportlabs(text, bold):
    register_fonts()
    assert measure.text_width(text, bold) == stringWidth(text, f"{SERIF}-Bold" if bold else SERIF, 1.0)


@pytest.mark.parametrize("bold", [False, True])
def test_every_characters_width_is_reportlabs(bold):
    """The font's character map read as reportlab reads it: every code point of the BMP and beyond."""
    register_fonts()
    face = getFont(f"{SERIF}-Bold" if bold else SERIF).face
    advances = measure._advances(bold)
    for code in [*range(0x10000), 0x1F600, 0x10FFFF]:
        assert advances.width(code) == face.charWidths.get(code, face.defaultWidth), hex(code)
