"""Architecture names: apk's (x86_64, aarch64, armv7 ...) and OCI's (amd64, arm64, arm/v7 ...).

Configs may use either spelling, as apko accepts both; packages are resolved with the apk
name and images are labelled with the OCI platform, so both must be derived from one place.
"""

from __future__ import annotations

from apk_py.errors import PkError

# apk arch -> (OCI architecture, OCI variant)
_OCI = {
    "x86_64": ("amd64", ""),
    "aarch64": ("arm64", ""),
    "armv7": ("arm", "v7"),
    "armhf": ("arm", "v6"),
    "x86": ("386", ""),
    "ppc64le": ("ppc64le", ""),
    "s390x": ("s390x", ""),
    "riscv64": ("riscv64", ""),
    "loongarch64": ("loong64", ""),
}
_APK = {"/".join(part for part in platform if part): arch for arch, platform in _OCI.items()}


class Platform:
    """One target: the apk architecture packages are chosen for, and the OCI platform it maps to."""

    __slots__ = ("apk_arch", "architecture", "variant")

    def __init__(self, apk_arch: str):
        if apk_arch not in _OCI:
            raise PkError(f"unsupported architecture '{apk_arch}' (known: {', '.join(sorted(_OCI))})")
        self.apk_arch = apk_arch
        self.architecture, self.variant = _OCI[apk_arch]

    @property
    def oci_name(self) -> str:
        return f"{self.architecture}/{self.variant}" if self.variant else self.architecture

    def descriptor(self) -> dict:
        """The `platform` object of an image index entry."""
        platform = {"architecture": self.architecture, "os": "linux"}
        if self.variant:
            platform["variant"] = self.variant
        return platform

    def __eq__(self, other) -> bool:
        return isinstance(other, Platform) and other.apk_arch == self.apk_arch

    def __hash__(self) -> int:
        return hash(self.apk_arch)

    def __repr__(self) -> str:
        return f"Platform({self.apk_arch})"


def parse(name: str) -> Platform:
    """An architecture in apk or OCI spelling (`x86_64` or `amd64`, `armv7` or `arm/v7`)."""
    text = str(name).strip()
    if text == "host":
        from apk_py.cli import host_arch

        text = host_arch()
    return Platform(_APK.get(text, text))


def parse_list(names) -> list[Platform]:
    """Distinct platforms, sorted by apk name so that the image index is the same whatever the order given."""
    unique = {platform.apk_arch: platform for platform in (parse(name) for name in names)}
    return [unique[arch] for arch in sorted(unique)]
