"""generator serve in a real browser: Debian's chromium driven by Playwright, and axe-core's WCAG 2.1 A/AA rules.

One server for the module, on a temporary project of 2011 in git (``generator serve 2011`` in a process of its
own, as staff start it). Playwright's own browser downloads are never used: the browser is ``/usr/bin/chromium``
(``apt-get install chromium``; .ci/run installs it).
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from generator.build.plan import plan
from generator.build.render import render_circular, render_job
from generator.writers.html import render_html

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DECISION = "regeringsbeslut_II-7_2011-06-16_utbetalning"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = [
    pytest.mark.external,
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium is not installed (apt-get install chromium)"),
]
expect = playwright_api.expect


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as answer:
        return answer.read().decode("utf-8")


@pytest.fixture(scope="module")
def server(project_2011, tmp_path_factory):
    """``generator serve 2011`` on a free port in the temporary project; yields (base URL, project, port)."""
    port = _free_port()
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path_factory.mktemp("cache"))}
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "2011", "--port", str(port)],
        cwd=project_2011,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            if 'data-version="1"' in _get(base + "/"):
                break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail("the server did not start: " + (process.stdout.read() if process.stdout else ""))
        time.sleep(0.2)
    yield base, project_2011, port
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as driver:
        chromium = driver.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="sv-SE")
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    yield tab
    context.close()


def _axe(tab) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(tab, options={"runOnly": {"type": "tag", "values": WCAG}})
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}: {v['nodes'][0]['target']})" for v in results.response["violations"]
    ]


def _edit(file: Path, old: str, new: str) -> None:
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_start_page_leads_to_a_document_a_recipient_and_the_changes(server, page):
    base, _, _ = server
    page.goto(base + "/")
    expect(page.locator("h1")).to_have_text("Alla dokument")
    expect(page.locator("dl.fakta").first).to_contain_text("63\u00a0000\u00a0000\u00a0kronor")
    page.get_by_role("link", name="Regeringsbeslut II:7", exact=True).click()
    expect(page.locator("h1")).to_have_text("Regeringsbeslut II:7")
    document = page.frame_locator("iframe[title$='som webbsida']")
    expect(document.locator("h3").first).to_have_text("Regeringens beslut")
    expect(document.locator("main")).to_contain_text("utbetala 63\u00a0000\u00a0000\u00a0kronor")
    page.get_by_role("link", name="Alla dokument").first.click()
    page.get_by_label("Mottagarens kod").fill("0180")
    page.get_by_role("button", name="Visa belopp").click()
    expect(page.locator("h1")).to_have_text("Stockholm (0180), 2011")
    page.get_by_role("link", name="Ändringar").click()
    expect(page.locator("h1")).to_have_text("Ändringar")
    expect(page.locator("main")).to_contain_text("Inga dokument är registrerade som utfärdade")


def test_every_page_kind_has_no_wcag_violations(server, page):
    base, _, _ = server
    for path in (
        "/",
        f"/dokument/2011/{DECISION}",
        "/mottagare/2011/0180",
        "/andringar",
        "/finns-inte",
        f"/filer/2011/{DECISION}.html",
    ):
        page.goto(base + path)
        assert _axe(page) == [], path


def test_html_documents_of_every_kind_have_no_wcag_violations(page, tmp_path, validated_agreement, validated_circular):
    """One HTML document of each kind the data makes: decisions, the plan, every kind of letter, the county
    agreements, an utlåtande, SKL's letter and the circular."""
    chosen: dict[str, object] = {}
    for year in ("2010", "2012", "2013"):
        validated = validated_agreement(year)
        for job in plan(validated.agreement, validated.allocation, municipal=validated.municipal):
            kind = job.name.split("/")[0] if "/" in job.name else job.name.split("_")[0]
            if kind not in chosen:
                chosen[kind] = render_job(validated.agreement, job)
    chosen["cirkular"] = render_circular(validated_circular("2014/cirkular_13-66"))
    assert {"regeringsbeslut", "genomforandeplan", "lansbrev", "kommunbrev", "landstingsbrev"} <= set(chosen)
    for kind, document in chosen.items():
        file = tmp_path / f"{kind}.html"
        file.write_bytes(render_html(document))  # type: ignore[arg-type]
        page.goto(file.as_uri())
        assert _axe(page) == [], kind


def test_a_changed_figure_updates_the_open_pages_without_reloading(server, page):
    base, project, _ = server
    data = project / "agreements" / "2011.yaml"
    page.goto(f"{base}/dokument/2011/{DECISION}")
    page.evaluate("window.sammaSida = true")  # gone if the page were reloaded
    document = page.frame_locator("iframe[title$='som webbsida']")
    expect(document.locator("main")).to_contain_text("avsatt 150\u00a0000\u00a0000\u00a0kronor")
    _edit(data, "satsning_2011: 150_000_000", "satsning_2011: 160_000_000")
    try:
        expect(document.locator("main")).to_contain_text("avsatt 160\u00a0000\u00a0000\u00a0kronor", timeout=60_000)
        assert page.evaluate("window.sammaSida") is True
        page.goto(base + "/andringar")
        expect(page.locator("del").filter(has_text="150")).not_to_have_count(0)
        expect(page.locator("ins").filter(has_text="160")).not_to_have_count(0)
        expect(page.locator("main")).to_contain_text("+10\u00a0000\u00a0000\u00a0kronor")
    finally:
        _edit(data, "satsning_2011: 160_000_000", "satsning_2011: 150_000_000")
    page.goto(f"{base}/dokument/2011/{DECISION}")
    expect(page.frame_locator("iframe[title$='som webbsida']").locator("main")).to_contain_text(
        "avsatt 150\u00a0000\u00a0000\u00a0kronor", timeout=60_000
    )


def test_an_invalid_edit_shows_its_finding_and_no_stale_document_as_current(server, page):
    base, project, _ = server
    data = project / "agreements" / "2011.yaml"
    page.goto(base + "/")
    page.evaluate("window.sammaSida = true")
    expect(page.locator("tbody .etikett").first).to_have_text("Aktuellt")
    _edit(data, "total: 63_000_000", "total: sextiotre")
    try:
        finding = page.locator(".fynd li").first
        expect(finding).to_contain_text("agreements/2011.yaml:10:8", timeout=60_000)
        expect(finding).to_contain_text("fann texten 'sextiotre'")
        expect(finding.locator("pre")).to_have_text("total: sextiotre")  # the line as it stands in the file
        expect(page.locator("#byggstatus")).to_contain_text("1 fil har fel")
        expect(page.locator("tbody .etikett").first).to_contain_text("Inaktuellt")
        assert page.evaluate("window.sammaSida") is True
        assert _axe(page) == []  # the page with findings is accessible too
        page.goto(f"{base}/dokument/2011/{DECISION}")
        expect(page.locator("main")).to_contain_text("Inte aktuellt")
    finally:
        _edit(data, "total: sextiotre", "total: 63_000_000")
    page.goto(base + "/")
    expect(page.locator("tbody .etikett").first).to_have_text("Aktuellt", timeout=60_000)


@pytest.mark.parametrize(
    "path",
    [
        "/filer/../agreements/2011.yaml",
        "/filer/../../../../etc/passwd",
        "/filer/%2e%2e/agreements/2011.yaml",
        "/filer/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/filer/2011/..%2f..%2fagreements%2f2011.yaml",
        "/filer/2011/%2e%2e/%2e%2e/agreements/2011.yaml",
        "/filer/..%5c..%5cagreements%5c2011.yaml",
        "/../agreements/2011.yaml",
        "/filer/%252e%252e/agreements/2011.yaml",
    ],
)
def test_traversal_over_the_wire_is_refused(server, path):
    """Raw requests, as a hostile client sends them: no client-side normalisation of ``..``."""
    _, _, port = server
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request("GET", path)
    answer = connection.getresponse()
    body = answer.read().decode("utf-8", "replace")
    connection.close()
    assert answer.status in (400, 404), path
    assert "total:" not in body and "root:" not in body and "Sidan finns inte" in body


def test_a_symlink_out_of_the_project_is_not_served(server, tmp_path):
    base, project, port = server
    secret = tmp_path / "hemligt.html"
    secret.write_text("hemligt innehåll", encoding="utf-8")
    link = project / "output" / "2011" / "hemligt.html"
    link.symlink_to(secret)
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("GET", "/filer/2011/hemligt.html")
        answer = connection.getresponse()
        assert answer.status == 404 and "hemligt innehåll" not in answer.read().decode()
    finally:
        link.unlink()


def test_the_server_listens_on_127_0_0_1_only(server):
    _, _, port = server
    listening = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not Path(table).exists():
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hexport = local.rsplit(":", 1)
            if int(hexport, 16) == port and state == "0A":  # LISTEN
                listening.append(address)
    assert listening == ["0100007F"]  # 127.0.0.1, and no other address (not 0.0.0.0, not ::)
    outside = [a for a in _own_addresses() if not a.startswith("127.")]
    for address in outside[:1]:
        with pytest.raises(OSError):
            socket.create_connection((address, port), timeout=2).close()


def _own_addresses() -> list[str]:
    try:
        out = subprocess.run(["hostname", "-I"], capture_output=True, text=True, timeout=5).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return [a for a in out.split() if re.fullmatch(r"[0-9.]+", a)]


def test_the_accessibility_check_finds_violations(page, tmp_path):
    """The check itself works: a page without a language, an image without text and an unlabelled field fail."""
    bad = tmp_path / "dalig.html"
    bad.write_text('<!DOCTYPE html><html><head><title>x</title></head><body><img src="data:,"><input></body></html>')
    page.goto(bad.as_uri())
    found = {violation.split(":")[0] for violation in _axe(page)}
    assert {"html-has-lang", "image-alt", "label"} <= found
