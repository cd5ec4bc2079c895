#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""House-style checks that a compiler does not make (docs: STYLE.md items 1, 4, 5, 6, 7, 23, 24).

Run from the source root; exits 1 listing every violation as path:line: message.
"""
import os
import re
import sys

ROOT = sys.argv[1] if len(sys.argv) > 1 else "."
CODE_DIRS = ["libcore", "daemon", "plugins", "tools"]
FUNC_DEF = re.compile(r"^(static\s+)?(?:[A-Za-z_][\w\s\*]*?\n)?([a-z_][a-z0-9_]*)\s*\(([^;]*)$")
problems = []


def report(path, line, msg):
    problems.append(f"{path}:{line}: {msg}")


def c_files(dirs):
    for d in dirs:
        for base, _, files in os.walk(os.path.join(ROOT, d)):
            for name in sorted(files):
                if name.endswith((".c", ".h")):
                    yield os.path.join(base, name)


def prefix_of(path):
    stem = os.path.splitext(os.path.basename(path))[0]
    return stem.replace("-", "_") + "_"


for path in c_files(CODE_DIRS):
    rel = os.path.relpath(path, ROOT)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    lines = text.split("\n")
    if not lines[0].startswith("/*") or "SPDX-License-Identifier:" not in "\n".join(lines[:3]):
        report(rel, 1, "file must start with an SPDX-License-Identifier comment")
    if "Copyright" not in "\n".join(lines[:4]):
        report(rel, 1, "file must carry a copyright line in its header")
    for i, line in enumerate(lines, 1):
        code = line.split("//")[0]
        if re.search(r"\bg_error\s*\(", code):
            report(rel, i, "g_error() aborts on data; return a GError instead")
        if re.search(r"\bg_assert(_\w+)?\s*\(", code):
            report(rel, i, "g_assert*() outside tests/; use g_return_*_if_fail for programmer errors")
        if re.search(r"\bgoto\b", code):
            report(rel, i, "goto; use g_autoptr/g_autofree scope cleanup")
        if rel != os.path.join("libcore", "rdd-error.c") and re.search(
            r"g_set_error(_literal)?\s*\(\s*[^,]+,\s*(G_\w+_ERROR|JSON_\w+_ERROR)", code
        ):
            report(rel, i, "foreign error domain; use RDD_ERROR (convert with rdd_error_convert)")
    if not path.endswith(".c"):
        continue
    prefix = prefix_of(path)
    # a function definition: name at column 0 followed by '(' and, on a later line, '{' at column 0
    for i, line in enumerate(lines, 1):
        m = re.match(r"^([a-z_][a-z0-9_]*)\(", line)
        if not m or i < 2:
            continue
        # look ahead for the opening brace of a definition
        j = i
        while j < len(lines) and not lines[j - 1].rstrip().endswith((")", "{", ";")):
            j += 1
        if j >= len(lines) or lines[j].strip() != "{":
            continue
        name = m.group(1)
        prev = lines[i - 2]
        is_static = prev.startswith("static") or prev.startswith("G_GNUC_UNUSED static")
        if name == "main" or name.startswith("LLVMFuzzer"):
            continue
        if is_static:
            if not name.startswith(prefix) and name != prefix[:-1]:
                report(rel, i, f"static function {name}() must start with the file prefix {prefix}")
        elif rel.startswith(("libcore", "daemon")) and not name.startswith("rdd_"):
            report(rel, i, f"public function {name}() must start with rdd_")

# every file that marks strings for translation is listed in po/POTFILES.in
potfiles_path = os.path.join(ROOT, "po", "POTFILES.in")
listed = set()
if os.path.exists(potfiles_path):
    with open(potfiles_path) as f:
        listed = {l.strip() for l in f if l.strip() and not l.startswith("#")}
for path in c_files(CODE_DIRS):
    rel = os.path.relpath(path, ROOT)
    with open(path, encoding="utf-8") as f:
        if '_("' in f.read() and rel not in listed:
            report(rel, 1, "marks strings with _() but is not listed in po/POTFILES.in")

for p in problems:
    print(p)
if problems:
    print(f"{len(problems)} style problem(s)")
    sys.exit(1)
print("source checks passed")
