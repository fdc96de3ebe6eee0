"""The e-mail and web addresses in a text, each with the link it stands for: every writer makes them links."""

from __future__ import annotations

import re
from collections.abc import Iterator

_ADDRESS = re.compile(
    r"(?P<url>https?://[^\s<>\"”]+[^\s<>\"”.,;:!?)])"
    r"|(?P<www>(?<![\w@/.-])www\.[\w-]+(?:\.[\w-]+)+(?:/[^\s<>\"”]*[^\s<>\"”.,;:!?)])?)"
    r"|(?P<mail>(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
)


def addresses(text: str) -> Iterator[tuple[int, int, str]]:
    """Yield (start, end, link target) of each address in ``text``: a web address as written (``www.`` gets
    ``https://``), an e-mail address as ``mailto:``."""
    if "@" not in text and "://" not in text and "www." not in text:
        return
    for found in _ADDRESS.finditer(text):
        written = found.group(0)
        if found.group("mail"):
            yield found.start(), found.end(), f"mailto:{written}"
        elif found.group("www"):
            yield found.start(), found.end(), f"https://{written}"
        else:
            yield found.start(), found.end(), written
