"""Version comparison: apk's own table, hand-picked cases, and properties of the order."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apk_py import version as V
from support import SHARED


def _table_lines():
    path = SHARED / "conformance" / "apk-version" / "version.data"
    if not path.exists():
        return []
    lines = []
    for raw in path.read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        parts = line.split()
        if len(parts) == 3 and set(parts[1].lstrip("!")) <= set("<>="):
            lines.append(tuple(parts))
    return lines


@pytest.mark.parametrize("a, op, b", _table_lines() or [pytest.param("1", "<", "2", marks=pytest.mark.skip(reason="../shared not found"))])
def test_upstream_table(a, op, b):
    if not (V.is_valid(a) and V.is_valid(b)):
        pytest.skip("apk 3.0.6 refuses to compare invalid versions (checked by the CLI suite)")
    got = V.result_char(V.compare(a, b))
    if op.startswith("!"):
        assert got not in op[1:]
    else:
        assert got in op


@pytest.mark.parametrize(
    "a, expected, b",
    [
        ("1.0", "<", "1.0.1"),
        ("1.0_alpha", "<", "1.0_beta"),
        ("1.0_rc1", "<", "1.0"),
        ("1.0", "<", "1.0_p1"),
        ("1.0_cvs", "<", "1.0_svn"),
        ("1.0_git", "<", "1.0_hg"),
        ("1.0a", "<", "1.0b"),
        ("1.0-r1", "<", "1.0-r2"),
        ("1.0-r10", ">", "1.0-r9"),
        ("1.01", "<", "1.1"),
        ("1.0~abc", "<", "1.0~abd"),
        ("2", "=", "2"),
        ("1.2.3", ">", "1.2_pre3"),
    ],
)
def test_known_orders(a, expected, b):
    assert V.result_char(V.compare(a, b)) == expected


@pytest.mark.parametrize("text", ["", "a", "1..2", "1.0-r", "1.0_foo", "1.0aa", "1.0a1", "1.0-1", "1.0~", "1.0_alpha.1", " 1"])
def test_invalid_versions(text):
    assert not V.is_valid(text)


@pytest.mark.parametrize("text", ["0", "1.2.3", "1.2a", "1.0_alpha2_p3", "1.0~1a2b-r3", "20230201-r15", "1.0_rc1-r0"])
def test_valid_versions(text):
    assert V.is_valid(text)


suffix = st.sampled_from(["alpha", "beta", "pre", "rc", "cvs", "svn", "git", "hg", "p"])
versions = st.builds(
    lambda nums, letter, sufs, rev: ".".join(str(n) for n in nums) + letter + "".join(f"_{s}{n}" for s, n in sufs) + (f"-r{rev}" if rev is not None else ""),
    st.lists(st.integers(0, 2000), min_size=1, max_size=4),
    st.sampled_from(["", "a", "z"]),
    st.lists(st.tuples(suffix, st.sampled_from(["", "1", "20"])), max_size=2),
    st.one_of(st.none(), st.integers(0, 30)),
)


@given(versions)
def test_generated_versions_are_valid_and_equal_to_themselves(v):
    assert V.is_valid(v)
    assert V.compare(v, v) == V.EQUAL


@given(versions, versions)
def test_comparison_is_antisymmetric(a, b):
    forward, backward = V.compare(a, b), V.compare(b, a)
    assert {forward, backward} in ({V.EQUAL}, {V.LESS, V.GREATER})


@given(versions, versions, versions)
def test_comparison_is_transitive(a, b, c):
    if V.compare(a, b) == V.LESS and V.compare(b, c) == V.LESS:
        assert V.compare(a, c) == V.LESS


@given(st.text(max_size=20))
def test_any_text_is_classified_without_error(text):
    assert V.is_valid(text) == (V.tokens(text)[-1][0] == V._END)


@given(st.lists(st.integers(0, 99), min_size=1, max_size=3), st.integers(0, 99))
def test_fuzzy_match_is_prefix_match(prefix, extra):
    base = ".".join(map(str, prefix))
    assert V.matches(f"{base}.{extra}", V.FUZZY | V.EQUAL, base)
    assert not V.matches(f"{prefix[0] + 1}.{extra}", V.FUZZY | V.EQUAL, base)
