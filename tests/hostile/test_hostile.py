"""Careless and hostile input: a table-driven corpus of bad inputs over the eight categories of issue 11.

Every case is run through the command line (click's CliRunner, in process; a few through a real
subprocess with a memory limit) and must give: a non-zero exit status (2 for bad input), its message
fragment, a location (``file:line:col`` or a field path), no traceback, nothing under output/ changed, and
an answer within a time bound. See docs/UTVECKLING.md, "Robusthet och säkerhet".
"""

from __future__ import annotations

import hashlib
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli.main import main
from generator.data import reference

ROOT = Path(__file__).resolve().parents[2]
BASE = (ROOT / "agreements" / "2011.yaml").read_text(encoding="utf-8")
BASE_2012 = (ROOT / "agreements" / "2012.yaml").read_text(encoding="utf-8")
OUTCOMES = (ROOT / "examples" / "utfall_2012_EXEMPEL.csv").read_text(encoding="utf-8")
TIME_LIMIT = 10.0  # seconds per case, generous for a shared machine; most take well under 0.2 s
LOCATED = (
    r"(\.yaml|\.csv|\.docx|\.pdf|output\S*|\.txt|x|\.json):\d+(:\d+)?: fel: |\.yaml:\d+:\d+: fel: [\w\[\].]+: |: fel: "
)


@dataclass
class Case:
    id: str
    category: int
    args: list[str]
    fragment: str
    files: dict[str, str | bytes] = field(default_factory=dict)  # relative to the project folder
    exit: int = 2
    located: str = r"\.(yaml|csv):\d+(:\d+)?: fel: "
    symlinks: dict[str, str] = field(default_factory=dict)
    forbidden: tuple[str, ...] = ()  # text that must not appear (contents of files outside the data)
    reference: dict[str, str | bytes] = field(default_factory=dict)  # reference/*.csv replaced for the case
    fifos: tuple[str, ...] = ()  # named pipes made for the case (relative to the project folder)


def replaced(text: str, old: str, new: str, count: int = 1) -> str:
    assert old in text, old
    return text.replace(old, new, count)


def agreement(old: str, new: str, base: str = BASE) -> dict[str, str]:
    return {"agreements/case.yaml": replaced(base, old, new)}


def validate_case(id_: str, category: int, old: str, new: str, fragment: str, base: str = BASE, **kw) -> Case:
    return Case(id_, category, ["validate", "agreements/case.yaml"], fragment, agreement(old, new, base), **kw)


# --------------------------------------------------------------------------- 1. YAML 1.1 coercions

NUMERIC_FIELDS = [  # (name, the line as it stands, template with {v})
    ("total", "total: 63_000_000", "total: {v}"),
    ("payout amount", "        amount: 27_000_000", "        amount: {v}"),
    (
        "earmark amount",
        "ehalsa_nod, label: Insatser inom NOD-projektet, amount: 5_000_000}",
        "ehalsa_nod, label: Insatser inom NOD-projektet, amount: {v}}}",
    ),
    ("section total", "    total: 30_000_000", "    total: {v}"),
    ("year", "year: 2011", "year: {v}"),
]
COERCED = [
    "01_000_000",
    "0_1",
    "1:00",
    "1:00:00",
    "0b1",
    "0b1_000",
    "0x10",
    "0xFF_FF",
    "0o17",
    "017",
    "1e6",
    "1.5e3",
    "+5",
    "+27_000_000",
    ".inf",
    "-.inf",
    ".nan",
    ".NaN",
    "1_0000",
    "10_00",
    "1__000",
    "27_000_000.0",
    "1.",
    ".5",
    "0x_1",
    "27000000e0",
]
CASES: list[Case] = []
for name, line, template in NUMERIC_FIELDS:
    for literal in COERCED:
        CASES.append(
            validate_case(
                f"1-{name}-{literal}", 1, line, template.format(v=literal), "väntade " if name != "year" else "väntade "
            )
        )
for literal in ["yes", "no", "on", "off", "Yes", "ON", "y", "1", "'true'"]:
    CASES.append(
        validate_case(f"1-bool-{literal}", 1, "numbered: false", f"numbered: {literal}", "väntade true eller false")
    )
for field_line, new in [
    ("signing: {place: Stockholm, date: 2011-06-13}", "signing: {place: 2011-06-13, date: 2011-06-13}"),
    ("    name: staten", "    name: 2011-06-13"),
    ("    name: staten", "    name: 12:30"),  # text now: no error for that alone …
    ("    label: För staten", "    label: 2012-02-30"),
]:
    if "12:30" in new:
        continue
    CASES.append(
        validate_case(f"1-date-as-text-{new.strip()}", 1, field_line, new, "väntade text|inte ett riktigt datum")
    )
for literal in ["+70", "7e1", ".inf", ".nan", "70%", "'70'", "yes", "1:10"]:
    CASES.append(
        validate_case(
            f"1-percent-{literal}",
            1,
            "split: {kommuner: 70, landsting: 30, key: befolkning}",
            f"split: {{kommuner: {literal}, landsting: 30, key: befolkning}}",
            "procentsats|väntade|decimal|tal",
            base=BASE_2012,
        )
    )

# --------------------------------------------------------------------------- 2. aliases, depth, size, odd bytes


def laughs(levels: int, width: int = 9) -> str:
    text = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    for i in range(1, levels):
        text += f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]\n"
    return text


TWO = [
    ("billion-laughs", laughs(10), "växer till mer än"),
    (
        "billion-laughs-flow-map",
        "a: &a {x: 1, y: 2}\n"
        + "".join(
            f"b{i}: &b{i} [" + ", ".join(["*" + ("a" if i == 0 else f"b{i - 1}")] * 12) + "]\n" for i in range(8)
        ),
        "växer till mer än",
    ),
    ("recursive-alias-list", "a: &a [*a]\n", "rekursivt alias"),
    ("recursive-alias-map", "a: &a {b: *a}\n", "rekursivt alias"),
    ("recursive-alias-deep", "a: &a [1, [2, [3, *a]]]\n", "rekursivt alias"),
    ("undefined-alias", "a: *nothing\n", "odefinierat alias"),
    ("nested-brackets", "a: " + "[" * 100_000 + "]" * 100_000 + "\n", "nästlade mer än"),
    ("nested-braces", "a: " + "{b: " * 5_000 + "1" + "}" * 5_000 + "\n", "nästlade mer än"),
    ("nested-block", "".join("  " * i + f"k{i}:\n" for i in range(200)) + "  " * 200 + "x: 1\n", "nästlade mer än"),
    ("unclosed-bracket", "a: " + "[" * 1000 + "\n", "inte giltig YAML"),
    ("tom", "", "tom"),
    ("only-comments", "# nothing\n# here\n", "innehåller inga data"),
    ("top-list", "- a\n- b\n", "väntade en samling nycklar"),
    ("top-scalar", "just text\n", "väntade en samling nycklar"),
    ("two-documents", "a: 1\n---\nb: 2\n", "inte giltig YAML"),
    ("duplicate-key", BASE.replace("year: 2011\n", "year: 2011\nyear: 2012\n", 1), "står två gånger"),
    ("tab-indent", "a:\n\tb: 1\n", "inte giltig YAML"),
    ("tag-python", "a: !!python/object/apply:os.system ['echo hi']\n", "inte tillåten"),
    ("tag-python-name", "a: !!python/name:os.system\n", "inte tillåten"),
    ("tag-int-hex", "total: !!int 0x10\n", "inte tillåten"),
    ("tag-float", "total: !!float 1\n", "inte tillåten"),
    ("tag-binary", "a: !!binary aGVsbG8=\n", "inte tillåten"),
    ("tag-set", "a: !!set {x, y}\n", "inte tillåten"),
    ("tag-local", "a: !foo bar\n", "inte tillåten"),
    ("tag-str-on-map", "a: !!str {b: 1}\n", "inte tillåten"),
    ("complex-key", "? [a, b]\n: 1\n", "enkelt namn"),
    ("map-key", "{a: 1}: 2\n", "enkelt namn"),
]
for id_, text, fragment in TWO:
    CASES.append(
        Case(
            f"2-{id_}",
            2,
            ["validate", "agreements/case.yaml"],
            fragment,
            {"agreements/case.yaml": text},
            located=r"case\.yaml:\d+(:\d+)?: fel: ",
        )
    )
for id_, char, fragment in [
    ("nul", "\\0", "NUL"),
    ("bel", "\\a", "BEL"),
    ("esc", "\\e", "styrtecken"),
    ("del", "\\x7f", "styrtecken"),
    ("c1", "\\x9b", "styrtecken"),
    ("rlo", "\\u202e", "höger-till-vänster"),
    ("lro", "\\u202d", "vänster-till-höger"),
    ("rli", "\\u2067", "isolering"),
    ("zwsp", "\\u200b", "utan bredd"),
    ("zwj", "\\u200d", "utan bredd"),
    ("zwnj", "\\u200c", "utan bredd"),
    ("bom", "\\ufeff", "utan bredd"),
    ("wj", "\\u2060", "ordsammanfogare"),
    ("lrm", "\\u200e", "markering"),
    ("rlm", "\\u200f", "markering"),
    ("surrogattecken", "\\ud800", "surrogattecken"),
    ("low-surrogate", "\\udfff", "surrogattecken"),
    ("nonchar", "\\uffff", "styrtecken eller osynligt"),
    ("vt", "\\v", "styrtecken"),
    ("ff", "\\f", "styrtecken"),
]:
    for where, old, new in [
        ("title", "title: Insatser för att", 'title: "Insatser{c}" # för att'),
        ("name", "    name: staten", '    name: "sta{c}ten"'),
        ("signatory", "signatory: {name: Ragnwi Marcelind,", 'signatory: {name: "Ragnwi{c} Marcelind",'),
        ("label", "        label: Processtöd till", '        label: "Pro{c}cesstöd" # till'),
    ]:
        CASES.append(validate_case(f"2-{where}-{id_}", 2, old, new.replace("{c}", char), fragment))
for id_, raw, fragment in [
    ("raw-nul", b"\x00", "NUL"),
    ("raw-bel", b"\x07", "BEL"),
    ("raw-esc", b"\x1b", "styrtecken"),
    ("raw-del", b"\x7f", "styrtecken"),
    ("raw-backspace", b"\x08", "styrtecken"),
]:
    data = BASE.encode().replace(b"title: Insatser", b"title: Ins" + raw + b"atser", 1)
    CASES.append(
        Case(
            f"2-{id_}",
            2,
            ["validate", "agreements/case.yaml"],
            fragment,
            {"agreements/case.yaml": data},
            located=r"case\.yaml:8:\d+: fel: ",
        )
    )
CASES += [
    Case(
        "2-latin1",
        2,
        ["validate", "agreements/case.yaml"],
        "inte UTF-8",
        {"agreements/case.yaml": BASE.encode("latin-1", "replace")},
        located=r"case\.yaml:\d+: fel: ",
    ),
    Case(
        "2-utf16",
        2,
        ["validate", "agreements/case.yaml"],
        "inte UTF-8",
        {"agreements/case.yaml": BASE.encode("utf-16")},
        located=r"case\.yaml:\d+: fel: ",
    ),
    Case(
        "2-random-bytes",
        2,
        ["validate", "agreements/case.yaml"],
        "inte UTF-8",
        {"agreements/case.yaml": bytes(range(256)) * 4},
        located=r"case\.yaml:\d+: fel: ",
    ),
    Case(
        "2-big-file",
        2,
        ["validate", "agreements/case.yaml"],
        "mer än gränsen",
        {"agreements/case.yaml": b"a: " + b"x" * 3_000_000 + b"\n"},
        located=r"case\.yaml:1: fel: ",
    ),
    Case("2-dev-zero", 2, ["validate", "/dev/zero"], "ingen vanlig fil", located=r"/dev/zero:1: fel: "),
    Case("2-dev-urandom", 2, ["validate", "/dev/urandom"], "ingen vanlig fil", located=r"/dev/urandom:1: fel: "),
    Case("2-dev-null", 2, ["validate", "/dev/null"], "ingen vanlig fil", located=r"/dev/null:1: fel: "),
    Case(
        "2-proc-environ",
        2,
        ["validate", "/proc/self/environ"],
        "NUL|inte giltig|väntade en samling nycklar|tom",
        located=r"environ:\d+(:\d+)?: fel: ",
        forbidden=("PATH=", "HOME="),
    ),
    Case(
        "2-missing-file",
        2,
        ["validate", "agreements/nothing.yaml"],
        "kan inte läsas",
        located=r"nothing\.yaml:1: fel: ",
    ),
    Case(
        "2-build-dev-zero",
        2,
        ["build", "/dev/zero", "--out", "output"],
        "ingen vanlig fil",
        located=r"/dev/zero:1: fel: ",
    ),
]

# --------------------------------------------------------------------------- 3. paths named in the data

OUT_LINE = "  outcomes: ../examples/utfall_2012_EXEMPEL.csv"
POP_LINE = "  population: {file: ../examples/befolkning_2011_EXEMPEL.csv, year: 2011}"
SECRET = "root:x:0:0"
for id_, target in [
    ("etc-passwd", "/etc/passwd"),
    ("proc-environ", "/proc/self/environ"),
    ("dot-dot", "../../../../../../etc/passwd"),
    ("dot-dot-2", "../../etc/passwd"),
    ("dot-dot-mixed", "../examples/../../../../etc/passwd"),
    ("home", "~/.bashrc"),
    ("dev-zero", "/dev/zero"),
    ("proc-cmdline", "/proc/self/cmdline"),
    ("symlink-out", "../examples/link.csv"),
    ("symlink-dir-out", "../examples/linkdir/passwd"),
    ("windows", "C:\\Windows\\win.ini"),
    ("root", "/"),
    ("parent-project", ".."),
]:  # ".." is a folder: refused as not a regular file
    links = {"examples/link.csv": "/etc/passwd", "examples/linkdir": "/etc"}
    CASES.append(
        validate_case(
            f"3-outcomes-{id_}",
            3,
            OUT_LINE,
            f"  outcomes: '{target}'",
            "avvisas|ingen vanlig",
            base=BASE_2012,
            symlinks=links,
            forbidden=(SECRET, "PATH="),
        )
    )
    CASES.append(
        validate_case(
            f"3-population-{id_}",
            3,
            POP_LINE,
            f"  population: {{file: '{target}', year: 2011}}",
            "avvisas|ingen vanlig",
            base=BASE_2012,
            symlinks=links,
            forbidden=(SECRET, "PATH="),
        )
    )
for id_, content, fragment in [
    ("yaml-as-outcomes", "agreements/case.yaml", "inte en utfallsfil"),
    ("readme-as-outcomes", "README.txt", "inte en utfallsfil"),
]:
    CASES.append(
        Case(
            f"3-{id_}",
            3,
            ["validate", "agreements/case.yaml"],
            fragment,
            {
                **agreement(OUT_LINE, f"  outcomes: ../{content}", BASE_2012),
                "README.txt": "secret-token-123;abc\nmore secret-token-456\n",
            },
            located=r"\.(yaml|txt):\d+: fel: ",
            forbidden=("secret-token",),
        )
    )
CASES.append(
    Case(
        "3-readme-as-population",
        3,
        ["validate", "agreements/case.yaml"],
        "rubrikrad|region|kolumn|år",
        {
            **agreement(POP_LINE, "  population: {file: ../README.txt, year: 2011}", BASE_2012),
            "README.txt": "region,ålder,secret-token-1,secret-token-2\n",
        },
        located=r"README\.txt:\d+: fel: ",
        forbidden=("secret-token",),
    )
)
for id_, target in [
    ("etc-passwd", "/etc/passwd"),
    ("dot-dot", "../../../../etc/passwd"),
    ("dev-zero", "/dev/zero"),
    ("symlink", "examples/link.docx"),
]:
    CASES.append(
        Case(
            f"3-reference-doc-{id_}",
            3,
            ["build", "agreements/2011.yaml", "--out", "output", "--reference-doc", target],
            "avvisas|ingen vanlig|ingen giltig|finns inte",
            symlinks={"examples/link.docx": "/etc/passwd"},
            located=r": fel: |Fel: Ogiltigt värde",
            forbidden=(SECRET,),
        )
    )

# --------------------------------------------------------------------------- 4. prose is data, not a program

PROSE = [
    ("string-times", "{{ 'x' * 10**8 }}", "räkning"),
    ("power-tower", "{{ 10**10**8 }}", "räkning"),
    ("power", "{{ total ** 2 }}", "räkning"),
    ("multiply", "{{ total * 2 | kronor }}", "räkning"),
    ("subtract", "{{ (total - 1) | kronor }}", "skrivet värde|räkning|adderas"),
    ("add-literal", "{{ (total + 1) | kronor }}", "skrivet värde"),
    ("divide", "{{ total / 3 }}", "räkning"),
    ("floordiv", "{{ total // 3 }}", "räkning"),
    ("modulo", "{{ total % 7 }}", "räkning"),
    ("negate", "{{ -total }}", "räkning"),
    ("concat", "{{ total ~ total }}", "sammanfogning"),
    ("slinga", "{% for i in range(10) %}x{% endfor %}", "slinga"),
    ("nested-loops", "{% for i in range(10**6) %}{% for j in range(10**6) %}x{% endfor %}{% endfor %}", "slinga"),
    ("makro", "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", "makro"),
    ("set", "{% set x = total %}{{ x }}", "tilldelning"),
    ("set-block", "{% set x %}y{% endset %}", "tilldelning"),
    ("inkludering", "{% include 'lansbrev.xml.j2' %}", "inkludering"),
    ("import", "{% import '_macros.xml.j2' as m %}", "import"),
    ("extends", "{% extends 'x' %}", "mallarv"),
    ("anrop", "{{ range(10) }}", "anrop"),
    ("method", "{{ 'x'.upper() }}", "anrop"),
    ("lipsum", "{{ lipsum(100000) }}", "anrop"),
    ("dunder", "{{ sec.__class__ }}", "attribut"),
    ("dunder-mro", "{{ total.__class__.__mro__ }}", "attribut"),
    ("model-dump", "{{ utbet.ledning_lan.model_dump }}", "attribut|som inte finns"),
    ("private", "{{ sec._x }}", "attribut"),
    ("index", "{{ sec['a'] }}", "indexering"),
    ("slice", "{{ title[0:10] }}", "indexering|utsnitt"),
    ("skrivet värde", "{{ 'text' }}", "skrivet värde"),
    ("literal-number", "{{ 42 }}", "skrivet värde"),
    ("list", "{{ [1, 2] }}", "list"),
    ("dict", "{{ {'a': 1} }}", "samling"),
    ("compare", "{% if total > 5 %}x{% endif %}", "jämförelse"),
    ("inline-if", "{{ total if total else 0 }}", "if … else i raden"),
    ("filter-replace", "{{ total | replace('1', '9') }}", "inte ett av textens filter"),
    ("filter-join", "{{ sec | join(',') }}", "inte ett av textens filter"),
    ("filter-format", "{{ '%s' | format(total) }}", "skrivet värde|inte ett av"),
    ("filter-attr", "{{ sec | attr('__class__') }}", "inte ett av textens filter"),
    ("filter-map", "{{ sec | map('upper') }}", "inte ett av textens filter"),
    ("filter-escape", "{{ total | e }}", "inte ett av textens filter"),
    ("filter-long-arg", "{{ total | belopp_enhet('" + "x" * 100 + "') }}", "kort enkelt värde"),
    ("filter-bad-unit", "{{ total | belopp_enhet('gkr') }}", "okänd enhet"),
    ("filter-block", "{% filter upper %}x{% endfilter %}", "filterblock"),
    ("with", "{% with a = 1 %}{% endwith %}", "with"),
    ("miljoner-ord-range", "{{ total | miljoner_ord }}", "miljoner_ord"),
    ("miljoner-ord-odd", "{{ ledning_skl | miljoner_ord }}", "^(?!x)"),  # 3 000 000 is in range: see next
    ("undefined", "{{ nothing_here | kronor }}", "som inte finns"),
    ("undefined-attr", "{{ sec.nothing.number }}", "som inte finns"),
    ("syntax-open", "{{ total | kronor ", "felaktig|unexpected"),
    ("syntax-block", "{% if total %}x", "felaktig|unexpected|end of template"),
    ("syntax-unknown-tag", "{% frobnicate %}", "felaktig|unknown tag|Encountered"),
    ("deep-parens", "{{ " + "(" * 5000 + "total" + ")" * 5000 + " }}", "för djupt nästlad|felaktig|räkning"),
    ("huge-text", "{{ total }}" + "x" * 150_000, "längre än"),
    ("date-as-amount", "{{ year | kronor }}", "^(?!x)"),
    ("amount-as-date", "{{ total | datum }}", "kan inte skrivas ut|väntade ett datum"),
    ("filter-on-namespace", "{{ sec | kronor }}", "kan inte skrivas ut|måste vara ett heltal"),
]
for id_, prose, fragment in PROSE:
    if fragment == "^(?!x)":
        continue  # legitimate references, kept in the table to document that they pass
    text = prose.replace("\\", "\\\\").replace('"', '\\"')
    CASES.append(
        Case(
            f"4-intro-{id_}",
            4,
            ["validate", "agreements/case.yaml"],
            fragment,
            {
                "agreements/case.yaml": re.sub(
                    r"^intro: \|\n(  .*\n|\n)+", lambda m, text=text: f'intro: "{text}"\n', BASE, count=1, flags=re.M
                )
            },
            located=r"case\.yaml:\d+(:\d+)?: fel: intro: ",
        )
    )
for id_, prose, fragment in PROSE[:20]:
    text = prose.replace("\\", "\\\\").replace('"', '\\"')
    CASES.append(
        Case(
            f"4-decision-{id_}",
            4,
            ["validate", "agreements/case.yaml"],
            fragment,
            {
                "agreements/case.yaml": re.sub(
                    r"^    decision: \|\n(      .*\n|\n)+",
                    lambda m, text=text: f'    decision: "{text}"\n',
                    BASE,
                    count=1,
                    flags=re.M,
                )
            },
            located=r"case\.yaml:\d+(:\d+)?: fel: decisions\[0\]\.decision: ",
        )
    )


# --------------------------------------------------------------------------- 6. command-line arguments

GARBAGE_PDF = b"%PDF-1.7\n" + bytes(range(256)) * 20
ZIP_BOMB_NAME = "bomb.docx"
SIX = [
    (
        "diff-option-revision",
        ["diff", "agreements/2011.yaml@--output=/tmp/h11-pwned", "agreements/2011.yaml"],
        "ingen git-version",
    ),
    ("diff-option-p", ["diff", "agreements/2011.yaml@-p", "agreements/2011.yaml"], "ingen git-version"),
    (
        "diff-option-both",
        ["diff", "agreements/2011.yaml@--help", "agreements/2011.yaml@--version"],
        "ingen git-version",
    ),
    ("diff-space", ["diff", "agreements/2011.yaml@HEAD --output=x", "agreements/2011.yaml"], "ingen git-version"),
    ("diff-colon", ["diff", "agreements/2011.yaml@HEAD:README.md", "agreements/2011.yaml"], "ingen git-version"),
    ("diff-range", ["diff", "agreements/2011.yaml@HEAD..HEAD~1", "agreements/2011.yaml"], "ingen git-version"),
    ("diff-shell", ["diff", "agreements/2011.yaml@$(touch x)", "agreements/2011.yaml"], "ingen git-version"),
    ("diff-semicolon", ["diff", "agreements/2011.yaml@HEAD;ls", "agreements/2011.yaml"], "ingen git-version"),
    ("diff-newline", ["diff", "agreements/2011.yaml@HEAD\n--output=x", "agreements/2011.yaml"], "ingen git-version"),
    ("diff-empty-rev", ["diff", "agreements/2011.yaml@", "agreements/2011.yaml"], "ingen git-version"),
    ("diff-missing-file", ["diff", "agreements/none.yaml", "agreements/2011.yaml"], "kan inte läsas"),
    ("diff-bad-b", ["diff", "agreements/2011.yaml", "/dev/zero"], "ingen vanlig fil"),
    ("check-garbage-pdf", ["check", "x.pdf"], "PDF"),
    ("check-not-pdf", ["check", "y.pdf"], "inte en PDF"),
    ("check-empty-pdf", ["check", "empty.pdf"], "inte en PDF"),
    ("check-truncated-docx", ["check", "truncated.docx"], "ingen giltig .docx"),
    ("check-zip-bomb", ["check", ZIP_BOMB_NAME], "packas upp"),
    ("check-text", ["check", "notes.txt"], "bara .docx- och .pdf"),
    ("check-no-provenance", ["check", "plain.docx"], "inget ursprung"),
    ("check-bad-xml", ["check", "badxml.docx"], "skadad|entiteter"),
    ("check-entities", ["check", "entities.docx"], "entiteter"),
    ("out-is-file", ["build", "agreements/2011.yaml", "--out", "notes.txt"], "inte en mapp"),
    ("out-is-device", ["build", "agreements/2011.yaml", "--out", "/dev/null"], "inte en mapp"),
    ("out-under-file", ["build", "agreements/2011.yaml", "--out", "notes.txt/sub"], "kan inte skapas"),
    ("out-in-proc", ["build", "agreements/2011.yaml", "--out", "/proc/version/x"], "kan inte skapas"),
    (
        "reference-doc-garbage",
        ["build", "agreements/2011.yaml", "--out", "output", "--reference-doc", "notes.txt"],
        "ingen giltig .docx",
    ),
    (
        "reference-doc-truncated",
        ["build", "agreements/2011.yaml", "--out", "output", "--reference-doc", "truncated.docx"],
        "ingen giltig .docx",
    ),
    (
        "reference-doc-bomb",
        ["build", "agreements/2011.yaml", "--out", "output", "--reference-doc", ZIP_BOMB_NAME],
        "packas upp|zipbomb",
    ),
    (
        "reference-doc-not-word",
        ["build", "agreements/2011.yaml", "--out", "output", "--reference-doc", "plain.xlsx.docx"],
        "inget Word-dokument",
    ),
]


def _zip(entries: dict[str, bytes], truncate: int | None = None) -> bytes:
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in entries.items():
            package.writestr(name, data)
    data = buffer.getvalue()
    return data[:truncate] if truncate else data


def _six_files() -> dict[str, bytes]:
    custom = "docProps/custom.xml"
    word = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<document/>"}
    return {
        "x.pdf": GARBAGE_PDF,
        "y.pdf": b"hello, not a pdf",
        "empty.pdf": b"",
        "truncated.docx": _zip({**word, custom: b"<Properties/>" * 100}, truncate=120),
        ZIP_BOMB_NAME: _zip({**word, custom: b"\0" * 60_000_000}),
        "notes.txt": b"notes\n",
        "plain.docx": _zip(word),
        "plain.xlsx.docx": _zip({"xl/workbook.xml": b"<x/>"}),
        "badxml.docx": _zip({**word, custom: b"<Properties><unclosed>"}),
        "entities.docx": _zip(
            {
                **word,
                custom: (
                    b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
                    b"<Properties>&b;</Properties>"
                ),
            }
        ),
    }


for id_, args, fragment in SIX:
    CASES.append(Case(f"6-{id_}", 6, args, fragment, located=LOCATED))

# --------------------------------------------------------------------------- 7. plausible-looking mistakes

SEVEN = [
    ("year-2031", "year: 2011", "year: 2031", "långt från överenskommelsens år"),
    ("year-1999", "year: 2011", "year: 1999", "måste vara minst|långt från"),
    ("decision-9999", "    date: 2011-06-16", "    date: 9999-12-31", "långt från överenskommelsens år"),
    ("decision-1900", "    date: 2011-06-16", "    date: 1900-01-01", "långt från överenskommelsens år"),
    ("signing-2031", "date: 2011-06-13}", "date: 2031-06-13}", "långt från överenskommelsens år"),
    (
        "deadline-before-signing",
        "signing: {place: Stockholm, date: 2011-06-13}",
        "signing: {place: Stockholm, date: 2011-12-20}",
        "före överenskommelsen undertecknas",
    ),
    ("payout-zero", "        amount: 1_000_000\n", "        amount: 0\n", "0 kronor|blir tillsammans"),
    ("payout-10e30", "total: 63_000_000", "total: 1_000_000_000_000_000_000_000_000_000_000", "får vara högst"),
    ("payout-huge", "        amount: 27_000_000", "        amount: 999_999_999_999_999", "får vara högst"),
    ("payout-negative", "        amount: 27_000_000", "        amount: -27_000_000", "får inte vara negativt"),
    ("earmark-huge", "amount: 5_000_000}", "amount: 50_000_000_000_000}", "får vara högst"),
    ("date-feb-30", "    date: 2011-06-16", "    date: 2011-02-30", "inte ett riktigt datum"),
    ("date-month-13", "    date: 2011-06-16", "    date: 2011-13-01", "väntade ett datum|inte ett riktigt datum"),
    ("date-as-text", "    date: 2011-06-16", "    date: '2011-06-16'", "väntade ett datum"),
    ("date-with-time", "    date: 2011-06-16", "    date: 2011-06-16 10:00:00", "väntade ett datum|datum"),
]
for id_, old, new, fragment in SEVEN:
    CASES.append(validate_case(f"7-{id_}", 7, old, new, fragment))
SEVEN_2012 = [
    ("reply-before-letter", "  date: 2012-12-14\n", "  date: 2012-12-14\n  reply_by: 2012-01-31\n", "svarsdagen"),
    (
        "pot-percent-over",
        "split: {kommuner: 70, landsting: 30, key: befolkning}",
        "split: {kommuner: 170, landsting: 30, key: befolkning}",
        "less than or equal|högst",
    ),
    (
        "payout-10e30-balanced",
        "total: 1_161_000_000",
        "total: 1_000_000_000_000_000_000_000_000_000_000",
        "får vara högst",
    ),
]
for id_, old, new, fragment in SEVEN_2012:
    CASES.append(validate_case(f"7-{id_}", 7, old, new, fragment, base=BASE_2012))


def outcome_case(id_: str, csv_text: str, fragment: str, located: str = r"case\.csv:\d+: fel: ") -> Case:
    return Case(
        f"7-outcomes-{id_}",
        7,
        ["validate", "agreements/case.yaml"],
        fragment,
        {**agreement(OUT_LINE, "  outcomes: ../examples/case.csv", BASE_2012), "examples/case.csv": csv_text},
        located=located,
    )


LINES = OUTCOMES.splitlines()
HEADER_AT = next(i for i, l in enumerate(LINES) if l.startswith("pott"))
FIRST = LINES[HEADER_AT + 1]
POT = FIRST.split(";")[0]


def with_cell(index: int, value: str) -> str:
    cells = FIRST.split(";")
    cells[index] = value
    return "\n".join(LINES[: HEADER_AT + 1] + [";".join(cells)] + LINES[HEADER_AT + 2 :])


SEVEN_CSV = [
    (
        "missing-columns",
        lambda: "\n".join(LINES[: HEADER_AT + 1] + [";".join(FIRST.split(";")[:2])] + LINES[HEADER_AT + 2 :]),
        "fält, rubrikraden har",
    ),
    (
        "extra-column",
        lambda: "\n".join(LINES[: HEADER_AT + 1] + [FIRST + ";9"] + LINES[HEADER_AT + 2 :]),
        "fält, rubrikraden har",
    ),
    (
        "nobody-qualifies",
        lambda: "\n".join(
            LINES[: HEADER_AT + 1]
            + [l.replace(";ja;", ";nej;") if l.startswith(POT + ";") else l for l in LINES[HEADER_AT + 1 :]]
        ),
        "ingen mottagare kvalificerar sig",
    ),
    ("negative-count", lambda: with_cell(3, "-5"), "negativt|heltal"),
    ("unicode-digit", lambda: with_cell(3, "²"), "heltal"),
    ("huge-count", lambda: with_cell(3, "9" * 40), "heltal"),
    (
        "coverage-nan",
        lambda: "\n".join(LINES[: HEADER_AT + 1] + [FIRST.rsplit(";", 1)[0] + ";NaN"] + LINES[HEADER_AT + 2 :]),
        "procentsats",
    ),
    (
        "coverage-inf",
        lambda: "\n".join(LINES[: HEADER_AT + 1] + [FIRST.rsplit(";", 1)[0] + ";Infinity"] + LINES[HEADER_AT + 2 :]),
        "procentsats",
    ),
    (
        "coverage-150",
        lambda: "\n".join(LINES[: HEADER_AT + 1] + [FIRST.rsplit(";", 1)[0] + ";150"] + LINES[HEADER_AT + 2 :]),
        "procentsats",
    ),
    ("duplicate-row", lambda: "\n".join(LINES[: HEADER_AT + 2] + [FIRST] + LINES[HEADER_AT + 2 :]), "två gånger"),
    (
        "unknown-code",
        lambda: "\n".join(LINES[: HEADER_AT + 1] + [POT + ";9999;ja;1;50"] + LINES[HEADER_AT + 1 :]),
        "okänd kod",
    ),
    (
        "unknown-pot",
        lambda: "\n".join(LINES[: HEADER_AT + 1] + ["nopot;0180;ja;1;50"] + LINES[HEADER_AT + 1 :]),
        "okänd pott",
    ),
    (
        "formula-code",
        lambda: "\n".join(LINES[: HEADER_AT + 1] + [POT + ";=1+1;ja;1;50"] + LINES[HEADER_AT + 1 :]),
        "okänd kod",
    ),
    (
        "rlo-in-row",
        lambda: "\n".join(LINES[: HEADER_AT + 1] + [FIRST + "\u202e"] + LINES[HEADER_AT + 2 :]),
        "höger-till-vänster|procentsats",
    ),
    (
        "nul-in-row",
        lambda: "\n".join(LINES[: HEADER_AT + 1] + [FIRST.replace(";", ";\0", 1)] + LINES[HEADER_AT + 2 :]),
        "NUL|okänd|kan inte läsas",
    ),
    (
        "qualified-maybe",
        lambda: "\n".join(
            LINES[: HEADER_AT + 1]
            + [FIRST.replace(";ja;", ";kanske;").replace(";nej;", ";kanske;")]
            + LINES[HEADER_AT + 2 :]
        ),
        "ja eller nej",
    ),
    ("no-header", lambda: "0180;x;y\n", "inte en utfallsfil|saknas"),
    ("tom", lambda: "", "ingen rubrikrad"),
    ("dup-header", lambda: "pott;kod;kvalificerad;kod\n", "två gånger"),
    ("long-field", lambda: "pott;kod;kvalificerad\n" + POT + ";" + "1" * 200_000 + ";ja\n", "kan inte läsas|okänd kod"),
    ("unclosed-quote", lambda: "pott;kod;kvalificerad\n" + POT + ';"0180;ja\n', "fält|okänd kod|kan inte läsas"),
]
for id_, make, fragment in SEVEN_CSV:
    CASES.append(outcome_case(id_, make(), fragment, located=r"\.(csv|yaml):\d+(:\d+)?: fel: "))
POP = (ROOT / "examples" / "befolkning_2011_EXEMPEL.csv").read_text(encoding="utf-8")
POP_LINES = POP.splitlines()
for id_, make, fragment in [
    (
        "missing-column",
        lambda: "\n".join(POP_LINES[:3] + [POP_LINES[3].rsplit(",", 1)[0].rsplit(";", 1)[0]] + POP_LINES[4:]),
        "kolumn|inget antal|region",
    ),
    (
        "not-a-count",
        lambda: "\n".join(
            l.replace(l.rsplit(l[-1] if False else ",", 1)[-1], "..") if i == 5 else l for i, l in enumerate(POP_LINES)
        ),
        "inget antal|kolumn",
    ),
    ("garbage", lambda: "hello\nworld\n", "ingen rubrikrad"),
    ("binary", lambda: "region\x00,\x01\n", "NUL|styrtecken|kolumn"),
    ("no-year", lambda: POP.replace("2011", "1999"), "ingen kolumn för året|region"),
]:
    CASES.append(
        Case(
            f"7-population-{id_}",
            7,
            ["validate", "agreements/case.yaml"],
            fragment,
            {
                **agreement(POP_LINE, "  population: {file: ../examples/pop.csv, year: 2011}", BASE_2012),
                "examples/pop.csv": make(),
            },
            located=r"\.(csv|yaml):\d+(:\d+)?: fel: ",
        )
    )

CIRCULAR = (ROOT / "agreements" / "2014" / "cirkular_13-66.yaml").read_text(encoding="utf-8")
CIRCULAR_INTRO = "  intro: |\n    Sveriges Kommuner och Landsting och regeringen har tecknat {{ antal | tal_ord }}"
for id_, prose, fragment in PROSE[:12] + [
    ("circular-undefined", "{{ nothing }}", "inte är ett belopp eller datum|inget värde")
]:
    CASES.append(
        Case(
            f"4-circular-{id_}",
            4,
            ["validate", "agreements/2014/case.yaml"],
            fragment,
            {
                "agreements/2014/case.yaml": replaced(
                    CIRCULAR, CIRCULAR_INTRO, "  intro: |\n    " + prose + " {{ antal | tal_ord }}"
                )
            },
            located=r"case\.yaml:\d+(:\d+)?: fel: cirkular\.intro: ",
        )
    )
for id_, old, new, fragment in [
    ("date-9999", "  date: 2013-12-16", "  date: 9999-12-31", "långt från"),
    ("date-1999", "  date: 2013-12-16", "  date: 1999-12-16", "långt från"),
    ("year-octal", "  year: 2014", "  year: 02014", "väntade"),
    # number: 13:66 unquoted is read as the text "13:66" here (YAML 1.1 read 816): correct, so not a case
    ("nul", "  units: [Vård och omsorg,", '  units: ["Vård\0 och omsorg",', "NUL"),
    ("rlo", "  units: [Vård och omsorg,", '  units: ["Vård\u202e och omsorg",', "höger-till-vänster"),
]:
    CASES.append(
        Case(
            f"7-circular-{id_}",
            7,
            ["validate", "agreements/2014/case.yaml"],
            fragment,
            {"agreements/2014/case.yaml": replaced(CIRCULAR, old, new)},
            located=r"case\.yaml:\d+(:\d+)?: fel: ",
        )
    )
CASES += [
    validate_case(
        "7-deadline-before-first-decision",
        7,
        "    date: 2012-02-09",
        "    date: 2012-12-09",
        "före det första beslutet",
        base=BASE_2012,
    ),
    validate_case(
        "4-method-attribute", 4, "intro: |\n", "intro: |\n  {{ sec.ledning.copy }}\n", "unsafe|som inte finns|felaktig"
    ),
    validate_case(
        "4-model-attribute", 4, "intro: |\n", "intro: |\n  {{ utbet.ledning_lan.model_fields }}\n", "attribut"
    ),
    Case(
        "3-text-file-not-echoed",
        3,
        ["validate", "agreements/case.yaml"],
        "väntade en samling nycklar",
        {"agreements/case.yaml": "SECRET_TOKEN=abc123 and more secret words\n"},
        located=r"case\.yaml:1:1: fel: ",
        forbidden=("SECRET_TOKEN", "abc123"),
    ),
    Case(
        "3-symlinked-agreement-data-outside",
        3,
        ["validate", "agreements/linked.yaml"],
        "avvisas",
        {"elsewhere/agreements/x.yaml": replaced(BASE_2012, OUT_LINE, "  outcomes: ../../../../../../etc/passwd")},
        symlinks={"agreements/linked.yaml": "../elsewhere/agreements/x.yaml"},
        forbidden=(SECRET,),
    ),
]

# build refuses too, writing nothing
for case in [c for c in CASES if c.category in (1, 4, 7) and c.args[0] == "validate"][::12]:
    CASES.append(
        Case(
            case.id.replace(f"{case.category}-", f"{case.category}-build-", 1),
            case.category,
            ["build", case.args[1], "--out", "output"],
            case.fragment,
            case.files,
            located=case.located,
        )
    )

# --------------------------------------------------------------------------- round two (issue 28, items 3–8)
# Categories 23–28 are the items 3–8 of issue 28: links out of the project, numbers written in prose,
# published tables (step, unquoted codes), reference lists, alias byte limits, signed after the decision.

BASE_2010 = (ROOT / "agreements" / "2010.yaml").read_text(encoding="utf-8")
BASE_2013 = (ROOT / "agreements" / "2013.yaml").read_text(encoding="utf-8")
MUNICIPAL = (ROOT / "kommuner" / "2013" / "0180.yaml").read_text(encoding="utf-8")
OUTSIDE = "../outside"  # next to the project folder, relative to it
LEFT = "leder ut ur projektmappen|avvisas"

# 23. every data file resolves inside the project after symbolic links
CASES += [
    Case(
        "23-agreement-link-out",
        23,
        ["validate", "agreements/link.yaml"],
        LEFT,
        {f"{OUTSIDE}/2011.yaml": BASE},
        symlinks={"agreements/link.yaml": "../../outside/2011.yaml"},
        located=r"link\.yaml:1: fel: ",
    ),
    Case(
        "23-agreement-link-absolute-etc",
        23,
        ["validate", "agreements/link.yaml"],
        LEFT,
        symlinks={"agreements/link.yaml": "/etc/passwd"},
        located=r"link\.yaml:1: fel: ",
        forbidden=(SECRET,),
    ),
    Case(
        "23-agreement-link-listed",  # found by listing agreements/, not named
        23,
        ["validate"],
        LEFT,
        {f"{OUTSIDE}/2011.yaml": BASE},
        symlinks={"agreements/link.yaml": "../../outside/2011.yaml"},
        located=r"link\.yaml:1: fel: ",
    ),
    Case(
        "23-agreement-folder-link-listed",  # a linked folder in agreements/: not searched, but reported
        23,
        ["validate"],
        LEFT,
        {f"{OUTSIDE}/2015/x.yaml": BASE},
        symlinks={"agreements/2015": "../../outside/2015"},
        located=r"agreements/2015:1: fel: ",
    ),
    Case(
        "23-agreement-folder-link-inside-build",  # even one that stays in the project: its files are not read
        23,
        ["build", "--out", "output"],
        "mappen är en symbolisk länk",
        {"kept/2016/x.yaml": BASE},
        symlinks={"agreements/2016": "../kept/2016"},
        located=r"agreements/2016:1: fel: ",
    ),
    Case(
        "23-agreement-link-build",
        23,
        ["build", "agreements/link.yaml", "--out", "output"],
        LEFT,
        {f"{OUTSIDE}/2011.yaml": BASE},
        symlinks={"agreements/link.yaml": "../../outside/2011.yaml"},
        located=r"link\.yaml:1: fel: ",
    ),
    Case(
        "23-agreement-link-build-all",
        23,
        ["build", "--out", "output"],
        LEFT,
        {f"{OUTSIDE}/2011.yaml": BASE},
        symlinks={"agreements/link.yaml": "../../outside/2011.yaml"},
        located=r"link\.yaml:1: fel: ",
    ),
    Case(
        "23-agreement-link-at-project-top",
        23,
        ["validate", "link.yaml"],
        LEFT,
        {f"{OUTSIDE}/2011.yaml": BASE},
        symlinks={"link.yaml": "../outside/2011.yaml"},
        located=r"link\.yaml:1: fel: ",
    ),
    Case(
        "23-agreement-in-linked-folder",
        23,
        ["validate", "agreements/linkdir/2011.yaml"],
        LEFT,
        {f"{OUTSIDE}/2011.yaml": BASE},
        symlinks={"agreements/linkdir": "../../outside"},
        located=r"2011\.yaml:1: fel: ",
    ),
    Case(
        "23-agreement-link-to-fifo-outside",  # refused before it is opened: nothing waits on the pipe
        23,
        ["validate", "agreements/link.yaml"],
        LEFT,
        fifos=(f"{OUTSIDE}/pipe.yaml",),
        symlinks={"agreements/link.yaml": "../../outside/pipe.yaml"},
        located=r"link\.yaml:1: fel: ",
    ),
    Case(
        "23-agreement-link-to-fifo-inside",
        23,
        ["validate", "agreements/link.yaml"],
        "ingen vanlig fil",
        fifos=("examples/pipe.yaml",),
        symlinks={"agreements/link.yaml": "../examples/pipe.yaml"},
        located=r"link\.yaml:1: fel: ",
    ),
    Case(
        "23-agreement-link-loop",
        23,
        ["validate", "agreements/loop.yaml"],
        "kan inte slås upp|kan inte läsas",
        symlinks={"agreements/loop.yaml": "loop.yaml"},
        located=r"loop\.yaml:1: fel: ",
    ),
    Case(
        "23-circular-link-out",
        23,
        ["validate", "agreements/2014/link.yaml"],
        LEFT,
        {f"{OUTSIDE}/cirkular.yaml": CIRCULAR},
        symlinks={"agreements/2014/link.yaml": "../../../outside/cirkular.yaml"},
        located=r"link\.yaml:1: fel: ",
    ),
    Case(
        "23-population-csv-link-out",
        23,
        ["validate", "agreements/case.yaml"],
        LEFT,
        {
            **agreement(POP_LINE, "  population: {file: ../examples/linkpop.csv, year: 2011}", BASE_2012),
            f"{OUTSIDE}/pop.csv": POP,
        },
        symlinks={"examples/linkpop.csv": "../../outside/pop.csv"},
        located=r"case\.yaml:\d+:\d+: fel: data\.population\.file: ",
    ),
    Case(
        "23-outcomes-csv-link-out",
        23,
        ["validate", "agreements/case.yaml"],
        LEFT,
        {**agreement(OUT_LINE, "  outcomes: ../examples/linkout.csv", BASE_2012), f"{OUTSIDE}/utfall.csv": OUTCOMES},
        symlinks={"examples/linkout.csv": "../../outside/utfall.csv"},
        located=r"case\.yaml:\d+:\d+: fel: data\.outcomes: ",
    ),
    Case(
        "23-published-from-link-out",
        23,
        ["validate", "agreements/case.yaml"],
        LEFT,
        {
            **agreement("published_from: {file: 2010.yaml,", "published_from: {file: link2010.yaml,", BASE_2012),
            f"{OUTSIDE}/2010.yaml": BASE_2010,
        },
        symlinks={"agreements/link2010.yaml": "../../outside/2010.yaml"},
        located=r"case\.yaml:\d+:\d+: fel: [\w\[\].]+published_from\.file: ",
    ),
    Case(
        "23-municipal-folder-link-out",
        23,
        ["validate", "agreements/case.yaml"],
        LEFT,
        {
            **agreement("  folder: ../kommuner/2013", "  folder: ../kommuner/link", BASE_2013),
            f"{OUTSIDE}/kommuner/0180.yaml": MUNICIPAL,
        },
        symlinks={"kommuner/link": "../../outside/kommuner"},
        located=r"case\.yaml:\d+:\d+: fel: municipal_statement\.folder: ",
    ),
    Case(
        "23-municipal-folder-dot-dot",
        23,
        ["validate", "agreements/case.yaml"],
        LEFT,
        agreement("  folder: ../kommuner/2013", "  folder: ../../outside/kommuner", BASE_2013),
        located=r"case\.yaml:\d+:\d+: fel: municipal_statement\.folder: ",
    ),
    Case(
        "23-municipal-file-link-out",
        23,
        ["validate", "agreements/case.yaml"],
        LEFT,
        {"agreements/case.yaml": BASE_2013, f"{OUTSIDE}/0180.yaml": MUNICIPAL},
        symlinks={"kommuner/2013/0180.yaml": "../../../outside/0180.yaml"},
        located=r"0180\.yaml:1: fel: ",
    ),
    Case(
        "23-reference-csv-link-out",
        23,
        ["validate", "agreements/2011.yaml"],
        LEFT,
        {f"{OUTSIDE}/counties.csv": (ROOT / "reference" / "counties.csv").read_text(encoding="utf-8")},
        reference={"counties.csv": ""},
        symlinks={"counties.csv": "../../../../outside/counties.csv"},
        located=r"counties\.csv:1: fel: ",
    ),
]

# 24. a number written in prose, in every kind of file and prose field
LITERALS = [
    ("negative-million", "{{ -5_000_000 | kronor }}", "talet -5000000"),
    ("plain", "{{ 5 }}", "talet 5"),
    ("float-exponent", "{{ 1e6|kronor }}", "talet 1000000"),
    ("string-int", '{{ "5"|int }}', "talet '5'"),
    ("hex", "{{ 0x10 }}", "talet 16"),
    ("octal", "{{ 0o17 | kronor }}", "talet 15"),
    ("binary", "{{ 0b1 }}", "talet 1"),
    ("grouped", "{{ 5_000_000 | miljoner }}", "talet 5000000"),
    ("spaced-string", "{{ '5 000' | kronor }}", "talet '5 000'"),
    ("plus", "{{ +5 | kronor }}", "talet 5"),
    ("decimal-percent", "{{ 7.5 | procent }}", "talet 7.5"),
    ("filter-argument", "{{ total | belopp_enhet(5) }}", "talet 5"),
    ("condition", "{% if 0 %}x{% endif %}", "talet 0"),
    ("double-negative", "{{ --5 }}", "talet 5"),
]
for id_, prose, fragment in LITERALS:
    escaped = prose.replace('"', '\\\\"')
    CASES.append(
        validate_case(
            f"24-intro-{id_}",
            24,
            "intro: |\n",
            f"intro: |\n  Beloppet är {prose} kronor.\n",
            fragment,
            located=r"case\.yaml:\d+:\d+: fel: intro: ",
        )
    )
    CASES.append(
        Case(
            f"24-municipal-decision-point-{id_}",
            24,
            ["validate", "agreements/case.yaml"],
            fragment,
            {
                "agreements/case.yaml": BASE_2013,
                "kommuner/2013/0180.yaml": replaced(
                    MUNICIPAL, "  - De nämnder som", f"  - Hela {prose} De nämnder som"
                ),
            },
            located=r"0180\.yaml:\d+:\d+: fel: decision_points\[0\]: ",
        )
    )
for id_, old, new, where in [
    ("preparation", "  Ärendet har remitterats", "  Ärendet {{ 5 }} har remitterats", "preparation"),
    ("views", "  Vi vill uppmana", "  Vi vill {{ 1e6 | kronor }} uppmana", "views"),
    ("assessment", "    Det är i dagsläget", "    Det är {{ -1 }} i dagsläget", r"statement\.assessment"),
    ("prepared-by", "  prepared_by: Detta ärende", "  prepared_by: Detta {{ 0x10 }} ärende", r"statement\.prepared_by"),
    ("undefined-name", "  Ärendet har remitterats", "  Ärendet {{ okand_summa }} har remitterats", "preparation"),
]:
    CASES.append(
        Case(
            f"24-municipal-{id_}",
            24,
            ["validate", "agreements/case.yaml"],
            "skrivet värde|som inte finns",
            {"agreements/case.yaml": BASE_2013, "kommuner/2013/0180.yaml": replaced(MUNICIPAL, old, new)},
            located=rf"0180\.yaml:\d+:\d+: fel: {where}: ",
        )
    )
CASES += [
    Case(
        "24-municipal-build",
        24,
        ["build", "agreements/case.yaml", "--out", "output"],
        "talet -5000000",
        {
            "agreements/case.yaml": BASE_2013,
            "kommuner/2013/0180.yaml": replaced(
                MUNICIPAL, "  - De nämnder som", "  - Hela {{ -5_000_000 | kronor }} De nämnder som"
            ),
        },
        located=r"0180\.yaml:\d+:\d+: fel: decision_points\[0\]: ",
    ),
    Case(
        "24-circular-intro-literal",
        24,
        ["validate", "agreements/2014/case.yaml"],
        "talet 3",
        {"agreements/2014/case.yaml": replaced(CIRCULAR, "{{ antal | tal_ord }}", "{{ 3 | tal_ord }}")},
        located=r"case\.yaml:\d+:\d+: fel: cirkular\.intro: ",
    ),
    validate_case(
        "24-decision-literal",
        24,
        "    decision: |\n",
        "    decision: |\n      Regeringen betalar {{ 27_000_000 | kronor }}.\n",
        "talet 27000000",
        located=r"case\.yaml:\d+:\d+: fel: decisions\[0\]\.decision: ",
    ),
    validate_case(
        "24-item-condition-literal",
        24,
        "    ul_lan: |\n      Medlen används",
        "    ul_lan: |\n      Medlen ({{ 66_000_000 | kronor }}) används",
        "talet 66000000",
        base=BASE_2012,
        located=r"case\.yaml:\d+:15: fel: county_letters\.item_conditions\.ul_lan: ",
    ),
]

# 25. published tables: amounts on their rule's step, codes as written
for id_, old, new, fragment in [
    ("step-quarter-million", '"01": 7_000_000', '"01": 7_250_000', "ingen jämn multipel av regelns steg"),
    ("step-one-krona", '"03": 2_000_000', '"03": 2_000_001', "ingen jämn multipel"),
    ("step-last-county", '"25": 3_000_000', '"25": 3_100_000', "ingen jämn multipel"),
    ("step-hundred-thousand", '"14": 9_000_000   # V', '"14": 8_900_000   # V', "ingen jämn multipel"),
    ("code-unquoted-01", '"01": 7_000_000', "01: 7_000_000", "står utan citattecken"),
    ("code-unquoted-1", '"01": 7_000_000', "1: 7_000_000", "står utan citattecken"),
    ("code-unquoted-25", '"25": 3_000_000', "25: 3_000_000", "står utan citattecken"),
    ("code-unquoted-county-agreement", '    "14":   # Västra', "    14:   # Västra", "står utan citattecken"),
    ("code-unquoted-three-digits", '"01": 7_000_000', "001: 7_000_000", "står utan citattecken"),
    ("code-empty", '"01": 7_000_000', '"": 7_000_000', "'' är ingen kod"),
    ("code-leading-space", '"01": 7_000_000', '" 01": 7_000_000', "' 01' är ingen kod"),
    ("code-trailing-space", '"01": 7_000_000', '"01 ": 7_000_000', "'01 ' är ingen kod"),
    ("code-hex", '"01": 7_000_000', "0x1: 7_000_000", "'0x1' är ingen kod"),
    ("step-zero", "step: 500_000   # the", "step: 0   # the", "steget är 0 kronor"),
    (
        "code-unquoted-flow",
        '"01": 7_000_000   # Stockholm\n            "03": 2_000_000   # Uppsala',
        '"01": 7_000_000   # Stockholm\n            {03: 2_000_000}',
        "inte giltig YAML|står utan citattecken",
    ),
]:
    CASES.append(
        validate_case(f"25-{id_}", 25, old, new, fragment, base=BASE_2010, located=r"case\.yaml:\d+:\d+: fel: ")
    )
for id_, old, new, fragment in [
    ("kommun-unquoted", 'kommun: "0180"', "kommun: 0180", "står utan citattecken"),
    ("kommun-integer", 'kommun: "0180"', "kommun: 180", "står utan citattecken"),
    ("kommun-one", 'kommun: "0180"', "kommun: 1", "står utan citattecken"),
]:
    CASES.append(
        Case(
            f"25-{id_}",
            25,
            ["validate", "agreements/case.yaml"],
            fragment,
            {"agreements/case.yaml": BASE_2013, "kommuner/2013/0180.yaml": replaced(MUNICIPAL, old, new)},
            located=r"0180\.yaml:\d+:\d+: fel: kommun: ",
        )
    )
CASES.append(
    Case(
        "25-step-build",
        25,
        ["build", "agreements/case.yaml", "--out", "output"],
        "ingen jämn multipel",
        agreement('"01": 7_000_000', '"01": 7_250_000', BASE_2010),
        located=r"case\.yaml:\d+:\d+: fel: ",
    )
)

# 26. reference lists: every row once, every code once, as many fields as the header
COUNTIES_CSV = (ROOT / "reference" / "counties.csv").read_text(encoding="utf-8")
MUNICIPALITIES_CSV = (ROOT / "reference" / "municipalities.csv").read_text(encoding="utf-8")
COUNCILS_CSV = (ROOT / "reference" / "county_councils.csv").read_text(encoding="utf-8")
STOCKHOLM = "0180,Stockholms kommun,Stockholm,01\n"
assert STOCKHOLM in MUNICIPALITIES_CSV
for id_, name, text, fragment in [
    ("duplicate-row", "municipalities.csv", MUNICIPALITIES_CSV + STOCKHOLM, "raden står två gånger"),
    (
        "same-code-other-county",
        "municipalities.csv",
        MUNICIPALITIES_CSV + "0180,Falska kommun,Falska,03\n",
        "0180 står två gånger",
    ),
    (
        "same-code-same-county",
        "municipalities.csv",
        MUNICIPALITIES_CSV + "0180,Falska kommun,Falska,01\n",
        "0180 står två gånger",
    ),
    (
        "extra-field",
        "municipalities.csv",
        MUNICIPALITIES_CSV.replace(STOCKHOLM, STOCKHOLM[:-1] + ",x\n"),
        "5 fält, rubrikraden har 4",
    ),
    (
        "missing-field",
        "municipalities.csv",
        MUNICIPALITIES_CSV.replace(STOCKHOLM, "0180,Stockholms kommun,01\n"),
        "3 fält",
    ),
    (
        "empty-code",
        "municipalities.csv",
        MUNICIPALITIES_CSV.replace(STOCKHOLM, ",Stockholms kommun,Stockholm,01\n"),
        "ingen kod",
    ),
    (
        "code-trailing-space",
        "municipalities.csv",
        MUNICIPALITIES_CSV.replace(STOCKHOLM, "0180 ,Stockholms kommun,Stockholm,01\n"),
        "ingen kod",
    ),
    (
        "code-letters",
        "municipalities.csv",
        MUNICIPALITIES_CSV.replace(STOCKHOLM, "01A0,Stockholms kommun,Stockholm,01\n"),
        "ingen kod",
    ),
    (
        "code-other-county",
        "municipalities.csv",
        MUNICIPALITIES_CSV.replace(STOCKHOLM, "0180,Stockholms kommun,Stockholm,03\n"),
        "hör till län 01",
    ),
    ("empty-name", "municipalities.csv", MUNICIPALITIES_CSV.replace(STOCKHOLM, "0180,,Stockholm,01\n"), "är tom"),
    (
        "nul-in-name",
        "municipalities.csv",
        MUNICIPALITIES_CSV.replace(STOCKHOLM, "0180,Stock\0holms kommun,Stockholm,01\n"),
        "NUL|kan inte läsas",
    ),
    (
        "rlo-in-name",
        "municipalities.csv",
        MUNICIPALITIES_CSV.replace(STOCKHOLM, "0180,Stock\u202eholms kommun,Stockholm,01\n"),
        "höger-till-vänster",
    ),
    (
        "unclosed-quote",
        "municipalities.csv",
        MUNICIPALITIES_CSV.replace(STOCKHOLM, '0180,"Stockholms kommun,Stockholm,01\n'),
        "fält|CSV",
    ),
    ("county-duplicate", "counties.csv", COUNTIES_CSV + "01,Stockholms län,Stockholm\n", "står två gånger"),
    ("county-second-name", "counties.csv", COUNTIES_CSV + "01,Falska län,Falska\n", "01 står två gånger"),
    (
        "county-extra-field",
        "counties.csv",
        COUNTIES_CSV.replace("01,Stockholms län,Stockholm\n", "01,Stockholms län,Stockholm,x\n"),
        "4 fält",
    ),
    (
        "county-code-one-digit",
        "counties.csv",
        COUNTIES_CSV.replace("01,Stockholms län,Stockholm\n", "1,Stockholms län,Stockholm\n"),
        "ingen kod",
    ),
    ("county-empty", "counties.csv", "", "tom"),
    (
        "county-header-twice",
        "counties.csv",
        "county_code,county_code,county_name,county_name_short\n",
        "två gånger i rubrikraden",
    ),
    (
        "council-duplicate",
        "county_councils.csv",
        COUNCILS_CSV + "01,0001,Stockholms läns landsting,,\n",
        "står två gånger",
    ),
    ("council-latin1", "county_councils.csv", COUNCILS_CSV.encode("latin-1"), "inte UTF-8"),
]:
    CASES.append(
        Case(
            f"26-{id_}",
            26,
            ["validate", "agreements/2011.yaml"],
            fragment,
            reference={name: text},
            located=rf"{re.escape(name)}:\d+: fel: ",
        )
    )
CASES.append(
    Case(
        "26-build-refuses",
        26,
        ["build", "agreements/2011.yaml", "--out", "output"],
        "0180 står två gånger",
        reference={"municipalities.csv": MUNICIPALITIES_CSV + "0180,Falska kommun,Falska,03\n"},
        located=r"municipalities\.csv:\d+: fel: ",
    )
)

# 27. the YAML limits count bytes after aliases, and nested aliases stay bounded
MEGA = "x" * 900_000


def aliased(body: str) -> dict[str, str]:
    return {"agreements/case.yaml": body}


for id_, text in [
    ("one-string-200-times", f'a: &a "{MEGA}"\nb: [' + ", ".join(["*a"] * 200) + "]\n"),
    ("one-string-3-times", f'a: &a "{MEGA}"\nb: [*a, *a, *a]\n'),
    ("key-and-value", f'a: &a "{MEGA}"\nb: {{x: *a, y: *a, z: *a}}\n'),
    (
        "nested-lists",
        'a: &a "'
        + "x" * 50_000
        + '"\nb: &b ['
        + ", ".join(["*a"] * 10)
        + "]\nc: &c ["
        + ", ".join(["*b"] * 10)
        + "]\n",
    ),
    (
        "merge-keys",
        f'a: &a {{t: "{MEGA[:500_000]}"}}\n' + "".join(f"{k}: {{<<: *a, u: 1}}\n" for k in "bcde"),
    ),
    ("block-text", "a: &a |\n" + "".join("  " + "y" * 1000 + "\n" for _ in range(600)) + "b: [*a, *a, *a, *a]\n"),
    ("unicode-bytes", 'a: &a "' + "å" * 300_000 + '"\nb: [*a, *a, *a, *a, *a]\n'),  # 600 kB each in UTF-8
    ("laughs-with-text", 'a0: &a0 "' + "z" * 1000 + '"\n' + laughs(6).split("\n", 1)[1].replace("lol", "*a0")),
]:
    CASES.append(
        Case(
            f"27-{id_}",
            27,
            ["validate", "agreements/case.yaml"],
            "växer till mer än",
            aliased(text),
            located=r"case\.yaml:\d+:\d+: fel: ",
        )
    )
CASES.append(
    Case(
        "27-build-refuses",
        27,
        ["build", "agreements/case.yaml", "--out", "output"],
        "växer till mer än",
        aliased(f'a: &a "{MEGA}"\nb: [' + ", ".join(["*a"] * 200) + "]\n"),
        located=r"case\.yaml:\d+:\d+: fel: ",
    )
)

# 28. a decision cannot come before the signing of what it approves or pays
for id_, old, new, base in [
    ("2011-signed-after-payment", "date: 2011-06-13}", "date: 2011-06-20}", BASE),
    ("2011-signed-a-day-late", "date: 2011-06-13}", "date: 2011-06-17}", BASE),
    ("2011-decided-before", "    date: 2011-06-16", "    date: 2011-06-10", BASE),
    (
        "2012-approved-before-signing",
        "organisations:\n",
        "signing: {place: Stockholm, date: 2012-03-01}\norganisations:\n",
        BASE_2012,
    ),
]:
    CASES.append(
        validate_case(
            f"28-{id_}",
            28,
            old,
            new,
            "innan överenskommelsen undertecknades",
            base=base,
            located=r"case\.yaml:\d+:\d+: fel: decisions\[0\]\.date: ",
        )
    )
CASES.append(
    Case(
        "28-build-refuses",
        28,
        ["build", "agreements/case.yaml", "--out", "output"],
        "innan överenskommelsen undertecknades",
        agreement("date: 2011-06-13}", "date: 2011-06-20}"),
        located=r"case\.yaml:\d+:\d+: fel: decisions\[0\]\.date: ",
    )
)

IDS = [c.id for c in CASES]
assert len(set(IDS)) == len(IDS), [i for i in IDS if IDS.count(i) > 1]


# --------------------------------------------------------------------------- running the corpus


def _tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A project folder: agreements 2011 and 2012, the example data, an output/ with a manifest, a git repo."""
    root = tmp_path_factory.mktemp("hostile") / "proj"
    (root / "agreements").mkdir(parents=True)
    shutil.copy(ROOT / "agreements" / "2011.yaml", root / "agreements" / "2011.yaml")
    shutil.copytree(ROOT / "agreements" / "2014", root / "agreements" / "2014")
    shutil.copytree(ROOT / "examples", root / "examples")
    (root / "output" / "2011").mkdir(parents=True)
    (root / "output" / "2011" / "dokument.pdf").write_bytes(b"%PDF- old document")
    (root / "output" / "manifest.json").write_text('{"documents": {}}\n')
    for name, data in _six_files().items():
        (root / name).write_bytes(data)
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "add", "agreements"], cwd=root, check=True)
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x"], cwd=root, check=True)
    return root


def _prepare(project: Path, case: Case) -> list[Path]:
    made = []
    for name in case.fifos:
        path = project / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            os.mkfifo(path)
            made.append(path)
    for name, content in case.files.items():
        path = project / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        made.append(path)
    for name, target in case.symlinks.items():
        path = project / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.is_symlink():
            path.symlink_to(target)
            made.append(path)
    return made


def _check(case: Case, code: int, output: str, seconds: float, before: dict, after: dict) -> None:
    assert code == case.exit, f"{case.id}: exit {code}\n{output}"
    assert "Traceback" not in output, f"{case.id}: traceback\n{output}"
    assert re.search(case.fragment, output, re.I), f"{case.id}: no {case.fragment!r} in\n{output}"
    assert re.search(case.located, output), f"{case.id}: no location ({case.located}) in\n{output}"
    for secret in case.forbidden:
        assert secret not in output, f"{case.id}: leaked {secret!r}\n{output}"
    assert before == after, f"{case.id}: output/ changed"
    assert seconds < TIME_LIMIT, f"{case.id}: took {seconds:.1f} s"


def _reference_lists(project: Path, case: Case, monkeypatch) -> None:
    """Point the reference lists at a copy in the project with the case's files in it, read afresh."""
    (project / "refs").mkdir(exist_ok=True)
    folder = Path(tempfile.mkdtemp(dir=project / "refs")) / "reference"
    shutil.copytree(ROOT / "reference", folder)
    for name, content in case.reference.items():
        path = folder / name
        path.unlink()
        if name in case.symlinks:
            path.symlink_to(case.symlinks[name])
        else:
            path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    monkeypatch.setattr(reference, "REFERENCE", folder)
    _forget_reference_lists()


def _forget_reference_lists() -> None:
    for function in (reference.counties, reference.municipalities, reference.councils):
        function.cache_clear()


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_bad_input_is_refused_cleanly(project: Path, case: Case, monkeypatch) -> None:
    monkeypatch.chdir(project)
    if case.reference:
        _reference_lists(project, case, monkeypatch)
        case = Case(**{**case.__dict__, "symlinks": {}})
    made = _prepare(project, case)
    before = _tree(project / "output")
    started = time.perf_counter()
    result = CliRunner().invoke(main, case.args, catch_exceptions=True)
    seconds = time.perf_counter() - started
    output = result.output  # stdout and stderr together
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{case.id}: uncaught {type(result.exception).__name__}: {result.exception}")
    try:
        _check(case, result.exit_code, output, seconds, before, _tree(project / "output"))
    finally:
        for path in made:
            if path.is_symlink() or (path.exists() and not path.is_dir()):
                path.unlink()
        if case.reference:
            _forget_reference_lists()
    assert not (project / "x").exists() and not Path("/tmp/h11-pwned").exists()


def test_corpus_covers_every_category() -> None:
    counts = {category: sum(1 for c in CASES if c.category == category) for category in range(1, 9)}
    assert len(CASES) >= 300, len(CASES)
    assert all(counts[c] >= 10 for c in (1, 2, 3, 4, 6, 7)), counts  # 5 and 8 are tested below


def test_round_two_covers_every_item_of_issue_28() -> None:
    """Items 3–8 of issue 28 (categories 23–28): each several cases, validate and build, beyond its example."""
    counts = {category: sum(1 for c in CASES if c.category == category) for category in range(23, 29)}
    assert sum(counts.values()) >= 100 and all(n >= 5 for n in counts.values()), counts
    for category in counts:
        assert {c.args[0] for c in CASES if c.category == category} >= {"validate", "build"}, category


def test_memory_stays_bounded_over_the_corpus() -> None:
    """Runs after the corpus in this process: nothing in it took more than a few hundred MB."""
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert peak_mb < 1500, peak_mb


SUBPROCESS_CASES = [
    "2-billion-laughs",
    "2-nested-brackets",
    "2-dev-zero",
    "3-outcomes-proc-environ",
    "4-intro-power-tower",
    "4-intro-string-times",
    "6-check-zip-bomb",
    "6-diff-option-revision",
    "23-agreement-link-to-fifo-outside",
    "24-municipal-decision-point-negative-million",
    "27-one-string-200-times",
    "27-laughs-with-text",
]


@pytest.mark.parametrize("case_id", SUBPROCESS_CASES)
def test_bad_input_in_a_real_process_with_a_memory_limit(project: Path, case_id: str) -> None:
    case = next(c for c in CASES if c.id == case_id)
    made = _prepare(project, case)
    before = _tree(project / "output")

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1_500_000_000, 1_500_000_000))

    started = time.perf_counter()
    try:
        run = subprocess.run(
            [sys.executable, "-m", "generator", *case.args],
            cwd=project,
            capture_output=True,
            text=True,
            timeout=60,
            preexec_fn=limit,
        )
    finally:
        for path in made:
            if path.is_symlink() or (path.exists() and not path.is_dir()):
                path.unlink()
    _check(
        case, run.returncode, run.stdout + run.stderr, time.perf_counter() - started, before, _tree(project / "output")
    )
