"""Session fixtures: the installed programs under test (paths and helpers are in support.py)."""

import pytest

from support import installed_program


@pytest.fixture(scope="session")
def pybox_path() -> str:
    return installed_program("pybox")


@pytest.fixture(scope="session")
def pk_path() -> str:
    return installed_program("pk")


@pytest.fixture(scope="session", autouse=True)
def private_user_cache(tmp_path_factory):
    """pk keeps parsed indexes in the user's cache directory: tests use a throwaway one."""
    import os

    previous = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))
    yield
    if previous is None:
        del os.environ["XDG_CACHE_HOME"]
    else:
        os.environ["XDG_CACHE_HOME"] = previous
