"""Writes cases.json, the replay corpus of bad inputs (issue 15): run `python3 make_cases.py` here
after editing a case. Each case is a model file (or none) and a CLI command line that must fail
with exactly one line `rnndyn: error: <field>: <problem>` and exit code 2.

A case is a dict:
  id        unique name
  model     the model file: a JSON object, a string written verbatim (invalid JSON, duplicate
            keys), or null (commands without a model, or `model_dir` for a directory)
  model_dir true: {model} is a directory instead of a file
  files     extra files in the same directory: name -> {"text": ...} | {"base64": ...} | {"dir": true}
  args      the command line; {model} is the model file, {tmp} the directory of the files
  field     the field the message must start with (`<field>: `)
  message   optional: the whole message after `rnndyn: error: ` ({tmp} substituted)
  contains  optional: text the message must contain
  loader    true: the model file alone is bad, so rnndyn.load_model (and model_from_dict, when the
            model is a JSON object) must raise ValueError with the same message
  pending   true: fails now because a C++ check has not landed (xfail, not strict); `reason` says why
"""
import base64
import io
import json
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent

# One tiny valid model of each type: each case below breaks one thing of one of them.
RATE = {"model": "rate", "activation": "relu", "W": [[0, -1], [-1, 0]], "b": [1, 1], "tau": 1}
LINEAR = {"model": "linear", "tau": 10, "M": [[0.5, 0.0], [0.0, 0.5]], "h": [1, 0]}
PLRNN = {"model": "plrnn", "A": [0.5, 0.5], "W": [[0, 0.5], [0.5, 0]], "h": [0.1, 0.1]}
SHPLRNN = {"model": "shplrnn", "A": [0.5, 0.5], "W1": [[0.1, 0.2, 0.3], [0.3, 0.2, 0.1]],
           "W2": [[1, 0], [0, 1], [1, 1]], "h1": [0, 0], "h2": [0, 0, 0]}
RNN = {"model": "rnn", "W_hh": [[0.5, 0], [0, 0.5]], "b": [0.1, 0.1]}
GRU = {"model": "gru", "W_hh": [[0.1, 0.0]] * 6, "b_ih": [0.0] * 6, "b_hh": [0.0] * 6}
LSTM = {"model": "lstm", "W_hh": [[0.1, 0.0]] * 8, "b_ih": [0.0] * 8, "b_hh": [0.0] * 8}
# Two stacked GRU layers of 2 units on a 1-entry input (torch's num_layers = 2).
GRU_STACK = {"model": "gru", "u": [0.5], "layers": [{"W_ih": [[0.1]] * 6, "W_hh": [[0.1, 0.0]] * 6},
                                                    {"W_ih": [[0.1, 0.0]] * 6, "W_hh": [[0.1, 0.0]] * 6}]}
RESERVOIR = {"model": "reservoir", "W": [[0, 0.1], [0.1, 0]], "w_FB": [1, -1], "w_out": [0.5, 0.5]}
RESERVOIR_GEN = {"model": "reservoir", "N": 20, "g": 1.5, "seed": 1}
ESN = {"model": "esn", "W": [[0, 0.1], [0.1, 0]], "lr": 0.5, "W_fb": [[1], [-1]], "W_out": [[0.5, 0.5]]}

SIM = ["simulate", "{model}", "--t-end", "1"]  # the cheap command of the loader cases


def npy(array=None, raw=None):
    """A .npy file's bytes as base64: numpy's own for ``array``, or ``raw`` bytes."""
    if raw is None:
        buf = io.BytesIO()
        np.save(buf, array)
        raw = buf.getvalue()
    return {"base64": base64.b64encode(raw).decode("ascii")}


def with_(base, **changes):
    """``base`` with keys changed; a value None removes the key."""
    out = dict(base)
    for k, v in changes.items():
        if v is None:
            out.pop(k, None)
        else:
            out[k] = v
    return out


cases = []


def case(id, field, model=None, args=None, loader=None, **extra):
    assert all(c["id"] != id for c in cases), id
    c = {"id": id, "model": model, "args": args if args is not None else SIM, "field": field}
    c["loader"] = bool(loader if loader is not None else (args is None and (model is not None or extra.get("model_dir"))))
    c.update(extra)
    cases.append(c)



# ---- the file itself -------------------------------------------------------------------------------
case("file-missing", "model file", None, ["simulate", "{tmp}/nonexistent.json"],
     message="cannot open '{tmp}/nonexistent.json'")
case("file-empty", "model file", "", message="'{model}' is empty")
case("file-whitespace", "model file", "  \n\t\n", message="'{model}' is empty")
case("file-directory", "model file", None, model_dir=True, message="'{model}' is a directory, not a file")
case("json-invalid", "model file", '{"model": "rate", "W": [[0, 1], [1, 0]]', contains="is not valid JSON")
case("json-trailing-comma", "model file", '{"model": "rate", "W": [[0, 1], [1, 0]],}', contains="is not valid JSON")
case("json-nan-literal", "model file", '{"model": "rate", "W": [[0, NaN], [1, 0]]}', contains="is not valid JSON")
case("json-single-quotes", "model file", "{'model': 'rate'}", contains="is not valid JSON")
case("json-garbage", "model file", "\x00\x01\x02 not json", contains="is not valid JSON")
case("json-array", "model file", [1, 2, 3], message="expected a JSON object, got array")
case("json-string", "model file", '"rate"', message="expected a JSON object, got string")
case("json-number", "model file", "42", message="expected a JSON object, got number")
case("json-duplicate-key", "W", '{"model": "rate", "W": [[0, 1], [1, 0]], "W": [[1, 0], [0, 1]]}',
     contains="given twice")
case("json-huge-number", "model file", '{"model": "rate", "W": [[0, 1], [1, 0]], "g": 1e400}', contains="1e400")
case("json-huge-in-matrix", "model file", '{"model": "rate", "W": [[0, 1e400], [1, 0]]}', contains="1e400")

# ---- the model key -------------------------------------------------------------------------------------
case("model-missing", "model", {"W": [[0, 1], [1, 0]]}, contains="missing required key")
case("model-unknown", "model", with_(RATE, model="ratee"), contains="unknown model type 'ratee'")
case("model-number", "model", with_(RATE, model=3), message="expected a string, got number")
case("model-null", "model", with_(RATE, model=None) | {"model": None}, message="expected a string, got null")
case("model-empty-string", "model", with_(RATE, model=""), contains="unknown model type ''")

# ---- rate -------------------------------------------------------------------------------------------------
case("rate-missing-W", "W", with_(RATE, W=None), message="missing required key")
case("rate-W-not-square", "W", with_(RATE, W=[[0, 1, 2], [1, 0, 2]]), message="expected a square matrix, got 2x3")
case("rate-W-ragged", "W", with_(RATE, W=[[0, 1], [1]]), contains="row 1 has 1 entries")
case("rate-W-string-entry", "W", with_(RATE, W=[[0, "1"], [1, 0]]), contains="entry [0,1] is a string")
case("rate-W-null-entry", "W", with_(RATE, W=[[0, None], [1, 0]]), contains="entry [0,1] is a null")
case("rate-W-object", "W", with_(RATE, W={"rows": 2}), contains="got object")
case("rate-W-bool", "W", with_(RATE, W=True), contains="got boolean")
case("rate-W-empty", "W", with_(RATE, W=[]))
case("rate-W-empty-rows", "W", with_(RATE, W=[[], []]))
case("rate-W-row-not-list", "W", with_(RATE, W=[[0, 1], 1]), contains="row 1 has type number")
case("rate-W-3d", "W", with_(RATE, W=[[[0]], [[1]]]), contains="is a array")
case("rate-b-wrong-length", "b", with_(RATE, b=[1, 1, 1]), message="expected a vector of length 2, got length 3")
case("rate-b-matrix", "b", with_(RATE, b=[[1, 1], [1, 1]]), message="expected a vector, got a 2x2 matrix")
case("rate-tau-string", "tau", with_(RATE, tau="10"), contains="without quotes")
case("rate-tau-zero", "tau", with_(RATE, tau=0), contains="> 0")
case("rate-tau-negative", "tau", with_(RATE, tau=[1, -2]), contains="> 0")
case("rate-tau-wrong-length", "tau", with_(RATE, tau=[1, 2, 3]), message="expected a vector of length 2, got length 3")
case("rate-g-string", "g", with_(RATE, g="1.5"), message="expected a number, got string")
case("rate-g-list", "g", with_(RATE, g=[1.5]), message="expected a number, got array")
case("rate-activation-unknown", "activation", with_(RATE, activation="relux"), contains="unknown activation 'relux'")
case("rate-activation-number", "activation", with_(RATE, activation=1), message="expected a string, got number")
case("rate-threshold-string", "threshold", with_(RATE, threshold="0.5"), message="expected a number, got string")
case("rate-form-unknown", "form", with_(RATE, form="voltage"),
     message='expected "current" or "rate", got "voltage"')
case("rate-unknown-key", "Wx", with_(RATE, Wx=[[1]]), message="not a key of the rate model (a typo?)")
case("rate-W-and-U", "W", with_(RATE, U=[[1], [1]], V=[[1], [1]]), contains="not both")
case("rate-V-without-U", "U", with_(RATE, W=None, V=[[1], [1]]), contains="missing")
case("rate-V-wrong-shape", "V", with_(RATE, W=None, U=[[1], [1]], V=[[1, 2], [1, 2]]), contains="expected a 2x1 matrix")
case("rate-u-without-W_in", "u", with_(RATE, u=[1]), message="an input u needs input weights W_in")
case("rate-W_in-wrong-rows", "W_in", with_(RATE, W_in=[[1], [1], [1]]), contains="expected a 2xm matrix, got 3x1")
case("rate-u-wrong-length", "u", with_(RATE, W_in=[[1], [1]], u=[1, 2]),
     message="expected a vector of length 1, got length 2")
case("rate-x0-wrong-length", "x0", with_(RATE, x0=[1, 2, 3]), message="expected a vector of length 2, got length 3")
case("rate-x0-string-entry", "x0", with_(RATE, x0=[1, "a"]), contains="entry [1] is a string")

# ---- linear ------------------------------------------------------------------------------------------------
case("linear-missing-M", "M", with_(LINEAR, M=None), message="missing required key")
case("linear-M-not-square", "M", with_(LINEAR, M=[[1, 0]]), message="expected a square matrix, got 1x2")
case("linear-h-wrong-length", "h", with_(LINEAR, h=[1]), message="expected a vector of length 2, got length 1")
case("linear-tau-list", "tau", with_(LINEAR, tau=[10, 10]), message="expected a number, got array")
case("linear-tau-zero", "tau", with_(LINEAR, tau=0), contains="> 0")
case("linear-unknown-key", "W", with_(LINEAR, W=[[1, 0], [0, 1]]), message="not a key of the linear model (a typo?)")

# ---- plrnn -------------------------------------------------------------------------------------------------
case("plrnn-missing-W", "W", with_(PLRNN, W=None), message="missing required key")
case("plrnn-A-wrong-length", "A", with_(PLRNN, A=[0.5, 0.5, 0.5]), contains="expected a 2x2 matrix or a diagonal of length 2")
case("plrnn-A-not-square", "A", with_(PLRNN, A=[[0.5, 0], [0, 0.5], [0, 0]]), contains="expected a 2x2 matrix")
case("plrnn-theta-wrong-length", "theta", with_(PLRNN, theta=[0, 0, 0]),
     message="expected a vector of length 2, got length 3")
case("plrnn-time-unknown", "time", with_(PLRNN, time="sometimes"))
case("plrnn-time-number", "time", with_(PLRNN, time=1), message="expected a string, got number")
case("plrnn-unknown-key", "b", with_(PLRNN, b=[0, 0]), message="not a key of the plrnn model (a typo?)")

# ---- shplrnn -----------------------------------------------------------------------------------------------
case("shplrnn-missing-W2", "W2", with_(SHPLRNN, W2=None), message="missing required key")
case("shplrnn-missing-W1", "W1", with_(SHPLRNN, W1=None), message="missing required key")
case("shplrnn-W1-wrong-shape", "W1", with_(SHPLRNN, W1=[[0.1, 0.2], [0.3, 0.2]]), contains="expected a 2x3 matrix, got 2x2")
case("shplrnn-h2-wrong-length", "h2", with_(SHPLRNN, h2=[0, 0]), message="expected a vector of length 3, got length 2")
case("shplrnn-h1-string", "h1", with_(SHPLRNN, h1=[0, "0"]), contains="entry [1] is a string")
case("shplrnn-unknown-key", "W3", with_(SHPLRNN, W3=[[1]]), message="not a key of the shplrnn model (a typo?)")

# ---- rnn ---------------------------------------------------------------------------------------------------
case("rnn-missing-W_hh", "W_hh", with_(RNN, W_hh=None), message="missing required key")
case("rnn-W_hh-not-square", "W_hh", with_(RNN, W_hh=[[0.5, 0, 0], [0, 0.5, 0]]),
     message="expected a square matrix, got 2x3")
case("rnn-b_ih-wrong-length", "b_ih", with_(RNN, b_ih=[0, 0, 0]), message="expected a vector of length 2, got length 3")
case("rnn-activation-unknown", "activation", with_(RNN, activation="gelu"), contains="unknown activation 'gelu'")
case("rnn-u-without-W_in", "u", with_(RNN, u=[1]), message="an input u needs input weights W_in")
case("rnn-unknown-key", "W_ih", with_(RNN, W_ih=[[1], [1]]), message="not a key of the rnn model (a typo?)")

# ---- gru / lstm --------------------------------------------------------------------------------------------
case("gru-missing-W_hh", "W_hh", with_(GRU, W_hh=None), message="missing required key")
case("gru-W_hh-square", "W_hh", with_(GRU, W_hh=[[0.1, 0], [0, 0.1]]), contains="expected a 3H x H matrix")
case("gru-b_ih-wrong-length", "b_ih", with_(GRU, b_ih=[0, 0]), message="expected a vector of length 6, got length 2")
case("gru-W_ih-wrong-rows", "W_ih", with_(GRU, W_ih=[[1], [1]]), contains="expected a 6xm matrix, got 2x1")
case("gru-u-without-W_ih", "u", with_(GRU, u=[1]), message="an input u needs input weights W_ih")
case("gru-unknown-key", "W_in", with_(GRU, W_in=[[1]] * 6), message="not a key of the gru model (a typo?)")
case("lstm-missing-W_hh", "W_hh", with_(LSTM, W_hh=None), message="missing required key")
case("lstm-W_hh-gru-shape", "W_hh", with_(LSTM, W_hh=[[0.1, 0.0]] * 6), contains="expected a 4H x H matrix")
case("lstm-b_hh-wrong-length", "b_hh", with_(LSTM, b_hh=[0] * 6), message="expected a vector of length 8, got length 6")
case("lstm-u-wrong-length", "u", with_(LSTM, W_ih=[[1]] * 8, u=[1, 2]),
     message="expected a vector of length 1, got length 2")
case("lstm-unknown-key", "activation", with_(LSTM, activation="tanh"), message="not a key of the lstm model (a typo?)")

# ---- stacked layers (gru / lstm / rnn with "layers") ---------------------------------------------------


def stack_layer(index, **changes):
    """GRU_STACK with layer `index` changed (a value None removes the key; layer=X replaces it)."""
    layers = [dict(layer) for layer in GRU_STACK["layers"]]
    layers[index] = changes["layer"] if "layer" in changes else with_(layers[index], **changes)
    return with_(GRU_STACK, layers=layers)


case("stack-layers-empty", "layers", with_(GRU_STACK, layers=[]),
     message="expected a non-empty list of layer objects, got an empty list")
case("stack-layers-object", "layers", with_(GRU_STACK, layers={"W_hh": [[0.1, 0.0]] * 6}),
     message="expected a non-empty list of layer objects, got object")
case("stack-layer-number", "layers[1]", stack_layer(1, layer=3),
     message="expected an object {W_ih, W_hh, b_ih, b_hh}, got number")
case("stack-W_ih-columns", "layers[1].W_ih", stack_layer(1, W_ih=[[0.1, 0.0, 0.0]] * 6),
     message="expected a 6x2 matrix, got 6x3")
case("stack-missing-W_ih", "layers[1].W_ih", stack_layer(1, W_ih=None),
     contains="layer 1's input is layer 0's hidden state")
case("stack-W_hh-rows", "layers[0].W_hh", stack_layer(0, W_hh=[[0.1, 0.0]] * 4), contains="expected a 3H x H matrix")
case("stack-b_hh-wrong-length", "layers[1].b_hh", stack_layer(1, b_hh=[0, 0]),
     message="expected a vector of length 6, got length 2")
case("stack-W_hh-not-numbers", "layers[0].W_hh", stack_layer(0, W_hh=[["x", 0.0]] * 6), contains="expected a number")
case("stack-layer-unknown-key", "layers[0].W_in", stack_layer(0, W_in=[[1]] * 6),
     message="not a key of a layer (W_ih, W_hh, b_ih, b_hh)")
case("stack-and-top-level-weights", "W_hh", with_(GRU_STACK, W_hh=[[0.1, 0.0]] * 6), contains="not both")
case("stack-u-wrong-length", "u", with_(GRU_STACK, u=[1, 2]), message="expected a vector of length 1, got length 2")
case("stack-u-without-W_ih", "layers[0].W_ih", stack_layer(0, W_ih=None),
     message="required when an input u is given")
case("stack-gru-activation", "activation", with_(GRU_STACK, activation="relu"),
     message="not a key of the gru model (a typo?)")
case("stack-lstm-gru-shapes", "layers[0].W_hh", with_(GRU_STACK, model="lstm"), contains="expected a 4H x H matrix")
case("stack-rnn-activation-unknown", "activation",
     {"model": "rnn", "activation": "step", "layers": [{"W_hh": [[0.5]]}]}, contains="step")

# ---- reservoir ---------------------------------------------------------------------------------------------
case("reservoir-missing-w_FB", "w_FB", with_(RESERVOIR, w_FB=None), message="missing required key")
case("reservoir-w_out-wrong-length", "w_out", with_(RESERVOIR, w_out=[1, 2, 3]),
     message="expected a vector of length 2, got length 3")
case("reservoir-tau-list", "tau", with_(RESERVOIR, tau=[1, 1]), message="expected a number, got array")
case("reservoir-tau-zero", "tau", with_(RESERVOIR, tau=0), contains="> 0")
case("reservoir-activation-unknown", "activation", with_(RESERVOIR, activation="step"), contains="unknown activation")
case("reservoir-missing-N", "N", with_(RESERVOIR_GEN, N=None), message="missing required key")
case("reservoir-N-fraction", "N", with_(RESERVOIR_GEN, N=20.5), message="must be an integer")
case("reservoir-N-string", "N", with_(RESERVOIR_GEN, N="20"), message="expected a number, got string")
case("reservoir-seed-negative", "seed", with_(RESERVOIR_GEN, seed=-1), message="must be a non-negative integer")
case("reservoir-feedback-unknown", "feedback", with_(RESERVOIR_GEN, feedback="cauchy"), contains="cauchy")
case("reservoir-unknown-key", "targetz", with_(RESERVOIR_GEN, targetz=[1]),
     message="not a key of the reservoir model (a typo?)")

# ---- esn (issue 31) ----------------------------------------------------------------------------------------
case("esn-lr-zero", "lr", with_(ESN, lr=0), message="must be > 0, got 0")
case("esn-lr-wrong-count", "lr", with_(ESN, lr=[0.5, 0.5, 0.5]), contains="one leak rate or 2")
case("esn-loop-unknown", "loop", with_(ESN, loop="both"), contains="expected \"open\"")
case("esn-closed-without-W_out", "W_out", with_(ESN, W_out=None, loop="closed"), contains="closed loop")
case("esn-W_out-wrong-shape", "W_out", with_(ESN, W_out=[[1, 2, 3]]), contains="expected a 1x2 matrix")
case("esn-y-in-closed-loop", "y", with_(ESN, y=[1]), contains="closed loop computes y")
case("esn-trained-level-unsettled", "trained_levels", with_(ESN, W=[[3, 0], [0, -3]], trained_levels=[0.3]),
     contains="does not settle")
case("esn-unknown-key", "Wout", with_(ESN, Wout=[[1, 1]]), message="not a key of the esn model (a typo?)")

# ---- .npy values -------------------------------------------------------------------------------------------
GOOD = np.array([[0.0, -1.0], [-1.0, 0.0]])
GOOD_BYTES = base64.b64decode(npy(GOOD)["base64"])
case("npy-missing", "W", with_(RATE, W="missing.npy"), contains="cannot open")
case("npy-directory", "W", with_(RATE, W="adir.npy"), files={"adir.npy": {"dir": True}}, contains="directory")
case("npy-truncated-data", "W", with_(RATE, W="w.npy"), files={"w.npy": npy(raw=GOOD_BYTES[:-8])}, contains="truncated")
case("npy-truncated-header", "W", with_(RATE, W="w.npy"), files={"w.npy": npy(raw=GOOD_BYTES[:20])}, contains="truncated")
case("npy-empty-file", "W", with_(RATE, W="w.npy"), files={"w.npy": {"text": ""}})
case("npy-not-npy", "W", with_(RATE, W="w.npy"), files={"w.npy": {"text": "[[0, 1], [1, 0]]"}}, contains="not a .npy file")
case("npy-complex-dtype", "W", with_(RATE, W="w.npy"), files={"w.npy": npy(GOOD.astype(complex))},
     contains="unsupported dtype")
case("npy-string-dtype", "W", with_(RATE, W="w.npy"), files={"w.npy": npy(np.array([["a", "b"], ["c", "d"]]))},
     contains="unsupported dtype")
case("npy-bool-dtype", "W", with_(RATE, W="w.npy"), files={"w.npy": npy(GOOD > 0)}, contains="unsupported dtype")
case("npy-big-endian", "W", with_(RATE, W="w.npy"), files={"w.npy": npy(GOOD.astype(">f8"))}, contains="unsupported dtype")
case("npy-3d", "W", with_(RATE, W="w.npy"), files={"w.npy": npy(np.zeros((2, 2, 2)))}, contains="3 dimensions")
case("npy-wrong-shape", "W", with_(RATE, W="w.npy"), files={"w.npy": npy(np.zeros((2, 3)))},
     message="expected a square matrix, got 2x3")
case("npy-b-wrong-length", "b", with_(RATE, b="b.npy"), files={"b.npy": npy(np.zeros(3))},
     message="expected a vector of length 2, got length 3")
case("npy-nan", "W", with_(RATE, W="w.npy"), files={"w.npy": npy(np.array([[0.0, np.nan], [1.0, 0.0]]))},
     message="entry [0,1] is not finite (nan)")
case("npy-inf-vector", "b", with_(RATE, b="b.npy"), files={"b.npy": npy(np.array([1.0, -np.inf]))},
     message="entry [1] is not finite (-inf)")
case("npy-U-missing", "U", with_(RATE, W=None, U="u.npy", V=[[1], [1]]), contains="cannot open")

# ---- CLI arguments ---------------------------------------------------------------------------------------
M = "{model}"
case("cli-unknown-flag", "--frobnicate", RATE, ["fixed-points", M, "--frobnicate"])
case("cli-missing-value", "--method", RATE, ["fixed-points", M, "-o", "{out}", "--method"])
case("cli-method-nonsense", "--method", RATE, ["fixed-points", M, "--method", "nonsense"], contains="nonsense")
case("cli-t-end-ten", "--t-end", RATE, ["simulate", M, "--t-end", "ten"], contains="'ten'")
case("cli-t-end-negative", "--t-end", RATE, ["simulate", M, "--t-end", "-1"])
case("cli-dt-zero", "--dt", RATE, ["simulate", M, "--dt", "0"])
case("cli-atol-negative", "--atol", RATE, ["simulate", M, "--atol", "-1"], message="must be > 0")
case("cli-rtol-negative", "--rtol", RATE, ["simulate", M, "--rtol", "-1"], message="must be > 0")
case("cli-format-xml", "--format", RATE, ["simulate", M, "--format", "xml"], message="expected json or csv, got 'xml'")
case("cli-x0-wrong-length", "--x0", RATE, ["simulate", M, "--x0", "1,2,3"])
case("cli-x0-not-number", "--x0", RATE, ["simulate", M, "--x0", "1,a"])
case("cli-x0-missing-file", "--x0", RATE, ["simulate", M, "--x0", "@{tmp}/nothere.npy"])
case("cli-starts-zero", "--starts", RNN, ["fixed-points", M, "--method", "numeric", "--starts", "0"])
case("cli-starts-negative", "--starts", RNN, ["fixed-points", M, "--method", "numeric", "--starts", "-3"])
case("cli-starts-fraction", "--starts", RNN, ["fixed-points", M, "--method", "numeric", "--starts", "2.5"])
case("cli-seed-negative", "--seed", RNN, ["fixed-points", M, "--method", "numeric", "--seed", "-1"])
case("cli-box-reversed", "--box", RNN, ["fixed-points", M, "--method", "numeric", "--box", "1,-1"])
case("cli-box-garbage", "--box", RNN, ["fixed-points", M, "--method", "numeric", "--box", "a,b"])
case("cli-max-iter-zero", "--max-iter", RNN, ["fixed-points", M, "--method", "numeric", "--max-iter", "0"])
case("cli-q-tol-negative", "--q-tol", RNN, ["fixed-points", M, "--method", "numeric", "--q-tol", "-1"])
case("cli-trajectories-missing", "--from-trajectories", RNN,
     ["fixed-points", M, "--method", "numeric", "--from-trajectories", "{tmp}/none.json"])
case("cli-trajectories-nan", "--from-trajectories", RNN,
     ["fixed-points", M, "--method", "numeric", "--from-trajectories", "{tmp}/traj.npy"],
     files={"traj.npy": npy(np.array([[0.0, np.nan], [0.1, 0.2]]))})
case("cli-trajectories-wrong-dim", "--from-trajectories", RNN,
     ["fixed-points", M, "--method", "numeric", "--from-trajectories", "{tmp}/traj.json"],
     files={"traj.json": {"text": "[[0, 1, 2], [1, 2, 3]]"}})
case("cli-initial-states-invalid-json", "--initial-states", RNN,
     ["fixed-points", M, "--method", "numeric", "--initial-states", "{tmp}/s.json"], files={"s.json": {"text": "[[0, 1"}})
case("cli-cycles-zero", "--cycles", PLRNN, ["fixed-points", M, "--cycles", "0"], message="must be >= 1, got 0")
case("cli-linearize-at-word", "--at", RATE, ["linearize", M, "--at", "zero"])  # "zeros" is the one word
case("cli-linearize-at-wrong-length", "--at", RATE, ["linearize", M, "--at", "1"])
case("cli-linearize-at-inf", "--at", RATE, ["linearize", M, "--at", "1,inf"])
case("cli-set-no-equals", "--set", RATE, ["--set", "tau", "simulate", M, "--t-end", "1"], contains="NAME=VALUE")
case("cli-set-not-number", "--set", RATE, ["--set", "g=abc", "simulate", M, "--t-end", "1"], contains="not a finite number")
case("cli-set-nan", "--set", RATE, ["--set", "g=nan", "simulate", M, "--t-end", "1"], contains="not a finite number")
case("cli-set-unknown-parameter", "--set", RATE, ["--set", "zeta=1", "simulate", M, "--t-end", "1"], contains="zeta")
case("cli-set-index-out-of-range", "--set", RATE, ["--set", "tau[5]=1", "simulate", M, "--t-end", "1"])
case("cli-set-W-index-out-of-range", "--set", RATE, ["--set", "W[0,2]=1", "simulate", M, "--t-end", "1"])
case("cli-set-tau-zero", "--set", RATE, ["--set", "tau[0]=0", "simulate", M, "--t-end", "1"], contains="> 0")
case("cli-continue-unknown-param", "--param", RATE, ["continue", M, "--param", "zeta", "--from", "0", "--to", "1"])
case("cli-continue-missing-to", "--to", RATE, ["continue", M, "--param", "g", "--from", "0"])
case("cli-continue-from-garbage", "--from", RATE, ["continue", M, "--param", "g", "--from", "x", "--to", "1"])
case("cli-continue-cycles-smooth-map", "model", RNN,
     ["continue-cycles", M, "--param", "b[0]", "--from", "0", "--to", "1"], contains="piecewise-linear maps only")
case("cli-continue-cycles-unknown-param", "--param", RATE,
     ["continue-cycles", M, "--param", "zeta", "--from", "0", "--to", "1"])
case("cli-continue-cycles-start-length", "--start", RATE,
     ["continue-cycles", M, "--param", "g", "--from", "1", "--to", "2", "--start", "1,2,3,4,5,6,7"])
case("cli-continue-cycles-samples", "--samples", RATE,
     ["continue-cycles", M, "--param", "g", "--from", "1", "--to", "2", "--samples", "2"])
case("cli-continue-cycles-hopf-offset", "--hopf-offset", RATE,
     ["continue-cycles", M, "--param", "g", "--from", "1", "--to", "2", "--hopf-offset", "1.5"])
case("cli-perturb-samples-zero", "--samples", RATE, ["perturb", M, "--samples", "0"])
case("cli-perturb-smooth-model", "model", RNN, ["perturb", M, "--samples", "10"], contains="piecewise")
case("cli-perturb-epsilon-shape", "--epsilon", RATE, ["perturb", M, "--epsilon", "[[0.1, 0.2, 0.3]]"])
case("cli-perturb-both-targets", "--weights", RATE, ["perturb", M, "--weights", "--bias"])
case("cli-lyapunov-k-too-large", "--k", RATE, ["lyapunov", M, "--k", "5", "--t", "10"])
case("cli-lyapunov-integrator", "--integrator", RATE, ["lyapunov", M, "--integrator", "euler", "--t", "10"])
case("cli-limit-cycle-map", "model", PLRNN, ["limit-cycle", M])
case("cli-linear-wrong-model", "model", RATE, ["linear", M])
case("cli-mft-targets-empty", "--targets", None, ["mft", "--targets", ""], contains="empty")
case("cli-mft-g-garbage", "--g", None, ["mft", "--g", "x"])
case("cli-mft-activation-unknown", "--activation", None, ["mft", "--activation", "step"])
case("cli-mft-n-omega-negative", "--n-omega", None, ["mft", "--n-omega", "-1"])
case("cli-mft-config-missing", "--config", None, ["mft", "--config", "{tmp}/none.json"])
case("cli-reservoir-N-one", "--N", None, ["reservoir", "--N", "1"])
case("cli-report-model-file", "result", RATE, ["report", M])
case("cli-report-missing", "result", None, ["report", "{tmp}/none.json"])
case("cli-no-model", "model", None, ["fixed-points"])

if __name__ == "__main__":
    (HERE / "cases.json").write_text(json.dumps(cases, indent=1) + "\n")
    print(f"{len(cases)} cases, {sum(c.get('pending', False) for c in cases)} pending")
