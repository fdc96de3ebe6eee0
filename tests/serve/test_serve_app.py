"""generator serve without a browser: the pages' content, the files, traversal refused, Swedish errors, the port."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from generator.cli.main import main
from generator.serve.app import create_app
from generator.serve.changes import marked
from generator.serve.project import Project
from generator.serve.run import DEFAULT_HOST, PortInUse, check_port, is_local
from generator.serve.safety import served_file

DECISION = "regeringsbeslut_II-7_2011-06-16_utbetalning"

pytestmark = pytest.mark.slow  # the project is built once (DOCX, PDF, HTML of 2011)


@pytest.fixture(scope="module")
def client(project_2011):
    before = Path.cwd()
    os.chdir(project_2011)
    try:
        project = Project(("2011",), jobs=1)
        project.refresh()
        with TestClient(create_app(project, watch=False, refresh_first=False)) as test_client:
            yield test_client
    finally:
        os.chdir(before)


def test_start_page_lists_the_agreement_its_total_and_documents(client):
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    text = page.text
    assert '<html lang="sv">' in text and 'href="#innehall"' in text
    assert "63 000 000 kronor" in text.replace("\u00a0", " ")  # the agreement's total
    assert f'href="/dokument/2011/{DECISION}"' in text and "Regeringsbeslut II:7" in text
    for suffix in ("pdf", "docx", "html"):
        assert f'href="/filer/2011/{DECISION}.{suffix}"' in text
    assert '<span class="etikett aktuellt">Aktuellt</span>' in text
    assert "Inga fel eller varningar." in text


def test_document_page_shows_html_and_pdf_beside_it(client):
    text = client.get(f"/dokument/2011/{DECISION}").text
    assert "<h1>Regeringsbeslut II:7</h1>" in text
    assert (
        f'<iframe src="/filer/2011/{DECISION}.html?v=' in text and f'<iframe src="/filer/2011/{DECISION}.pdf?v=' in text
    )
    html = client.get(f"/filer/2011/{DECISION}.html")
    assert html.status_code == 200 and "utbetala 63 000 000 kronor" in html.text.replace("\u00a0", " ")
    pdf = client.get(f"/filer/2011/{DECISION}.pdf")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    docx = client.get(f"/filer/2011/{DECISION}.docx")
    assert docx.content.startswith(b"PK") and "attachment" in docx.headers["content-disposition"]


def test_recipient_page_explains_without_allocation(client):
    text = client.get("/mottagare/2011/0180").text
    assert "<h1>Stockholm (0180), 2011</h1>" in text
    assert "fördelar inga belopp per mottagare" in text
    assert (
        client.get("/mottagare?ar=2011&kod=0180", follow_redirects=False).headers["location"] == "/mottagare/2011/0180"
    )


def test_changes_page_without_changes(client):
    text = client.get("/andringar").text
    assert "Inga dokument är registrerade som utfärdade" in text
    assert "Inga belopp, datum, utbetalningar eller dokumenttexter skiljer sig" in text


@pytest.mark.parametrize(
    "path",
    [
        "/filer/../agreements/2011.yaml",
        "/filer/%2e%2e/agreements/2011.yaml",
        "/filer/%2E%2E%2Fagreements%2F2011.yaml",
        "/filer/2011%2f..%2f..%2fagreements%2f2011.yaml",
        "/filer/2011/..%5c..%5cagreements%5c2011.yaml",
        "/filer/%2fetc%2fpasswd",
        "/filer//etc/passwd",
        "/filer/manifest.json",
        "/filer/.git/config",
        "/filer/2011/%00.pdf",
        "/filer/2011/finns_inte.pdf",
        "/dokument/2011/../../agreements/2011",
    ],
)
def test_traversal_and_unknown_files_are_refused_in_swedish(client, path):
    answer = client.get(path)
    assert answer.status_code == 404, path
    assert "Sidan finns inte" in answer.text and "Not Found" not in answer.text
    assert "total:" not in answer.text and "root:" not in answer.text


def test_a_symlink_out_of_the_project_is_refused(client, project_2011, tmp_path):
    secret = tmp_path / "hemligt.pdf"
    secret.write_bytes(b"%PDF hemligt")
    link = project_2011 / "output" / "2011" / "lank.pdf"
    link.symlink_to(secret)
    inner = project_2011 / "output" / "2011" / "inre.pdf"
    inner.symlink_to(project_2011 / "output" / "2011" / f"{DECISION}.pdf")  # a link, even inside, is not served
    try:
        assert client.get("/filer/2011/lank.pdf").status_code == 404
        assert client.get("/filer/2011/inre.pdf").status_code == 404
        assert served_file(Path("output"), project_2011, "2011/lank.pdf") is None
        assert served_file(Path("output"), project_2011, f"2011/{DECISION}.pdf") is not None
    finally:
        link.unlink()
        inner.unlink()


def test_only_reading(client):
    for method in ("post", "put", "delete"):
        answer = getattr(client, method)("/")
        assert answer.status_code == 405
        assert "Servern visar bara sidor" in answer.text
    assert client.get("/mottagare/2011/9999").status_code == 404
    assert "är ingen kod för en kommun" in client.get("/mottagare/2011/9999").text
    assert client.get("/mottagare?ar=x&kod=0180").status_code == 400
    assert client.get("/andringar?mot=--exec").status_code == 400


def test_pages_fetch_nothing_from_elsewhere(client):
    page = client.get("/")
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert "http://" not in page.text.replace('href="http://', "") and "https://" not in page.text


def test_marked_words():
    pieces = marked("För 2011 finns 150 kronor.", "För 2011 finns 160 kronor.")
    assert [(p.kind, p.text) for p in pieces if p.kind != "same"] == [("del", "150"), ("ins", "160")]


def test_default_host_is_localhost_and_port_in_use_is_a_clear_message():
    assert DEFAULT_HOST == "127.0.0.1" and is_local(DEFAULT_HOST) and not is_local("0.0.0.0")
    option = next(p for p in main.commands["serve"].params if p.name == "host")
    assert option.default == "127.0.0.1"
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(PortInUse, match=f"porten {port} på 127.0.0.1 används redan"):
            check_port("127.0.0.1", port)
        result = CliRunner().invoke(main, ["serve", "2011", "--port", str(port)])
    assert result.exit_code == 2
    assert f"porten {port} på 127.0.0.1 används redan av ett annat program" in result.output
    assert "Traceback" not in result.output


def test_serve_help_is_swedish():
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert "Visa dokumenten i webbläsaren" in result.output and "[ÅR]..." in result.output


def test_recipient_page_shows_every_amount_its_computation_and_letters(validated_agreement, tmp_path):
    """Stockholm's amounts of 2012, as ``generator explain 2012 0180`` computes them (nothing built)."""
    from generator.formatting import kronor, tal
    from generator.serve.project import Snapshot, _agreement_info

    validated = validated_agreement("2012")
    project = Project(("2012",), out=tmp_path)
    info = _agreement_info(validated, tmp_path, {}, failed=False)
    project.snapshot = Snapshot(1, [info], [], 0.0)
    with TestClient(create_app(project, watch=False, refresh_first=False)) as test_client:
        text = test_client.get("/mottagare/2012/0180").text.replace("\u00a0", " ")
    plain = lambda t: t.replace("\u00a0", " ")  # noqa: E731
    lines = validated.allocation.for_code("0180")
    (senior,) = [line for line in lines if line.label == "Riskbedömning med registrering i Senior Alert"]
    assert "<h1>Stockholm (0180), 2012</h1>" in text and "Stockholm är kommun i Stockholms län." in text
    assert f'<th scope="row">{senior.label}</th><td class="belopp">{plain(kronor(senior.amount))}</td>' in text
    # the sum, as explain's "Summa för Stockholm"
    assert f"<strong>{plain(kronor(sum(line.amount for line in lines)))}</strong>" in text
    assert plain(f"× {tal(senior.key_value)} / {tal(senior.key_total)} (antal registreringar) = ") in text
    assert plain(f"→ {kronor(senior.amount)}") in text
    assert 'href="/dokument/2012/kommunbrev/kommunbrev_0180_stockholm"' in text
    assert 'href="/dokument/2012/lansbrev/lansbrev_01_stockholms-lan"' in text


def test_a_failing_build_shows_its_findings_and_no_document_as_current(project_2011, tmp_path):
    """A build that fails as a whole (here: the output folder is a file) marks every document out of date."""
    before = Path.cwd()
    os.chdir(project_2011)
    try:
        project = Project(("2011",), jobs=1)
        good = project.refresh()
        assert good.ok and [d.status for a in good.agreements for d in a.documents] == ["aktuellt"]
        blocker = tmp_path / "ut"
        blocker.write_text("ingen mapp")
        project.out = blocker
        failed = project.refresh()
        assert not failed.ok and failed.version == good.version + 1
        assert "utmappen" in failed.build_findings[0].message or "mapp" in failed.build_findings[0].message
        assert [d.status for a in failed.agreements for d in a.documents] == ["inaktuellt"]
        with TestClient(create_app(project, watch=False, refresh_first=False)) as test_client:
            text = test_client.get("/").text
        assert "Bygget misslyckades." in text and "Inaktuellt" in text and ">Aktuellt<" not in text
    finally:
        os.chdir(before)


def test_changes_page_names_the_changed_input_first_and_what_to_send(tmp_path, monkeypatch):
    """The 2011 scenario of the change workflow on the page: the decision issued, then one payout changed.
    The page shows what ``check --issued`` ends with: the input (file:line, old → new), the totals and, per
    changed document, what must be sent to whom, with the amounts."""
    from tests.serve.conftest import make_project

    project_folder = make_project(tmp_path / "projekt")
    monkeypatch.chdir(project_folder)
    runner = CliRunner()
    assert runner.invoke(main, ["build", "2011"]).exit_code == 0
    issued = runner.invoke(main, ["issue", "2011", "regeringsbeslut", "--date", "2011-06-16"])
    assert issued.exit_code == 0, issued.output
    data = Path("agreements/2011.yaml")
    text = data.read_text(encoding="utf-8")
    assert text.count("amount: 7_000_000") == 1 and text.count("total: 63_000_000") == 1
    data.write_text(text.replace("amount: 7_000_000", "amount: 7_500_000").replace("63_000_000", "63_500_000"))
    project = Project(("2011",), jobs=1)
    project.refresh()
    with TestClient(create_app(project, watch=False, refresh_first=False)) as test_client:
        page = " ".join(test_client.get("/andringar").text.replace("\u00a0", " ").split())
    inputs = page.index("Ändrade indata sedan utfärdandet")
    assert "agreements/2011.yaml:" in page[inputs:] and "7 000 000 → 7 500 000" in page[inputs:]
    assert "1 utfärdat dokument, 1 har ändrats sedan utfärdandet" in page
    sending = page[page.index("Att skicka") :]
    assert "ändringsbeslut" in sending and "Kammarkollegiet" in sending
    assert page.index("Ändrade indata sedan utfärdandet") < page.index("Att skicka") < page.index("Alla utfärdade")
    with TestClient(create_app(project, watch=False, refresh_first=False)) as test_client:
        start = test_client.get("/").text
        # the issued decision stays; its new version and the change-marked copy are linked beside it
        assert f'href="/filer/2011/andringar/{DECISION}.utkast.pdf"' in start
        assert f'href="/filer/2011/andringar/{DECISION}.andringsmarkerad.docx"' in start
        assert test_client.get(f"/filer/2011/andringar/{DECISION}.utkast.pdf").status_code == 200
