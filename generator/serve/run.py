"""Starting the server: the port checked first, then uvicorn with the application, until Ctrl-C."""

from __future__ import annotations

import errno
import ipaddress
import socket

from generator.errors import GeneratorError
from generator.serve.project import Project

DEFAULT_HOST = "127.0.0.1"  # this computer only: nobody else on the network reaches the server
DEFAULT_PORT = 8000


class PortInUse(GeneratorError):
    """The port is taken (or may not be used): a clear message, exit status 2."""

    exit_code = 2


def check_port(host: str, port: int) -> None:
    """Raise :class:`PortInUse` if ``host``:``port`` cannot be listened on."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise PortInUse(
                    f"porten {port} på {host} används redan av ett annat program; "
                    f"välj en annan med --port (till exempel --port {port + 1})"
                ) from None
            if exc.errno == errno.EACCES:
                raise PortInUse(
                    f"porten {port} får inte användas av det här kontot; välj en över 1023 med --port"
                ) from None
            raise PortInUse(f"servern kan inte lyssna på {host}:{port}: {exc.strerror or exc}") from None


def is_local(host: str) -> bool:
    """Return whether ``host`` is reachable from this computer only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(project: Project, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, echo=print) -> None:
    """Serve ``project`` on ``host``:``port`` until interrupted."""
    import uvicorn

    from generator.serve.app import create_app

    check_port(host, port)
    shown = f"[{host}]" if ":" in host else host
    echo(f"Granskningen visas på http://{shown}:{port}/ (Ctrl-C avslutar)")
    if not is_local(host):
        echo(f"OBS: {host} nås från andra datorer i nätverket; servern visar alla dokument för den som når den.")
    config = uvicorn.Config(
        create_app(project),
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        timeout_graceful_shutdown=1,
        lifespan="on",
    )
    uvicorn.Server(config).run()
