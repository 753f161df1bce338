import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

SOURCE_DIR = Path(os.environ.get("RNNDYN_SOURCE_DIR", Path(__file__).resolve().parents[2]))
EXAMPLES = SOURCE_DIR / "examples"
