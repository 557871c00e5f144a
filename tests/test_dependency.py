"""Dependency atoms: every operator, conflicts, tags, checksum pins, virtual names."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apk_py import dependency
from apk_py import version as V


@pytest.mark.parametrize(
    "text, name, op, version, tag",
    [
        ("curl", "curl", V.ANY, None, None),
        ("curl=8.0-r0", "curl", V.EQUAL, "8.0-r0", None),
        ("curl<8", "curl", V.LESS, "8", None),
        ("curl<=8", "curl", V.LESS | V.EQUAL, "8", None),
        ("curl>8", "curl", V.GREATER, "8", None),
        ("curl>=8", "curl", V.GREATER | V.EQUAL, "8", None),
        ("curl~8.1", "curl", V.FUZZY | V.EQUAL, "8.1", None),
        ("curl>~8.1", "curl", V.GREATER | V.EQUAL | V.FUZZY, "8.1", None),
        ("!curl", "curl", V.ANY | V.CONFLICT, None, None),
        ("!curl<2", "curl", V.LESS | V.CONFLICT, "2", None),
        ("curl@edge", "curl", V.ANY, None, "edge"),
        ("curl@edge>=8", "curl", V.GREATER | V.EQUAL, "8", "edge"),
        ("curl><Q1abc=", "curl", V.CHECKSUM, "Q1abc=", None),
        ("so:libc.musl-x86_64.so.1", "so:libc.musl-x86_64.so.1", V.ANY, None, None),
        ("cmd:sh", "cmd:sh", V.ANY, None, None),
        ("pc:zlib>=1.2", "pc:zlib", V.GREATER | V.EQUAL, "1.2", None),
        ("/bin/sh", "/bin/sh", V.ANY, None, None),
    ],
)
def test_parse_and_round_trip(text, name, op, version, tag):
    dep = dependency.parse(text)
    assert (dep.name, dep.op, dep.version, dep.tag) == (name, op, version, tag)
    assert str(dep) == text


@pytest.mark.parametrize("text", ["", "!", "foo=", "foo=>", "=1.0", "@tag"])
def test_malformed_atoms_are_refused(text):
    with pytest.raises(dependency.DependencyError):
        dependency.parse(text)


def test_invalid_version_marks_the_atom_broken():
    assert dependency.parse("foo=invalid").broken
    assert not dependency.parse("foo=1.0").broken


def test_version_matching():
    dep = dependency.parse("foo>=1.2")
    assert dep.matches_version("1.2") and dep.matches_version("1.10")
    assert not dep.matches_version("1.1")
    assert dependency.parse("foo~1.2").matches_version("1.2.9")
    assert not dependency.parse("foo~1.2").matches_version("1.3")


def test_tags_are_refused_where_apk_refuses_them():
    with pytest.raises(dependency.DependencyError):
        dependency.parse("foo@tag", allow_tag=False)


names = st.from_regex(r"[a-z][a-z0-9+._-]{0,15}", fullmatch=True)
ops = st.sampled_from(["", "=", "<", "<=", ">", ">=", "~", ">~", "<~"])


@given(st.booleans(), names, ops, st.from_regex(r"[0-9]{1,3}(\.[0-9]{1,3}){0,2}(-r[0-9])?", fullmatch=True))
def test_formatting_round_trips(conflict, name, op, ver):
    text = ("!" if conflict else "") + name + (op + ver if op else "")
    assert str(dependency.parse(text)) == text


@given(st.text(max_size=30))
def test_arbitrary_text_never_crashes(text):
    try:
        dependency.parse(text)
    except dependency.DependencyError:
        pass
