"""buildroot: reproducible OCI base images from apko-style configs, without Docker or root.

The pieces, one job each:
- config: the YAML schema (apko's keys), validated strictly;
- platforms: apk and OCI architecture names;
- resolve: pk's solver and installer choose, fetch and verify the packages;
- tree, apkdb, accounts, mutations: the image's files, in memory, as pk's installer lays them out;
- layer, oci: the layer tar, image config, manifest and index, and the three output formats;
- sbom, lockfile: SPDX 2.3 documents and exact-version lock files;
- push: the OCI distribution API client;
- build: one build from config to outputs; demo: the README's main job.

`pk image build|lock|push` (apk_py/commands/image.py) is the command line over `build` and `push`.
"""
