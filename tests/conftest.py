"""Session fixtures: the installed programs under test (paths and helpers are in support.py)."""

import pytest

from support import installed_program


@pytest.fixture(scope="session")
def pybox_path() -> str:
    return installed_program("pybox")


@pytest.fixture(scope="session")
def pk_path() -> str:
    return installed_program("pk")
