"""The web application: the start, document, recipient and changes pages, the built files, and live refresh.

Read-only: every route answers GET (and HEAD) only, and nothing a request says is executed or written. Pages are
Jinja templates (``templates/*.html.j2``, autoescaped); the built files come from the output folder through
:func:`generator.serve.safety.served_file`. ``/handelser`` is a stream of server-sent events: ``bygger`` when a
rebuild starts and ``byggt`` when it is done, upon which an open page fetches itself again and replaces its
content (no reload).
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import AsyncIterator
from pathlib import Path

import jinja2
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

from generator.serve.changes import ISSUED_FOLDER, DataChanges, IssuedOverview, data_changes, issued_overview
from generator.serve.project import KINDS, AgreementInfo, Project, Snapshot, kind_of
from generator.serve.safety import MEDIA_TYPES, served_file

TEMPLATES = Path(__file__).resolve().parent / "templates"

#: What a page may load: itself only; its script and style are inline, the documents come from /filer/.
PAGE_POLICY = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; "
    "frame-src 'self'; object-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'"
)
FILE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'; base-uri 'none'"

_STATUS_TEXT = {
    "aktuellt": "Aktuellt",
    "inaktuellt": "Inaktuellt – data har fel, dokumentet är inte byggt om",
    "saknas": "Inte byggt",
}

_REVISION = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_./~^-]{0,39}")


def _environment() -> jinja2.Environment:
    from generator.formatting import kronor

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["kronor"] = kronor
    env.filters["klockslag"] = lambda t: time.strftime("%H:%M:%S", time.localtime(t)) if t else ""
    env.filters["anchor"] = lambda text: "fil-" + re.sub(r"[^A-Za-z0-9]+", "-", str(text)).strip("-").lower()
    env.globals["status_text"] = _STATUS_TEXT
    env.globals["recipient_name"] = _recipient_name
    return env


def create_app(project: Project, watch: bool = True, refresh_first: bool = True) -> Starlette:
    """Return the application serving ``project``; with ``watch``, rebuild when its data or templates change."""
    env = _environment()
    cache: dict[tuple, tuple[IssuedOverview, list[DataChanges]]] = {}

    def page(template: str, status: int = 200, **context) -> HTMLResponse:
        snapshot = project.snapshot
        html = env.get_template(template).render(snap=snapshot, **context)
        return HTMLResponse(
            html,
            status,
            headers={
                "Cache-Control": "no-store",
                "Content-Security-Policy": PAGE_POLICY,
                "X-Content-Type-Options": "nosniff",
                "Referrer-Policy": "no-referrer",
            },
        )

    def start(request: Request) -> Response:
        snapshot = project.snapshot
        years = [(year, [a for a in snapshot.agreements if a.year == year]) for year in snapshot.years()]
        unknown = [a for a in snapshot.agreements if a.year is None]
        if unknown:
            years.append((0, unknown))
        return page("start.html.j2", years=years, kinds=[label for _, label in KINDS] + ["Övriga dokument"])

    def document(request: Request) -> Response:
        year = request.path_params["year"]
        name = request.path_params["name"]
        found = project.snapshot.document(year, name)
        if found is None:
            raise HTTPException(404, f"Det finns inget dokument {name} för {year}.")
        agreement, doc = found
        return page("document.html.j2", agreement=agreement, doc=doc, version=project.snapshot.version)

    def recipient_form(request: Request) -> Response:
        year, code = request.query_params.get("ar", ""), request.query_params.get("kod", "").strip()
        if not year.isdigit() or not code.isdigit() or len(code) > 4:
            raise HTTPException(
                400, "Ange ett år och en kod med siffror: en kommun (0180), ett landsting (0001) eller ett län (01)."
            )
        return RedirectResponse(f"/mottagare/{int(year)}/{code}", 303)

    def recipient(request: Request) -> Response:
        from generator.data.reference import recipient as lookup
        from generator.money.explain import explain

        year, code = request.path_params["year"], request.path_params["code"]
        try:
            kind, name, county = lookup(code)
        except KeyError:
            raise HTTPException(
                404, f"{code} är ingen kod för en kommun (0180), ett landsting (0001) eller ett län (01)."
            ) from None
        snapshot = project.snapshot
        parts = []
        for agreement in snapshot.agreements:
            if agreement.year != year or agreement.validated is None:
                continue
            validated = agreement.validated
            allocation = getattr(validated, "allocation", None)
            text = explain(allocation, code, Path(agreement.file)) if allocation is not None else ""
            # its own letters, and its county's (the county letter lists every recipient in the county)
            letters = [d for d in agreement.documents if code in d.codes or county in d.codes]
            amounts = []
            if allocation is not None:
                own = allocation.for_code(code)
                for item in allocation.items:
                    amount = sum(line.amount for line in own if line.item == item.id)
                    if any(line.item == item.id for line in own):
                        amounts.append((item.label, amount))
            parts.append({"agreement": agreement, "explain": _explained(text), "letters": letters, "amounts": amounts})
        if not parts:
            raise HTTPException(404, f"Inga överenskommelser för {year} visas här.")
        where = _where(code, kind)
        return page("recipient.html.j2", code=code, name=name, where=where, year=year, parts=parts)

    def changes(request: Request) -> Response:
        against = request.query_params.get("mot", "")
        if against and (not _REVISION.fullmatch(against) or ".." in against):
            raise HTTPException(400, "Ange en git-version (HEAD, HEAD~1, en commit eller gren) eller utfärdat.")
        snapshot = project.snapshot
        key = (snapshot.version, against)
        if key not in cache:
            cache.clear()
            cache[key] = _changes_of(snapshot, against, project.out)
        overview, diffs = cache[key]
        titles = {(d.year, d.name): d.title for a in snapshot.agreements for d in a.documents}
        kinds = [label for _, label in KINDS] + ["Övriga dokument"]
        return page(
            "changes.html.j2",
            overview=overview,
            issued=overview.states,
            diffs=diffs,
            against=against,
            titles=titles,
            kinds=kinds,
        )

    def files(request: Request) -> Response:
        path = served_file(project.out, project.root, request.path_params["path"])
        if path is None:
            raise HTTPException(404, "Filen finns inte, eller får inte visas.")
        media = MEDIA_TYPES[path.suffix.lower()]
        headers = {
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": FILE_POLICY,
        }
        if path.suffix.lower() in (".docx", ".xlsx", ".csv"):
            return FileResponse(path, media_type=media, headers=headers, filename=path.name)
        return FileResponse(path, media_type=media, headers=headers, content_disposition_type="inline")

    async def events(request: Request) -> Response:
        async def stream() -> AsyncIterator[str]:
            seen, building = project.snapshot.version, project.snapshot.building
            yield f"retry: 1000\nevent: hej\ndata: {seen}\n\n"
            quiet = 0.0
            while not await request.is_disconnected():
                snapshot = project.snapshot
                if snapshot.building and not building:
                    yield "event: bygger\ndata: \n\n"
                if snapshot.version != seen and not snapshot.building:
                    seen = snapshot.version
                    yield f"event: byggt\ndata: {seen}\n\n"
                building = snapshot.building
                await asyncio.sleep(0.2)
                quiet += 0.2
                if quiet >= 15:
                    quiet = 0.0
                    yield ": håller förbindelsen öppen\n\n"

        return StreamingResponse(
            stream(), media_type="text/event-stream", headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
        )

    async def error(request: Request, exc: Exception) -> Response:
        status = getattr(exc, "status_code", 500)
        detail = getattr(exc, "detail", "") or ""
        if status == 405:
            detail = "Servern visar bara sidor; den tar inte emot ändringar."
        elif status == 404 and detail == "Not Found":  # Starlette's own: no route for the address
            detail = "Det finns ingen sida med den adressen."
        elif not detail or detail.isascii():  # Starlette's English phrases are never shown
            detail = "Begäran kunde inte besvaras."
        titles = {400: "Felaktig begäran", 404: "Sidan finns inte", 405: "Det går inte här"}
        title = titles.get(status, "Något gick fel")
        if status >= 500:
            detail = "Sidan kunde inte visas. Felet står i terminalen där servern körs."
        return page("error.html.j2", status, title=title, detail=detail, code=status)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        tasks: list[asyncio.Task] = []
        stop = asyncio.Event()
        if refresh_first:
            tasks.append(asyncio.create_task(asyncio.to_thread(project.refresh)))
        if watch:
            tasks.append(asyncio.create_task(_watch(project, stop)))
        try:
            yield
        finally:
            stop.set()
            for task in tasks:
                task.cancel()

    routes = [
        Route("/", start, methods=["GET", "HEAD"]),
        Route("/dokument/{year:int}/{name:path}", document, methods=["GET", "HEAD"]),
        Route("/mottagare", recipient_form, methods=["GET", "HEAD"]),
        Route("/mottagare/{year:int}/{code}", recipient, methods=["GET", "HEAD"]),
        Route("/andringar", changes, methods=["GET", "HEAD"]),
        Route("/filer/{path:path}", files, methods=["GET", "HEAD"]),
        Route("/handelser", events, methods=["GET"]),
    ]
    return Starlette(routes=routes, exception_handlers={HTTPException: error, Exception: error}, lifespan=lifespan)


def _where(code: str, kind: str) -> str:
    """Return what the recipient is, as explain's first line says it ("kommun i Stockholms län")."""
    from generator.data.reference import counties, recipient

    county = recipient(code)[2]
    names = {"kommun": "kommun", "landsting": "landsting", "lan": "län"}
    if kind == "lan":
        return "län"
    return f"{names.get(kind, kind)} i {counties()[county].name}"


def _recipient_name(code: str) -> str:
    from generator.data.reference import recipient

    try:
        return f"{recipient(code)[1]} ({code})"
    except KeyError:
        return code


def _explained(text: str) -> list[dict]:
    """Return ``explain``'s text as blocks: a heading line with its amount, and the lines of its computation.

    Its first two lines (the recipient, the agreement and its file) are the page's headings already."""
    blocks: list[dict] = []
    for line in text.splitlines()[2:]:
        if not line.strip():
            continue
        if line.startswith(" ") and blocks:
            blocks[-1]["lines"].append(line.strip())
        else:
            blocks.append({"head": line.strip(), "lines": []})
    return blocks


def _changes_of(snapshot: Snapshot, against: str, out: Path) -> tuple[IssuedOverview, list[DataChanges]]:
    valid = [a.validated for a in snapshot.agreements if a.validated is not None and not a.failed]
    overview = issued_overview(valid)
    issued = overview.states
    diffs = []
    for agreement in snapshot.agreements:
        if agreement.validated is None:
            continue
        file = Path(agreement.file)
        chosen = against or ("utfärdat" if any(s.document for s in issued if _of(s, agreement)) else "HEAD")
        found = data_changes(file, chosen, out, agreement.year)
        for doc in found.documents:
            doc.kind = kind_of(doc.name)
        diffs.append(found)
    return overview, diffs


def _of(state, agreement: AgreementInfo) -> bool:
    return any(d.name == state.document and d.year == state.year for d in agreement.documents)


async def _watch(project: Project, stop: asyncio.Event) -> None:
    """Rebuild after every change under the data, templates and reference folders, as ``build --watch`` does."""
    from watchfiles import awatch

    from generator.documents.templating import TEMPLATES as DOCUMENT_TEMPLATES
    from generator.serve.project import AGREEMENTS

    folders = [AGREEMENTS, Path("kommuner"), ISSUED_FOLDER, DOCUMENT_TEMPLATES, _reference_folder()]
    existing = [str(f) for f in folders if f.is_dir()]
    if not existing:
        return
    async for _ in awatch(*existing, stop_event=stop, debounce=300, step=100):
        await asyncio.to_thread(project.refresh)


def _reference_folder() -> Path:
    from generator.data.reference import REFERENCE

    return Path(REFERENCE)
