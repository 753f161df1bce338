"""``python -m rnndyn.sweep SPEC -o OUT.zarr [--scheduler ADDRESS]``: the command line of
rnndyn.sweep (docs/sweeps.md). Errors are one line ``rnndyn: error: <field>: <problem>`` with exit
code 2; Ctrl-C exits with 130 and leaves the tasks stored so far (run again to resume)."""
import sys

from ._sweep import main

if __name__ == "__main__":
    sys.exit(main())
