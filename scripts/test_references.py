#!/usr/bin/env python3
"""Counts the tests whose reference is independent of the code under test (issue 20), by reading
each test's text: a GoogleTest case (TEST/TEST_F/TEST_P ... up to the next one) or a pytest
function (its body and docstring). A test counts as independent when its text names a reference
that shares no code with rnndyn: NumPy/SciPy/torch computations, closed forms, finite
differences, direct simulation by other code, a pure-Python brute force, replication of interval
coverage. It is a keyword scan, so it can miss a reference written without those words and count a
test that only mentions one; docs/testing.md says so and lists the references that stay shared.

    .venv/bin/python scripts/test_references.py [--list]
"""
import argparse
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# What an independent reference looks like in a test's text (case-insensitive).
MARKERS = [
    r"\bnp\.linalg", r"\bscipy\b", r"\bfsolve\b", r"\bsolve_ivp\b", r"\bquad\b", r"\btorch\b",
    r"closed[ -]?forms?", r"finite[ -]?differences?", r"finite ?networks?", r"brute[ -]?force",
    r"matrix ?exponential", r"(?:matches|against|agrees? with|equals?) (?:a |the )?(?:direct )?simulation",
    r"simulation(?:s)? (?:by|in) numpy", r"\bnumpy\b", r"\bnp\.(?:tanh|exp|maximum|sqrt|cos|sin)\b",
    r"independent", r"\bby hand\b", r"\banalytic", r"\bexactly\b.*\bknown\b", r"\bknown (?:exponent|period|point)",
    r"numpy (?:run|iteration|loop|reference|solve)", r"\breplicat", r"\bwilson\b.*\bcover", r"\bcoverage\b",
    r"\brational\b", r"\blong double\b", r"\bfractions\b", r"\bsympy\b", r"\bmpmath\b",
]
PATTERN = re.compile("|".join(MARKERS), re.IGNORECASE)


def cpp_tests(path):
    text = path.read_text()
    starts = [m for m in re.finditer(r"^TEST(?:_F|_P)?\((\w+),\s*(\w+)\)", text, re.MULTILINE)]
    for i, m in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
        # The comment block right above a test is part of its text (it states the reference).
        above = text[:m.start()].rstrip().split("\n")
        comment = []
        while above and above[-1].lstrip().startswith("//"):
            comment.insert(0, above.pop())
        yield f"{path.name}:{m.group(1)}.{m.group(2)}", "\n".join(comment) + text[m.start():end]


def py_tests(path):
    text = path.read_text()
    starts = [m for m in re.finditer(r"^(?:    )?def (test_\w+)\(", text, re.MULTILINE)]
    for i, m in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
        yield f"{path.relative_to(ROOT / 'tests')}:{m.group(1)}", text[m.start():end]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--list", action="store_true", help="print every test with its verdict")
    a = ap.parse_args()
    tests = []
    for p in sorted((ROOT / "tests").glob("test_*.cpp")):
        tests += list(cpp_tests(p))
    for d in ("cli", "python", "package"):
        for p in sorted((ROOT / "tests" / d).glob("test_*.py")):
            tests += list(py_tests(p))
    independent = [name for name, body in tests if PATTERN.search(body)]
    if a.list:
        chosen = set(independent)
        for name, _ in tests:
            print(("independent  " if name in chosen else "             ") + name)
    print(f"{len(independent)} of {len(tests)} tests name an independent reference "
          f"({sum(1 for n, _ in tests if '.cpp:' in n)} GoogleTest cases, "
          f"{sum(1 for n, _ in tests if '.py:' in n)} pytest functions, before parametrization)")


if __name__ == "__main__":
    main()
