"""false: do nothing, unsuccessfully."""

USAGE = """false

Return an exit code of FALSE (1)"""


def main(argv: list[str]) -> int:
    return 1
