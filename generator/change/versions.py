"""The version of an agreement a user names: a file, ``file@revision`` (read with ``git show``, with the key and
outcome files it names at the same revision, into a temporary folder) or ``file@utfärdat`` (the version its
latest issued document was made from), validated like any file."""

from __future__ import annotations

import re
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.app import load_agreement
from generator.data.validate import Validated
from generator.errors import DataError, Finding, GeneratorError, Location

# --------------------------------------------------------------------------- reading versions


def git(*args: str, cwd: Path | None = None) -> bytes:
    try:
        return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True).stdout
    except FileNotFoundError:
        raise GeneratorError("git är inte installerat; jämför två filer i stället för en fil vid en version") from None
    except subprocess.CalledProcessError as exc:
        raise GeneratorError(f"git {' '.join(args)}: {exc.stderr.decode(errors='replace').strip()}") from None


@contextmanager
def version(spec: str) -> Iterator[tuple[Validated, str]]:
    """Yield the validated agreement named by ``spec`` (a path, or ``path@revision``) and its label.

    ``path@utfärdat`` (or ``@issued``) is the version of the agreement its most
    recently issued document was made from; ``path@utfärdat:<document>`` that of one document
    (see generator.change.issuing).
    """
    if "@" in spec and not Path(spec).exists() and spec.rsplit("@", 1)[1].split(":")[0] in ISSUED_WORDS:
        with issued_version_of(spec) as found:
            yield found
        return
    if "@" not in spec or Path(spec).exists():
        yield load_agreement(Path(spec), sums_as_warnings=True), spec
        return
    path_text, revision = spec.rsplit("@", 1)
    if not _REVISION.fullmatch(revision) or ".." in revision or revision.startswith("-"):
        raise _bad(spec, f"{revision!r} är ingen git-version (en commit, gren, tagg, HEAD eller HEAD~1)")
    path = Path(path_text).resolve()
    if not path.parent.is_dir():
        raise _bad(spec, f"mappen för {path_text!r} finns inte")
    root = Path(git("rev-parse", "--show-toplevel", cwd=path.parent).decode().strip()).resolve()
    if not path.is_relative_to(root):
        raise _bad(spec, f"{path_text!r} ligger inte i git-förrådet")
    relative = path.relative_to(root)
    try:  # --end-of-options: the revision can never be read as an option
        commit = (
            git("rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}", cwd=root)
            .decode()
            .strip()
        )
    except GeneratorError:
        raise _bad(spec, f"{revision!r} är ingen commit i förrådet") from None
    if not re.fullmatch(r"[0-9a-f]{40,64}", commit):
        raise _bad(spec, f"{revision!r} är ingen commit i förrådet")
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(git("show", f"{commit}:{relative.as_posix()}", cwd=root))
        _materialise_data(target, root, Path(tmp), commit)
        try:
            validated = load_agreement(target, sums_as_warnings=True)
        except DataError as exc:
            raise DataError(
                f"{spec}: den här versionen är inte giltig ({len(exc.findings)} fel)", exc.findings
            ) from None
        yield validated, spec


def _published_files(node) -> list[str]:
    """Return the files named by ``published_from:`` anywhere in an agreement's data."""
    if isinstance(node, dict):
        own = node.get("published_from")
        found = [own["file"]] if isinstance(own, dict) and isinstance(own.get("file"), str) else []
        return found + [f for value in node.values() for f in _published_files(value)]
    if isinstance(node, list):
        return [f for value in node for f in _published_files(value)]
    return []


ISSUED_WORDS = {"utfärdat", "utfardat", "issued"}


@contextmanager
def issued_version_of(spec: str) -> Iterator[tuple[Validated, str]]:
    """Yield the issued version named by ``path@utfärdat[:document]`` and its label."""
    from generator.change.issuing import ISSUED, records_of_agreement, relocated

    path_text, tail = spec.rsplit("@", 1)
    document = tail.split(":", 1)[1] if ":" in tail else None
    found = [
        r
        for r in records_of_agreement(ISSUED, Path(path_text))
        if document is None or r.document == document or r.document.rsplit("/", 1)[-1] == document
    ]
    if not found:
        raise GeneratorError(
            f"{spec}: inget dokument gjort av {path_text} står som utfärdat i {ISSUED}/"
            + (f" under namnet {document}" if document else "")
            + " (generator issue records one)"
        )
    record = max(found, key=lambda r: (r.issued, r.document))
    record.verify()  # its text and every input copy against their recorded hashes: never a damaged baseline
    with tempfile.TemporaryDirectory() as tmp:
        target = record.restore(Path(tmp))
        try:
            validated = load_agreement(target, sums_as_warnings=True)
        except DataError as exc:
            raise DataError(
                f"{spec}: den utfärdade versionen är inte giltig nu ({len(exc.findings)} fel)",
                relocated(exc.findings, Path(tmp), record),
            ) from None
        yield validated, f"{path_text}@utfärdat {record.issued.isoformat()} ({record.document})"


#: A git revision as a user types it: names, hashes, ~ ^ and @{…} suffixes; never something that starts
#: with "-" (an option) or holds a space, colon or "..".
_REVISION = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_./~^{}@+-]{0,199}")


def _bad(spec: str, message: str) -> DataError:
    finding = Finding(
        Location(Path(spec.rsplit("@", 1)[0] or ".")),
        f"{message} (i {spec!r})",
        hint="skriv FIL@VERSION, t.ex. agreements/2012.yaml@HEAD~1",
    )
    return DataError(str(finding), [finding])


def _materialise_data(target: Path, root: Path, tmp: Path, revision: str) -> None:
    """Copy the data files the agreement at ``target`` names, at ``revision`` (or as they are now), beside it."""
    from generator.data.loading import load_yaml

    try:
        data, _ = load_yaml(target)
    except DataError:
        return  # reported when the version is validated
    files = data.get("data") if isinstance(data, dict) else None
    population = files.get("population") if isinstance(files, dict) else None
    names = (
        [files.get("outcomes"), population.get("file") if isinstance(population, dict) else None]
        if isinstance(files, dict)
        else []
    )
    names += _published_files(data)  # another agreement's published table (2012 takes 2010's)
    for name in filter(None, names):
        if not isinstance(name, str) or Path(name).is_absolute():
            continue  # refused when the agreement is validated
        wanted = (target.parent / name).resolve()
        if not wanted.is_relative_to(tmp.resolve()):
            continue  # leaves the copy of the repository: refused when validated
        relative = wanted.relative_to(tmp.resolve())
        wanted.parent.mkdir(parents=True, exist_ok=True)
        try:
            wanted.write_bytes(git("show", f"{revision}:{relative.as_posix()}", cwd=root))
        except GeneratorError:
            current = root / relative
            if current.is_file():
                wanted.write_bytes(current.read_bytes())
