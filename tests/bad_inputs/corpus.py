"""The replay corpus cases.json (see make_cases.py) for the tests that replay it: the CLI test
(tests/cli/test_bad_input_replay.py) and the Python one (tests/python/test_hardening.py)."""
import base64
import json
from pathlib import Path

import pytest

CASES = json.loads((Path(__file__).resolve().parent / "cases.json").read_text())


def materialise(case, tmp_path):
    """Write the case's model file and extra files into ``tmp_path``; the path of the model file."""
    model_path = tmp_path / "model.json"
    if case.get("model_dir"):
        model_path.mkdir()
    elif case["model"] is not None:
        text = case["model"] if isinstance(case["model"], str) else json.dumps(case["model"])
        model_path.write_bytes(text.encode("utf-8"))
    for name, spec in case.get("files", {}).items():
        path = tmp_path / name
        if spec.get("dir"):
            path.mkdir()
        elif "base64" in spec:
            path.write_bytes(base64.b64decode(spec["base64"]))
        else:
            path.write_text(spec["text"])
    return model_path


def substitute(text, tmp_path, model_path):
    """{model}, {out} and {tmp} in a case's arguments or expected message."""
    return (text.replace("{model}", str(model_path)).replace("{out}", str(tmp_path / "out.json"))
            .replace("{tmp}", str(tmp_path)))


def check_message(case, message, tmp_path, model_path):
    """The message (without `rnndyn: error: `) names the case's field and, where the case gives
    them, equals its whole message and contains its text."""
    assert message.startswith(f"{case['field']}: "), (case["field"], message)
    if "message" in case:
        assert message == f"{case['field']}: " + substitute(case["message"], tmp_path, model_path)
    if "contains" in case:
        assert substitute(case["contains"], tmp_path, model_path) in message, message


def params(select=lambda case: True):
    """pytest parameters of the selected cases; pending ones are xfail (not strict)."""
    out = []
    for case in CASES:
        if not select(case):
            continue
        marks = [pytest.mark.xfail(strict=False, reason=case.get("reason", "C++ check pending"))] \
            if case.get("pending") else []
        out.append(pytest.param(case, id=case["id"], marks=marks))
    return out
