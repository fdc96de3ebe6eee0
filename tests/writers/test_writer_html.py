"""The HTML writer: every node, real figures and headings, header cells, and the same bytes every time."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

import pytest

from generator.build.formats import WRITERS
from generator.build.plan import plan
from generator.build.render import render_job
from generator.documents.model import Document, Meta, Paragraph, Revision, Run, node_types
from generator.writers import html as html_writer


class Page(HTMLParser):
    """The parts of a page a test reads: the tags in order (with attributes) and the text of each element."""

    def __init__(self, data: bytes):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.stack: list[list] = []
        self.texts: list[tuple[str, dict, str]] = []
        self.feed(data.decode("utf-8"))

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in ("br", "meta", "link", "input"):
            self.stack.append([tag, dict(attrs), ""])

    def handle_endtag(self, tag):
        while self.stack:
            name, attrs, text = self.stack.pop()
            self.texts.append((name, attrs, text))
            if self.stack:
                self.stack[-1][2] += text
            if name == tag:
                break

    def handle_data(self, data):
        if self.stack:
            self.stack[-1][2] += data

    def text_of(self, tag: str) -> list[str]:
        return [" ".join(text.split()) for name, _, text in self.texts if name == tag]

    def with_attrs(self, tag: str) -> list[tuple[dict, str]]:
        return [(attrs, " ".join(text.split())) for name, attrs, text in self.texts if name == tag]


@pytest.fixture(scope="module")
def letter(validated_agreement) -> bytes:
    """Stockholm county's payout letter of 2012 as HTML."""
    validated = validated_agreement("2012")
    (job,) = [j for j in plan(validated.agreement, validated.allocation) if j.name.startswith("lansbrev/lansbrev_01")]
    return html_writer.render_html(render_job(validated.agreement, job))


def test_every_node_type_has_a_rule():
    assert set(node_types()) == set(html_writer.WRITERS)


def test_html_is_a_format_of_the_build():
    assert "html" in WRITERS


@dataclass(frozen=True)
class Unknown:
    text: str = "?"


def test_an_unknown_node_is_refused():
    with pytest.raises(TypeError, match="ingen regel för Unknown"):
        html_writer.render_html(Document(Meta(title="t"), [Unknown()]))  # type: ignore[list-item]


def test_sample_document(sample_document):
    data = html_writer.render_html(sample_document)
    assert data == html_writer.render_html(sample_document)  # the same bytes every time
    page = Page(data)
    assert ("html", {"lang": "sv"}) in page.tags
    assert page.text_of("title") == ["Uppdrag att utbetala medel"]
    assert page.text_of("h1") == ["Uppdrag att utbetala medel"]  # one h1, the document's title
    assert "Regeringens beslut" in page.text_of("h2") and "2.1 Utvecklingsledare" in page.text_of("h3")
    # the skip link leads to the main text
    assert ({"class": "hoppa", "href": "#innehall"}, "Hoppa till innehållet") in page.with_attrs("a")
    assert any(attrs.get("id") == "innehall" for attrs, _ in page.with_attrs("main"))
    assert "Stödja ledare att bidra till satsningen." in page.text_of("li")
    assert "fetstil" in page.text_of("strong") and "kursiv" in page.text_of("em")
    assert "Håkan Sörman" in " ".join(page.text_of("section"))
    text = data.decode()
    assert "”för äldre” ≥ 70 procent, é å ä ö Å Ä Ö" in text
    assert "<style>" in text and "@media print" in text
    # self-contained: nothing is fetched
    for needle in ("<script", "<link", "<img", "@import", "url(", "src="):
        assert needle not in text, needle


def test_payout_letter_tables_have_header_cells_and_captions(letter, validated_agreement):
    from generator.formatting import belopp

    allocation = validated_agreement("2012").allocation
    total = belopp(sum(line.amount for line in allocation.for_county("01"))).replace("\u00a0", " ")
    upplands_vasby = belopp(sum(line.amount for line in allocation.for_code("0114"))).replace("\u00a0", " ")
    page = Page(letter)
    heads = [(attrs.get("scope"), text) for attrs, text in page.with_attrs("th")]
    assert ("col", "Kronor") in heads and ("col", "Mottagare") in heads
    assert ("row", "Summa") in heads and ("row", "Upplands Väsby") in heads
    assert len(page.text_of("caption")) == len(page.text_of("table")) >= 2
    cells = page.text_of("td")
    assert total in " ".join(cells)  # the letter's total, as its PDF says
    assert upplands_vasby in " ".join(cells)  # Upplands Väsby's amount
    assert page.text_of("h1") == [
        "Medel 2012 enligt överenskommelsen om sammanhållen vård och omsorg om de mest sjuka äldre – Stockholms län"
    ]


def test_data_text_is_escaped_and_urls_are_links():
    document = Document(
        Meta(title="<script>x</script>"),
        [Paragraph([Run("a <b> & https://www.skl.se/sida. slut")])],
    )
    text = html_writer.render_html(document).decode()
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert '<a href="https://www.skl.se/sida">https://www.skl.se/sida</a>. slut' in text
    assert "a &lt;b&gt; &amp; " in text


def test_tracked_changes_are_ins_and_del():
    document = Document(
        Meta(title="t"),
        [
            Paragraph(
                [
                    Run("Beloppet är "),
                    Run("1 000", rev=Revision("del", "SKL", "2012-03-01")),
                    Run("2 000", rev=Revision("ins", "SKL", "2012-03-01")),
                    Run(" kronor."),
                ]
            )
        ],
    )
    page = Page(html_writer.render_html(document))
    assert page.text_of("del") == ["1 000"] and page.text_of("ins") == ["2 000"]
    assert page.with_attrs("ins")[0][0]["datetime"] == "2012-03-01"


def test_draft_status_stands_above_the_text():
    page = Page(html_writer.render_html(Document(Meta(title="t", draft="UTKAST – EXEMPELDATA"), [])))
    assert page.text_of("title") == ["UTKAST – EXEMPELDATA: t"]
    assert ({"class": "utkast", "role": "note"}, "UTKAST – EXEMPELDATA") in page.with_attrs("p")


def test_build_format_html_writes_pages_byte_identical(tmp_path):
    """``generator build --format html``: the pages beside nothing else, the same bytes on a forced rebuild."""
    from click.testing import CliRunner

    from generator.cli.main import main

    out = tmp_path / "ut"
    result = CliRunner().invoke(main, ["build", "2011", "--format", "html", "--out", str(out), "-j", "1"])
    assert result.exit_code == 0, result.output
    (page,) = sorted((out / "2011").glob("*.html"))
    assert not list((out / "2011").glob("*.pdf"))
    first = page.read_bytes()
    parsed = Page(first)
    assert "Regeringens beslut" in parsed.text_of("h3")
    assert "Kvalitativ analys av multisjukastudie" in parsed.text_of("h2")
    assert "63 000 000 kronor" in first.decode().replace("\u00a0", " ")
    assert any(attrs.get("name") == "dcterms.source" for tag, attrs in parsed.tags if tag == "meta")
    result = CliRunner().invoke(main, ["build", "2011", "--format", "html", "--out", str(out), "--force", "-j", "1"])
    assert result.exit_code == 0, result.output
    assert page.read_bytes() == first


def test_a_list_under_an_item_nests_in_it_and_a_quoted_passage_is_one_blockquote():
    """The utlåtande (seed 001): the registers stand in a list inside their pot's item, and the quoted
    tjänsteutlåtande, its paragraphs and lists, is one blockquote, as the PDF and DOCX set it in."""
    from generator.documents.model import ListBlock

    document = Document(
        Meta(title="Utlåtande"),
        [
            Paragraph([Run("Kommunfullmäktige föreslås besluta följande.")]),
            ListBlock([[Run("8 miljoner kronor för processtöd inom följande områden:")], [Run("Övrigt")]]),
            ListBlock([[Run("Demens")], [Run("Palliativ vård")]], level=2),
            Paragraph([Run("Tjänsteutlåtandet säger:")], style="quote"),
            ListBlock([[Run("en punkt i citatet")]], quoted=True),
            Paragraph([Run("Efter citatet.")]),
        ],
    )
    text = html_writer.render_html(document).decode("utf-8")
    assert "<li>Övrigt<ul><li>Demens</li><li>Palliativ vård</li></ul></li></ul>" in text
    quote = text[text.index("<blockquote") : text.index("</blockquote>")]
    assert "Tjänsteutlåtandet säger:" in quote and "en punkt i citatet" in quote and "Efter citatet" not in quote
    assert text.count("<blockquote") == 1
