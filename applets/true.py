"""true: do nothing, successfully."""

USAGE = """true

Return an exit code of TRUE (0)"""


def main(argv: list[str]) -> int:
    return 0
