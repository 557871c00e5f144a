"""pk dot: the dependency graph of packages in graphviz format, like `apk dot`."""

from __future__ import annotations

from apk_py import commit, database
from apk_py import solver as S
from apk_py import version as V
from apk_py.options import Option

USAGE = "[<OPTIONS>...] PKGMASK..."
OPTIONS = (
    Option("errors", help="Process only packages with errors"),
    Option("installed", help="Consider only installed packages"),
)

_EVALUATED = -1
_EVALUATING = -2


class _Graph:
    def __init__(self, out, errors_only: bool, installed_only: bool):
        self.out = out
        self.errors_only = errors_only
        self.installed_only = installed_only
        self.started = False
        self.state: dict = {}
        self.error_names: set = set()

    def start(self) -> None:
        if not self.started:
            self.started = True
            self.out.write('digraph "apkindex" {\n  rankdir=LR;\n  node [shape=box];\n')

    def error_name(self, name) -> None:
        if name in self.error_names:
            return
        self.error_names.add(name)
        self.start()
        self.out.write(f'  "{name.name}" [style=dashed, color=red, fontcolor=red, shape=octagon];\n')

    def broken(self, pkg, kind: str, dep) -> None:
        if not dep.broken:
            return
        self.error_name(dep.name)
        self.out.write(f'  "{pkg.nvr()}" -> "{dep.name.name}" [arrowhead={kind},style=dashed,color=red,fontcolor=red,label="{dep}"];\n')

    def package(self, pkg) -> int:
        """Write the edges from `pkg`; the number of dependency loops it is part of."""
        state = self.state.get(pkg, 0)
        if state == _EVALUATED:
            return 0
        if state <= _EVALUATING:
            self.state[pkg] = state - 1
            return 1
        self.state[pkg] = _EVALUATING
        loops = 0
        for dep in pkg.depends:
            self.broken(pkg, "normal", dep)
            if dep.op & V.CONFLICT:
                continue
            if not dep.name.providers:
                self.error_name(dep.name)
                self.out.write(f'  "{pkg.nvr()}" -> "{dep.name.name}" [color=red];\n')
                continue
            for provider, version in dep.name.providers:
                if self.installed_only and provider.installed is None:
                    continue
                if not S.dep_is_provided(pkg, dep, provider, version):
                    continue
                found = self.package(provider)
                loops += found
                if found or not self.errors_only:
                    self.start()
                    attributes = "color=red," if found else ""
                    if provider.name is not dep.name:
                        attributes += f'arrowhead=inv,label="{dep.name.name}",'
                    self.out.write(f'  "{pkg.nvr()}" -> "{provider.nvr()}"[{attributes}];\n')
        for dep in pkg.provides:
            self.broken(pkg, "inv", dep)
        for dep in pkg.install_if:
            self.broken(pkg, "diamond", dep)
        loops -= _EVALUATING - self.state[pkg]
        self.state[pkg] = _EVALUATED
        return loops


def run(ctx, opts, args) -> int:
    db = database.open_database(ctx)
    graph = _Graph(ctx.out.stdout, bool(opts.get("errors")), bool(opts.get("installed")))
    args = [arg for arg in args if arg]
    if args:
        names = [name for _, name in commit.matching_names(db, args) if name is not None]
    else:
        names = db.known_names()
    packages = []
    seen = set()
    for name in sorted(names, key=lambda name: S.name_display_key(name.name)):
        for pkg, _ in name.providers:
            if pkg in seen or (graph.installed_only and pkg.installed is None):
                continue
            seen.add(pkg)
            packages.append(pkg)
    for pkg in packages:
        graph.package(pkg)
    if not graph.started:
        return 1
    graph.out.write("}\n")
    graph.out.flush()
    return 0
