"""Runs one libFuzzer target for a bounded time (ctest fuzz.<target>).

1. Replays every file in fuzz/regressions/<target>/ (inputs that once crashed: each must pass).
2. Seeds a corpus in --work: for model_file, every model file in examples/ and bench/models/ and
   every model of the bad-input replay corpus (tests/bad_inputs/cases.json); for npy, the .npy
   files of the repository and a few made here (valid, Fortran order, truncated, bad header).
3. Fuzzes for --seconds with a fixed seed, 2 GB of memory and 10 s per input; a crash, a leak, a
   sanitizer report or an exception other than InputError fails the test, and libFuzzer leaves
   the input as crash-* in --work (copy it into fuzz/regressions/<target>/ once fixed).
"""
import argparse
import json
import struct
import subprocess
import sys
from pathlib import Path


def npy_bytes(shape, values, fortran=False, descr="<f8"):
    header = f"{{'descr': '{descr}', 'fortran_order': {fortran}, 'shape': {tuple(shape)}, }}"
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + struct.pack(
        f"<{len(values)}d", *values)


def seed_model_files(source, seeds):
    for folder in ("examples", "bench/models"):
        for path in sorted((source / folder).glob("*.json")):
            (seeds / f"example_{path.name}").write_bytes(path.read_bytes())
    cases = json.loads((source / "tests/bad_inputs/cases.json").read_text())
    for i, case in enumerate(cases):
        model = case.get("model")
        if model is not None:
            text = model if isinstance(model, str) else json.dumps(model)
            (seeds / f"case_{i:04d}.json").write_text(text)


def seed_npy(source, seeds):
    paths = [p for folder in ("examples", "tests", "bench") for p in sorted((source / folder).glob("**/*.npy"))]
    for i, path in enumerate(paths):
        (seeds / f"repo_{i:03d}.npy").write_bytes(path.read_bytes())
    seeds.joinpath("valid.npy").write_bytes(npy_bytes((2, 3), range(6)))
    seeds.joinpath("fortran.npy").write_bytes(npy_bytes((3, 2), range(6), fortran=True))
    seeds.joinpath("vector.npy").write_bytes(npy_bytes((4,), [1.0, 2.0, 3.0, 4.0]))
    seeds.joinpath("truncated.npy").write_bytes(npy_bytes((2, 2), range(4))[:-9])
    seeds.joinpath("float32.npy").write_bytes(npy_bytes((1,), [0.0], descr="<f4")[:-4])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--target", required=True, choices=["model_file", "npy"])
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--work", required=True, type=Path)
    parser.add_argument("--source", required=True, type=Path)
    args = parser.parse_args()
    regressions = sorted(p for p in (args.source / "fuzz" / "regressions" / args.target).glob("*")
                         if not p.name.startswith("."))
    if regressions:
        subprocess.run([args.binary, *map(str, regressions)], check=True)
    corpus, seeds = args.work / "corpus", args.work / "seeds"
    for folder in (corpus, seeds):
        folder.mkdir(parents=True, exist_ok=True)
    (seed_model_files if args.target == "model_file" else seed_npy)(args.source, seeds)
    command = [args.binary, str(corpus), str(seeds), f"-max_total_time={args.seconds}", "-seed=1",
               "-rss_limit_mb=2048", "-timeout=10", "-max_len=65536", "-print_final_stats=1",
               f"-artifact_prefix={args.work}/"]
    print(" ".join(command), flush=True)
    return subprocess.run(command).returncode


if __name__ == "__main__":
    sys.exit(main())
