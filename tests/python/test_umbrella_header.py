"""include/rnndyn/rnndyn.hpp includes every public header (the README and docs/ARCHITECTURE.md say
it does): a header added under include/rnndyn/<area>/ and forgotten there fails this test."""
import re

from conftest import SOURCE_DIR


def test_umbrella_header_includes_every_public_header():
    include = SOURCE_DIR / "include"
    umbrella = (include / "rnndyn" / "rnndyn.hpp").read_text()
    included = set(re.findall(r'#include "([^"]+)"', umbrella))
    public = {p.relative_to(include).as_posix() for p in (include / "rnndyn").glob("*/*.hpp")}
    assert public, "no public headers found"
    assert sorted(public - included) == []
