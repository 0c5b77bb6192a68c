#!/usr/bin/env python3
"""File-level import graph of every crate under crates/ (no dependencies).

For each crate, every `.rs` file under `src/` is one module (`a/b.rs` and
`a/b/mod.rs` are `a::b`, `lib.rs`/`main.rs` the root). An edge A -> B is a
`crate::…`, `super::…` or `self::…` path in file A (in a `use` or inline) that
names module B or something inside it; `#[cfg(test)]` blocks are left out, and
paths to the crate root's own items (re-exports) are not edges.

Prints the edges per crate and exits non-zero when a crate has an import loop
(a cycle of two or more files) or when a feature folder of `web` (any top-level
folder of `web/src` but `shared`) imports another feature folder.

Usage: python3 scripts/module-cycles.py [--quiet]
"""

import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
PATH_RE = re.compile(r"\b(crate|super|self)((?:::[A-Za-z_][A-Za-z0-9_]*)+)")
USE_RE = re.compile(r"\buse\s+((?:crate|super|self)\b[^;]*);", re.S)


def module_of(src, path):
    rel = os.path.relpath(path, src)[:-3].split(os.sep)
    if rel[-1] == "mod":
        rel = rel[:-1]
    if rel in (["lib"], ["main"]):
        return ()
    return tuple(rel)


def strip(text):
    """Comments, strings and #[cfg(test)] items removed."""
    text = re.sub(r"//[^\n]*", "", text)
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    text = re.sub(r'r#*"(?:.|\n)*?"#*', '""', text)
    text = re.sub(r'"(?:\\.|[^"\\])*"', '""', text)
    out, i = [], 0
    while True:
        j = text.find("#[cfg(test)]", i)
        if j < 0:
            out.append(text[i:])
            break
        out.append(text[i:j])
        k = text.find("{", j)
        semi = text.find(";", j)
        if k < 0 or (0 <= semi < k):
            i = semi + 1
            continue
        depth = 0
        for m in range(k, len(text)):
            if text[m] == "{":
                depth += 1
            elif text[m] == "}":
                depth -= 1
                if depth == 0:
                    break
        i = m + 1
    return "".join(out)


def expand(tree):
    """`crate::{a::{b, c}, d}` -> ['crate::a::b', 'crate::a::c', 'crate::d']."""
    tree = re.sub(r"\s+", "", tree)
    brace = tree.find("{")
    if brace < 0:
        return [tree.split(" as ")[0]]
    head, body = tree[:brace], tree[brace + 1 : tree.rfind("}")]
    parts, depth, cur = [], 0, ""
    for ch in body:
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
            continue
        depth += ch == "{"
        depth -= ch == "}"
        cur += ch
    parts.append(cur)
    out = []
    for p in parts:
        if p:
            out.extend(head + q for q in expand(p))
    return out


def resolve(here, path, modules):
    segs = path.split("::")
    if segs[0] == "crate":
        base, rest = (), segs[1:]
    else:
        base = here
        while segs and segs[0] in ("self", "super"):
            if segs[0] == "super":
                base = base[:-1]
            segs = segs[1:]
        rest = segs
    best = None
    for n in range(len(rest), -1, -1):
        cand = base + tuple(rest[:n])
        if cand in modules:
            best = cand
            break
    if best is None or best == () or best == here:
        return None
    return best


def crate_graph(crate_dir):
    src = os.path.join(crate_dir, "src")
    files = {}
    for dirpath, _, names in os.walk(src):
        for n in names:
            if n.endswith(".rs"):
                p = os.path.join(dirpath, n)
                files[module_of(src, p)] = p
    modules = set(files)
    edges = {m: set() for m in modules}
    for mod, path in files.items():
        with open(path, encoding="utf-8") as f:
            text = strip(f.read())
        paths = []
        for u in USE_RE.finditer(text):
            paths.extend(expand(u.group(1)))
        text = USE_RE.sub("", text)
        paths.extend(m.group(1) + m.group(2) for m in PATH_RE.finditer(text))
        for p in paths:
            target = resolve(mod, p.replace("*", "").rstrip(":"), modules)
            if target is not None and target != mod:
                edges[mod].add(target)
    return edges


def cycles(edges):
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def name(m):
    return "::".join(m) or "(root)"


def main():
    quiet = "--quiet" in sys.argv
    crates_dir = os.path.join(ROOT, "crates")
    bad = 0
    for crate in sorted(os.listdir(crates_dir)):
        d = os.path.join(crates_dir, crate)
        if not os.path.isdir(os.path.join(d, "src")):
            continue
        edges = crate_graph(d)
        if not quiet:
            print(f"== {crate}")
            for m in sorted(edges):
                if edges[m]:
                    print(f"  {name(m)} -> {', '.join(name(t) for t in sorted(edges[m]))}")
        for comp in cycles(edges):
            bad += 1
            print(f"LOOP in {crate}: {' <-> '.join(name(m) for m in comp)}")
        if crate == "web":
            for m, ts in sorted(edges.items()):
                if not m or m[0] == "shared" or not files_under(d, m[0]):
                    continue
                for t in sorted(ts):
                    if t[0] not in (m[0], "shared") and files_under(d, t[0]):
                        bad += 1
                        print(f"FEATURE IMPORT in web: {name(m)} -> {name(t)}")
    if bad:
        print(f"{bad} problem(s)")
        return 1
    print("no import loops; no web feature folder imports another")
    return 0


def files_under(crate_dir, top):
    """The files of a top-level folder of a crate's src (empty for a plain file)."""
    d = os.path.join(crate_dir, "src", top)
    if not os.path.isdir(d):
        return []
    return [n for n in os.listdir(d) if n.endswith(".rs")]


if __name__ == "__main__":
    sys.exit(main())
