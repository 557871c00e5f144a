"""pk: an apk-compatible package manager and the library it is built on."""

__version__ = "0.1.0"
