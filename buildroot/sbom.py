"""SPDX 2.3 JSON software bills of materials: the image and every package installed in it.

One document per architecture, describing the image (by manifest digest) and listing
each installed package with its version, declared license, origin, download location
and identity checksum (the SHA-1 that apk's `Q1` identity encodes). The document is
derived from the image alone (its namespace from the manifest digest, its time from
SOURCE_DATE_EPOCH), so it is as reproducible as the image.
"""

from __future__ import annotations

import base64
import re
import uuid

from apk_py import __version__
from buildroot.oci import Image, canonical_json, timestamp
from buildroot.resolve import ResolvedPackage

_LICENSE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.+-]*$")
# SPDX's download-location URL form: a host name with a top-level domain (an IP address does not qualify)
_SPDX_URL = re.compile(r"^https?://([^/@\s]+@)?[a-z0-9]+([-.][a-z0-9]+)*\.[a-z]{2,5}(:[0-9]{1,5})?(/\S*)?$", re.IGNORECASE)
_OPERATORS = {"AND", "OR", "WITH"}


def _spdx_id(*parts: str) -> str:
    return "SPDXRef-" + "-".join(re.sub(r"[^A-Za-z0-9.]+", "-", part) for part in parts)


def license_expression(text: str) -> str:
    """The license as SPDX wants it: a well-formed expression, else NOASSERTION (apk allows free text)."""
    tokens = text.replace("(", " ( ").replace(")", " ) ").split()
    words = [token for token in tokens if token not in "()"]
    if not words or tokens.count("(") != tokens.count(")"):
        return "NOASSERTION"
    for position, word in enumerate(words):
        expected_operator = position % 2 == 1
        if (word in _OPERATORS) != expected_operator or (not expected_operator and not _LICENSE_ID.match(word)):
            return "NOASSERTION"
    return text if len(words) % 2 == 1 else "NOASSERTION"


def identity_sha1(identity: str) -> str | None:
    if not identity.startswith("Q1"):
        return None
    try:
        return base64.b64decode(identity[2:]).hex()
    except ValueError:
        return None


def _supplier(maintainer: str) -> str:
    if not maintainer:
        return "NOASSERTION"
    name, _, email = maintainer.partition("<")
    return f"Person: {name.strip()} ({email.rstrip('>').strip()})" if email else f"Person: {maintainer.strip()}"


def _package(resolved: ResolvedPackage, arch: str) -> dict:
    record = resolved.record
    origin = record.get("o") or record.name
    notes = [f"license as packaged: {record.get('L')}"] if record.get("L") else []
    location = resolved.url if _SPDX_URL.match(resolved.url) else "NOASSERTION"
    if "://" in resolved.url and location == "NOASSERTION":
        notes.append(f"fetched from {resolved.url}")
    entry = {
        "SPDXID": _spdx_id("Package", record.name, record.version),
        "name": record.name,
        "versionInfo": record.version,
        "supplier": _supplier(record.get("m")),
        "downloadLocation": location,
        "filesAnalyzed": False,
        "licenseConcluded": "NOASSERTION",
        "licenseDeclared": license_expression(record.get("L")),
        "copyrightText": "NOASSERTION",
        "sourceInfo": f"built from origin package {origin}",
        "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                          "referenceLocator": f"pkg:apk/{record.name}@{record.version}?arch={record.get('A') or arch}&origin={origin}"}],
    }
    if notes:
        entry["comment"] = "; ".join(notes)
    if record.get("T"):
        entry["description"] = record.get("T")
    if _SPDX_URL.match(record.get("U")):
        entry["homepage"] = record.get("U")
    sha1 = identity_sha1(record.checksum)
    if sha1:
        entry["checksums"] = [{"algorithm": "SHA1", "checksumValue": sha1}]
    return entry


def document(image: Image, packages: list[ResolvedPackage], name: str, epoch: int) -> dict:
    arch = image.platform.apk_arch
    digest = image.manifest.digest
    namespace = uuid.uuid5(uuid.NAMESPACE_URL, f"pk-image:{digest}")
    image_package = {
        "SPDXID": "SPDXRef-Image",
        "name": name,
        "versionInfo": digest,
        "downloadLocation": "NOASSERTION",
        "filesAnalyzed": False,
        "licenseConcluded": "NOASSERTION",
        "licenseDeclared": "NOASSERTION",
        "copyrightText": "NOASSERTION",
        "primaryPackagePurpose": "CONTAINER",
        "checksums": [{"algorithm": "SHA256", "checksumValue": digest[7:]}],
        "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                          "referenceLocator": f"pkg:oci/{name}@{digest.replace(':', '%3A')}?arch={image.platform.architecture}"}],
    }
    entries = [_package(resolved, arch) for resolved in packages]
    relationships = [{"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES", "relatedSpdxElement": "SPDXRef-Image"}]
    relationships += [{"spdxElementId": "SPDXRef-Image", "relationshipType": "CONTAINS", "relatedSpdxElement": entry["SPDXID"]}
                      for entry in entries]
    return {
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": f"{name}-{arch}",
        "documentNamespace": f"https://spdx.org/spdxdocs/pk-image-{arch}-{namespace}",
        "creationInfo": {"created": timestamp(epoch), "creators": [f"Tool: pk-{__version__}"]},
        "packages": [image_package] + entries,
        "relationships": relationships,
    }


def file_name(image: Image) -> str:
    return f"sbom-{image.platform.apk_arch}.spdx.json"


def render(doc: dict) -> bytes:
    return canonical_json(doc) + b"\n"
