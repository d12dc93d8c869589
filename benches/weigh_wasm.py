#!/usr/bin/env python3
"""Weighs a wasm module's code by the crate each function comes from.

    python3 benches/weigh_wasm.py MODULE.wasm [--json]

MODULE must keep its function names (a `name` section): `cargo xtask bench weigh`
makes such a copy of the release wasm (wasm-bindgen and wasm-opt -Oz as the release
build runs them, with -g: the same code, names kept) and runs this on it. A function is
counted for the crate its (demangled) path starts with; a generic function
instantiated for another crate's types counts for the crate that defines it (so
`serde_json::ser::to_string::<our::Type>` is serde_json's weight: the bytes that
using serde_json costs). Data, tables and the like are listed on their own, and our
crate's code once more by module (`ui::library`, `core::sync`): what each part costs.
std only, so it runs on a bare machine.
"""

import json
import re
import sys


def uleb(data, pos):
    result = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return result, pos


def name_of(data, pos):
    length, pos = uleb(data, pos)
    return data[pos:pos + length].decode("utf-8", "replace"), pos + length


def sections(data):
    if data[:4] != b"\0asm":
        raise SystemExit("not a wasm module")
    pos = 8
    while pos < len(data):
        sid = data[pos]
        size, body = uleb(data, pos + 1)
        yield sid, data[body:body + size], pos, body + size
        pos = body + size


def imported_functions(body):
    count, pos = uleb(body, 0)
    funcs = 0
    for _ in range(count):
        _, pos = name_of(body, pos)
        _, pos = name_of(body, pos)
        kind = body[pos]
        pos += 1
        if kind == 0:  # function: type index
            _, pos = uleb(body, pos)
            funcs += 1
        elif kind == 1:  # table: reftype + limits
            pos += 1
            flags, pos = uleb(body, pos + 0)
            _, pos = uleb(body, pos)
            if flags & 1:
                _, pos = uleb(body, pos)
        elif kind == 2:  # memory: limits
            flags, pos = uleb(body, pos)
            _, pos = uleb(body, pos)
            if flags & 1:
                _, pos = uleb(body, pos)
        elif kind == 3:  # global: valtype + mutability
            pos += 2
        elif kind == 4:  # tag
            pos += 1
            _, pos = uleb(body, pos)
    return funcs


def function_names(body):
    pos = 0
    names = {}
    while pos < len(body):
        sub = body[pos]
        size, pos = uleb(body, pos + 1)
        end = pos + size
        if sub == 1:
            count, p = uleb(body, pos)
            for _ in range(count):
                index, p = uleb(body, p)
                names[index], p = name_of(body, p)
        pos = end
    return names


LEGACY = re.compile(r"^_ZN((?:\d+.+?)+)E$")


def demangle(symbol):
    """Rust's legacy mangling to a path (enough to find the crate); others unchanged.
    (wasm-ld already demangles most names; v0-mangled ones are handled in crate_of.)"""
    if symbol.startswith("_ZN"):
        parts, rest = [], symbol[3:]
        while rest and rest[0].isdigit():
            digits = re.match(r"\d+", rest).group()
            n = int(digits)
            parts.append(rest[len(digits):len(digits) + n])
            rest = rest[len(digits) + n:]
        path = "::".join(parts)
        for code, text in (("$LT$", "<"), ("$GT$", ">"), ("$u20$", " "), ("$RF$", "&"), ("$C$", ","), ("..", "::"), ("$u7b$", "{"), ("$u7d$", "}")):
            path = path.replace(code, text)
        return path
    return symbol


V0_CRATE = re.compile(r"C(?:s[0-9A-Za-z]*_)?(\d+)")


def crate_of(name):
    if name.startswith("_R"):
        # Rust's v0 mangling (std is built with it): the first crate root named.
        m = V0_CRATE.search(name)
        if m:
            start = m.end()
            ident = name[start:start + int(m.group(1))]
            return ident.lstrip("_") or "(unnamed)"
    path = re.sub(r"\[[0-9a-f]+\]", "", demangle(name))
    if path.startswith("<"):
        # `<Type as Trait>::f` or `<Type>::f`: the type's crate, or for a primitive or
        # generic type the trait's (`<f64 as core::fmt::Display>` is core's code).
        inner = path[1:].lstrip("&*").removeprefix("mut ").removeprefix("dyn ")
        ty, _, trait_ = inner.partition(" as ")
        first = re.match(r"[A-Za-z_][A-Za-z0-9_]*", ty)
        if first and "::" in ty:
            path = ty
        elif trait_:
            path = trait_
        elif first and first.group() in PRIMITIVES:
            return "core"
    m = re.match(r"[A-Za-z_][A-Za-z0-9_]*", path)
    if not m or path[m.end():m.end() + 2] != "::":
        # Not a Rust path: wasm-bindgen's shims (`widgethandle_on externref shim`) and the like.
        return "(wasm-bindgen shims, unnamed)"
    return m.group()


PRIMITIVES = {"bool", "char", "str", "f32", "f64", "i8", "i16", "i32", "i64", "i128", "isize",
              "u8", "u16", "u32", "u64", "u128", "usize", "T", "F", "A"}


def weigh(path):
    data = open(path, "rb").read()
    imports = 0
    bodies = []
    names = {}
    other = {}
    for sid, body, start, end in sections(data):
        if sid == 2:
            imports = imported_functions(body)
        if sid == 10:
            count, pos = uleb(body, 0)
            for _ in range(count):
                size, p = uleb(body, pos)
                bodies.append(p + size - pos)
                pos = p + size
        elif sid == 0:
            custom, _ = name_of(body, 0)
            if custom == "name":
                names = function_names(body[len(custom) + 1:])
            other[f"custom section {custom}"] = other.get(f"custom section {custom}", 0) + end - start
        else:
            label = {1: "types", 2: "imports", 3: "function list", 4: "tables", 5: "memory", 6: "globals",
                     7: "exports", 8: "start", 9: "elements", 11: "data (strings, tables, CSS)", 12: "data count"}.get(sid, f"section {sid}")
            other[label] = other.get(label, 0) + end - start
    crates = {}
    modules = {}
    for i, size in enumerate(bodies):
        name = names.get(imports + i, "")
        crate = crate_of(name)
        crates[crate] = crates.get(crate, 0) + size
        if crate == OURS:
            module = module_of(name)
            modules[module] = modules.get(module, 0) + size
    code = sum(bodies)
    # Shares are of what ships: the module without its custom (name, debug) sections.
    shipped = len(data) - sum(v for k, v in other.items() if k.startswith("custom section"))
    return shipped, code, crates, other, modules


OURS = "article_annotator"
OUR_PATH = re.compile(OURS + r"::(\w+)(?:::(\w+))?")


def module_of(name):
    """Our crate's functions by module, two levels deep (`ui::library`, `core::sync`):
    the first of our paths the name holds (a trait impl's type, else the function)."""
    m = OUR_PATH.search(re.sub(r"\[[0-9a-f]+\]", "", demangle(name)))
    if not m:
        return "(other)"
    first, second = m.group(1), m.group(2)
    # A function directly in a module file: `ui::app::annotator` is `ui::app`.
    return f"{first}::{second}" if second else first


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 1:
        raise SystemExit(__doc__)
    total, code, crates, other, modules = weigh(args[0])
    rows = sorted(crates.items(), key=lambda kv: -kv[1])
    ours = sorted(modules.items(), key=lambda kv: -kv[1])
    if "--json" in sys.argv:
        print(json.dumps({"bytes": total, "code": code, "crates": dict(rows), "modules": dict(ours),
                          "other": {k: v for k, v in other.items() if not k.startswith("custom section")}}))
        return
    print(f"{'crate':<28} {'code bytes':>10} {'share':>7}")
    for crate, size in rows:
        print(f"{crate:<28} {size:>10} {100 * size / total:>6.1f}%")
    for label, size in sorted(other.items(), key=lambda kv: -kv[1]):
        if not label.startswith("custom section"):
            print(f"{label:<28} {size:>10} {100 * size / total:>6.1f}%")
    print(f"\n{OURS + ' by module':<28} {'code bytes':>10} {'share':>7}")
    for module, size in ours:
        print(f"{module:<28} {size:>10} {100 * size / total:>6.1f}%")


if __name__ == "__main__":
    main()
