"""generator.cache.digest: the digest is canonical (the same for the same data in any process, order or memo)
and tells apart any two values that a template could show differently."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import subprocess
import sys
from decimal import Decimal
from pathlib import Path, PurePosixPath

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.build.plan import plan
from generator.build.skipping import Contexts
from generator.cache.digest import Unknown, content_digest, digest

ROOT = Path(__file__).resolve().parents[2]


@dataclasses.dataclass(frozen=True)
class Pair:
    left: object
    right: object = None


@dataclasses.dataclass
class Other:
    left: object
    right: object = None


class Colour(enum.Enum):
    RED = "red"
    BLUE = 2


class Text(str):
    def __str__(self) -> str:  # a subclass may print itself otherwise: the digest takes the text itself
        return "something else"


# --------------------------------------------------------------------------- values that must differ

DIFFERENT = [
    # equal in Python, shown differently by a template
    1,
    True,
    1.0,
    Decimal("1"),
    Decimal("1.0"),
    "1",
    b"1",
    Text("1"),
    0,
    False,
    0.0,
    -0.0,
    Decimal("0"),
    "",
    b"",
    None,
    [],
    (),
    {},
    set(),
    dt.date(2012, 1, 1),
    dt.datetime(2012, 1, 1),
    "2012-01-01",
    # containers whose items' encodings could run together
    {12: 3},
    {1: 23},
    {"a": "bc"},
    {"ab": "c"},
    [12, 3],
    [1, 23],
    ["a", "bc"],
    ["ab", "c"],
    [[1], 2],
    [1, [2]],
    ("ab",),
    ["ab"],
    {"ab"},
    {("a", "b")},
    {"a": ("b",)},
    {("a",): "b"},
    [None, None],
    [None],
    [[None]],
    [()],
    [[]],
    Pair(()),
    Pair([]),
    {"k": ()},
    {"k": []},
    [Pair(1)],
    [Other(1)],
    # classes
    Pair(1, 2),
    Pair(2, 1),
    Other(1, 2),
    Pair((1, 2)),
    Colour.RED,
    Colour.BLUE,
    "red",
    2,
    PurePosixPath("a/b"),
    "a/b",
]


def test_different_values_have_different_digests() -> None:
    digests = [digest(value) for value in DIFFERENT]
    clashes = [(DIFFERENT[i], DIFFERENT[j]) for i in range(len(digests)) for j in range(i) if digests[i] == digests[j]]
    assert not clashes


def test_equal_values_in_any_order_have_equal_digests() -> None:
    forward = {"b": 2, "a": [1, {"y", "x", "z"}], 3: frozenset({1, 2})}
    backward = {3: frozenset({2, 1}), "a": [1, {"z", "x", "y"}], "b": 2}
    assert digest(forward) == digest(backward)
    assert digest({"x", "y"}) == digest(frozenset({"y", "x"}))  # a set is its members, whichever kind
    assert digest(Pair([1, "a"], {"k": Decimal("2.50")})) == digest(Pair([1, "a"], {"k": Decimal("2.50")}))


def test_the_same_in_processes_with_other_hash_seeds() -> None:
    program = (
        "import sys; sys.path.insert(0, sys.argv[1]); from generator.cache.digest import digest; "
        "from decimal import Decimal; import datetime as dt; "
        "print(digest([{'b', 'a', 'c', 'dd', 'ee'}, {'x': 1, 'y': (2, None), 3: b'z'}, Decimal('1.50'), "
        "frozenset({('p', 1), ('q', 2)}), dt.date(2012, 3, 1)]))"
    )
    seen = {
        subprocess.run(
            [sys.executable, "-c", program, str(ROOT)],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed},
        ).stdout.strip()
        for seed in ("0", "1", "12345")
    }
    assert len(seen) == 1 and len(seen.pop()) == 64


def test_a_memo_gives_the_same_digests() -> None:
    shared = Pair("shared", [1, 2, {"k": Pair("inner")}])
    values = [[shared, shared, Pair(shared)], Pair(shared, shared), {"a": shared, "b": [shared]}]
    plain = [digest(value) for value in values]
    memo: dict = {}
    for _ in range(3):  # met once, twice (its bytes kept), then taken from the memo
        assert [digest(value, memo) for value in values] == plain


def test_a_value_without_a_canonical_form_is_unknown() -> None:
    class Sentinel:
        pass

    class Marker(enum.Enum):  # printed with its value's address: no canonical form
        ONLY = Sentinel()

    for value in (object(), [1, Pair(Sentinel())], {"k": lambda: 1}, Marker.ONLY, {1: [2, (3, Sentinel())]}, Pair):
        with pytest.raises(Unknown):
            digest(value)


# --------------------------------------------------------------------------- properties

_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=6)
    | st.binary(max_size=4)
    | st.decimals(allow_nan=False, places=2)
    | st.dates()
    | st.sampled_from(Colour)
)
_KEYS = st.none() | st.booleans() | st.integers() | st.text(max_size=4) | st.tuples(st.integers(), st.text(max_size=2))
VALUES = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.lists(inner, max_size=4).map(tuple)
        | st.dictionaries(_KEYS, inner, max_size=4)
        | st.frozensets(_KEYS, max_size=4)
        | st.builds(Pair, inner, inner)
    ),
    max_leaves=12,
)


def _typed(value):
    """A reference form of ``value``: equal exactly when two values are the same data (type, text and order)."""
    if isinstance(value, (list, tuple)):
        return type(value).__name__, tuple(_typed(v) for v in value)
    if isinstance(value, (set, frozenset)):
        return "set", tuple(sorted(repr(_typed(v)) for v in value))
    if isinstance(value, dict):
        return "dict", tuple(sorted(repr((_typed(k), _typed(v))) for k, v in value.items()))
    if isinstance(value, Pair):
        return "Pair", _typed(value.left), _typed(value.right)
    return type(value).__name__, repr(value)


def _reordered(value):
    """``value`` rebuilt: every dict and set made anew in reverse order, every object a new one."""
    if isinstance(value, (list, tuple)):
        return type(value)(_reordered(v) for v in value)
    if isinstance(value, frozenset):
        return frozenset(reversed([_reordered(v) for v in value]))
    if isinstance(value, dict):
        return {_reordered(k): _reordered(v) for k, v in reversed(list(value.items()))}
    if isinstance(value, Pair):
        return Pair(_reordered(value.left), _reordered(value.right))
    return value


def _variants(value):
    """Yield ``value`` with one of its parts changed in kind only (a list for a tuple, 1.0 for 1, …)."""
    swaps = {list: tuple, tuple: list, str: Text, bytes: lambda data: data.decode("latin-1")}
    kind = type(value)
    if kind in (list, tuple):
        yield swaps[kind](value)
        for index, item in enumerate(value):
            for variant in _variants(item):
                yield kind([*value[:index], variant, *value[index + 1 :]])
    elif kind is dict:
        for key, item in value.items():
            for variant in _variants(item):
                yield {**value, key: variant}
    elif kind is Pair:
        yield Other(value.left, value.right)
        for variant in _variants(value.left):
            yield Pair(variant, value.right)
    elif kind is int and abs(value) < 2**52:
        yield float(value)
    elif kind is float:
        yield Decimal(repr(value))
    elif kind in (str, bytes):
        yield swaps[kind](value)
    elif value is None:
        yield ""


@settings(max_examples=200, deadline=None)
@given(VALUES)
def test_a_part_of_another_kind_changes_the_digest(value) -> None:
    for variant in _variants(value):
        if _typed(variant) != _typed(value):
            assert digest(variant) != digest(value), (value, variant)


@settings(max_examples=300, deadline=None)
@given(VALUES, VALUES)
def test_digests_are_equal_exactly_when_the_data_are(a, b) -> None:
    assert digest(_reordered(a)) == digest(a)
    assert (digest(a) == digest(b)) == (_typed(a) == _typed(b))


@settings(max_examples=100, deadline=None)
@given(VALUES)
def test_the_memo_changes_no_digest(value) -> None:
    memo: dict = {}
    assert digest([value, value], memo) == digest([value, value]) == digest([value, _reordered(value)], memo)


# --------------------------------------------------------------------------- the build's digests


@pytest.fixture(scope="module")
def validated_2012(validated_agreement):
    return validated_agreement("2012")


def test_context_digests_are_the_same_for_a_new_plan(validated_2012) -> None:
    """Two plans of the same agreement (new objects, a new memo each) give the same context digests, and every
    letter its own."""
    v = validated_2012
    digests = []
    for _ in range(2):
        contexts = Contexts(v.agreement, ROOT / "templates", None, "typst")
        digests.append([contexts.of(job) for job in plan(v.agreement, v.allocation, None, v.municipal)])
    assert digests[0] == digests[1]
    assert None not in digests[0] and len(set(digests[0])) == len(digests[0]) > 300


def test_content_digest_leaves_out_the_provenance_only(validated_2012) -> None:
    from generator.build.render import render_job

    v = validated_2012
    job = next(job for job in plan(v.agreement, v.allocation, None, v.municipal) if job.name.startswith("lansbrev/"))
    document = render_job(v.agreement, job)
    again = render_job(v.agreement, job)
    assert content_digest(document) == content_digest(again)
    assert content_digest(
        dataclasses.replace(document, meta=dataclasses.replace(document.meta, source="x"))
    ) == content_digest(document)
    assert content_digest(dataclasses.replace(document, blocks=document.blocks[:-1])) != content_digest(document)
