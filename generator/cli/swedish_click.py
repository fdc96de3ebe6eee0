"""Click's own words (usage, options, its error messages) in Swedish, so the whole command line speaks one language.

Click marks its texts for gettext (``_("Usage:")``) but ships no Swedish
catalogue; :func:`install` gives its modules a translation of their own. A
text without a translation here stays as click writes it.
"""

from __future__ import annotations

import importlib

SWEDISH: dict[str, str] = {
    "Usage:": "Användning:",
    "Options": "Alternativ",
    "Commands": "Kommandon",
    "Positional arguments": "Argument",
    "Show this message and exit.": "Visa den här hjälpen och avsluta.",
    "Show the version and exit.": "Visa versionen och avsluta.",
    "%(prog)s, version %(version)s": "%(prog)s, version %(version)s",
    "Error: {message}": "Fel: {message}",
    "Try '{command} {option}' for help.": "Skriv '{command} {option}' för hjälp.",
    "Aborted!": "Avbrutet.",
    "Missing command.": "Kommando saknas.",
    "Missing argument": "Argument saknas",
    "Missing option": "Alternativ saknas",
    "Missing parameter": "Värde saknas",
    "Missing parameter: {param_name}": "Värde saknas: {param_name}",
    "No such command {name!r}.": "Det finns inget kommando {name!r}.",
    "No such option {name!r}.": "Det finns inget alternativ {name!r}.",
    "No such option: {name}": "Det finns inget alternativ {name}",
    "Option {name!r} does not take a value.": "Alternativet {name!r} tar inget värde.",
    "Option {name!r} requires an argument.": "Alternativet {name!r} kräver ett värde.",
    "Option {name!r} requires {nargs} arguments.": "Alternativet {name!r} kräver {nargs} värden.",
    "Got unexpected extra argument ({args})": "Ett argument för mycket ({args})",
    "Got unexpected extra arguments ({args})": "Argument för mycket ({args})",
    "Invalid value for {param_hint}: {message}": "Ogiltigt värde för {param_hint}: {message}",
    "Invalid value: {message}": "Ogiltigt värde: {message}",
    "Did you mean {possibility}?": "Menade du {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(Menade du något av: {possibilities}?)",
    "{value!r} is not {choice}.": "{value!r} är inte {choice}.",
    "{value!r} is not one of {choices}.": "{value!r} är inte något av {choices}.",
    "{value!r} is not a valid {number_type}.": "{value!r} är inte ett giltigt {number_type}.",
    "{value} is not in the range {range}.": "{value} ligger inte inom {range}.",
    "{value!r} is not a valid boolean. Recognized values: {states}": (
        "{value!r} är inte sant eller falskt. Möjliga värden: {states}"
    ),
    "{name} {filename!r} does not exist.": "{name} {filename!r} finns inte.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} är en mapp.",
    "{name} {filename!r} is a file.": "{name} {filename!r} är en fil.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} går inte att läsa.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} går inte att skriva.",
    "{name} {filename!r} is not executable.": "{name} {filename!r} går inte att köra.",
    "Could not open file {filename!r}: {message}": "Kunde inte öppna filen {filename!r}: {message}",
    "file": "fil",
    "directory": "mapp",
    "path": "sökväg",
    "default: {default}": "standard: {default}",
    "env var: {var}": "miljövariabel: {var}",
    "required": "krävs",
    "integer": "heltal",
    "float": "decimaltal",
    "Choose from:\n\t{choices}": "Välj bland:\n\t{choices}",
    "Takes {nargs} values but 1 was given.": "Tar {nargs} värden men fick 1.",
    "Takes {nargs} values but {len} were given.": "Tar {nargs} värden men fick {len}.",
    "Argument {name!r} takes {nargs} values.": "Argumentet {name!r} tar {nargs} värden.",
    "Value must be an iterable.": "Värdet måste vara en lista.",
    "deprecated": "utgår",
}

#: Click's names of kinds of parameter, used in "Missing argument 'X'".
_MODULES = (
    "click.core",
    "click.exceptions",
    "click.formatting",
    "click.decorators",
    "click.types",
    "click.parser",
    "click.termui",
    "click.utils",
)


def translate(message: str) -> str:
    """Return the Swedish of one of click's texts, or the text itself."""
    return SWEDISH.get(message, message)


def translate_plural(singular: str, plural: str, count: int) -> str:
    """Return the Swedish of one of click's texts that depend on a count."""
    return translate(singular if count == 1 else plural)


def install() -> None:
    """Make click write its texts in Swedish (in this process)."""
    for name in _MODULES:
        module = importlib.import_module(name)
        # setattr: click's modules import these names from gettext; their stubs do not declare them
        if hasattr(module, "_"):
            setattr(module, "_", translate)  # noqa: B010
        if hasattr(module, "ngettext"):
            setattr(module, "ngettext", translate_plural)  # noqa: B010
