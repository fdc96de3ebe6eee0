"""The DOCX writer's styled package and font widths, kept in the per-user cache: the same bytes from a fresh
build, from the cache and after a damaged entry; python-docx and reportlab are not needed once it is there."""
from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth

from generator.documents.model import parse_document
from generator.writers import docx as docx_writer
from generator.writers.ooxml_zip import deflate
from generator.writers.pdf_reportlab import SERIF, register_fonts

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_FILE = ROOT / "tests" / "fixtures" / "sample_document.xml"
SAMPLE = parse_document(SAMPLE_FILE.read_text(encoding="utf-8"))
#: a table whose amounts align on the decimal comma (the widths), with a first-page letterhead (both header parts)
DECIMALS = parse_document(
    '<document title="t" header="Rubrik" header-first-page="false">'
    '<table widths="3,1"><row kind="head"><cell>Län</cell><cell align="right">Andel</cell></row>'
    '<row><cell>Stockholm</cell><cell align="right">12,75 %</cell></row>'
    '<row><cell>Uppsala</cell><cell align="right">3,5 %</cell></row>'
    '<row kind="sum"><cell>Summa</cell><cell align="right">16,25 %</cell></row></table></document>')


def _forget() -> None:
    """Drop what this process has built, so the next document is built from the cache (or from scratch)."""
    for cached in (docx_writer._base, docx_writer._styled, docx_writer._metrics, docx_writer._width):
        cached.cache_clear()


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    _forget()
    yield tmp_path / "cache" / "generator" / "docx"
    _forget()


def _entries(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.exists() else {}


def test_the_package_and_the_widths_are_kept_and_give_the_same_bytes(cache):
    fresh = [docx_writer.render_docx(d) for d in (SAMPLE, DECIMALS)]
    kept = _entries(cache)
    assert len(kept) == 3  # the package with and without a first-page header, the widths
    for data in kept.values():  # each entry: the SHA-256 of the rest, then the rest
        assert hashlib.sha256(data[32:]).digest() == data[:32]
    _forget()
    assert [docx_writer.render_docx(d) for d in (SAMPLE, DECIMALS)] == fresh
    assert _entries(cache) == kept  # read, not written again


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


@pytest.mark.parametrize("text", [",5", ",75 %", ",25 kr)", ",0\u00a0%", "é å ä ö", "\u4e00", "\U0001f600"])
@pytest.mark.parametrize("bold", [False, True])
def test_widths_are_reportlabs(cache, text, bold):
    register_fonts()
    assert docx_writer._width(text, bold) == stringWidth(text, f"{SERIF}-Bold" if bold else SERIF, 1.0)


@pytest.mark.parametrize("damage", ["garbage", "truncated", "one byte", "empty", "a folder"])
def test_a_damaged_entry_is_built_again(cache, damage):
    fresh = docx_writer.render_docx(DECIMALS)
    kept = _entries(cache)
    for name, data in kept.items():
        path = cache / name
        if damage == "garbage":
            path.write_bytes(os.urandom(len(data)))
        elif damage == "truncated":
            path.write_bytes(data[:len(data) // 2])
        elif damage == "one byte":
            path.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
        elif damage == "empty":
            path.write_bytes(b"")
        else:
            path.unlink()
            path.mkdir()
    _forget()
    assert docx_writer.render_docx(DECIMALS) == fresh
    if damage != "a folder":
        assert _entries(cache) == kept  # and kept again


def test_a_valid_entry_that_is_not_a_package_is_built_again(cache):
    """An entry whose checksum is right but whose content is not what the writer needs (a bug, a collision)."""
    import marshal

    fresh = docx_writer.render_docx(SAMPLE)
    for path in cache.iterdir():
        payload = marshal.dumps({"names": [], "parts": {}, "deflated": {}})
        path.write_bytes(hashlib.sha256(payload).digest() + payload)
    _forget()
    assert docx_writer.render_docx(SAMPLE) == fresh


@pytest.mark.parametrize("mode", [0o600, 0o666])
def test_an_entry_is_read_only_when_others_cannot_write_it(cache, mode):
    import marshal

    fresh = docx_writer.render_docx(SAMPLE)
    for path in cache.iterdir():
        package = marshal.loads(path.read_bytes()[32:])
        if "deflated" in package:  # another sans font in the styles, kept with a valid checksum
            styles = zlib.decompress(package["deflated"]["word/styles.xml"][1], -15)
            package["deflated"]["word/styles.xml"] = deflate(styles.replace(b"Arial", b"Ariel"))
            payload = marshal.dumps(package)
            path.write_bytes(hashlib.sha256(payload).digest() + payload)
            path.chmod(mode)
    _forget()
    styles = zipfile.ZipFile(io.BytesIO(docx_writer.render_docx(SAMPLE))).read("word/styles.xml")
    assert (b"Ariel" in styles) == (mode == 0o600)


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
    styles = zipfile.ZipFile(io.BytesIO(second)).read("word/styles.xml")
    assert b"Verdana" in styles and b"Georgia" not in styles


@pytest.mark.slow
def test_a_process_with_the_cache_needs_neither_python_docx_nor_reportlab(cache):
    script = (
        "import hashlib, sys\n"
        "from pathlib import Path\n"
        "from generator.documents.model import parse_document\n"
        "from generator.writers import docx\n"
        "docx.prepare()\n"
        f"data = docx.render_docx(parse_document(Path({str(SAMPLE_FILE)!r}).read_text(encoding='utf-8')))\n"
        "print(hashlib.sha256(data).hexdigest(), sorted({m.split('.')[0] for m in sys.modules} & {'docx', 'reportlab'}))\n")
    env = {**os.environ, "XDG_CACHE_HOME": str(cache.parent.parent)}

    def run() -> str:
        return subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                              check=True).stdout.split()

    expected = hashlib.sha256(docx_writer.render_docx(SAMPLE)).hexdigest()
    cold = run()  # this process's entries may be for another generator id: the child may build them itself
    warm = run()
    assert cold[0] == expected and warm[0] == expected
    assert warm[1:] == ["[]"]
