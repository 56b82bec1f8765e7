"""``python -m samplegen OUTDIR [STEM ...]``: (re)write the committed sample set."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from samplegen.build import build_sample
from samplegen.catalog import specs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m samplegen", description=__doc__)
    ap.add_argument("outdir", type=Path)
    ap.add_argument("stems", nargs="*", help="only these samples (default: all)")
    a = ap.parse_args(argv)
    chosen = [s for s in specs() if not a.stems or s.stem in a.stems]
    unknown = set(a.stems) - {s.stem for s in chosen}
    if unknown:
        ap.error(f"unknown samples: {sorted(unknown)}")
    for spec in chosen:
        built = build_sample(spec, a.outdir)
        sizes = ", ".join(f"{p.name} {p.stat().st_size / 1024:.0f} KB" for p in built.paths)
        print(f"{spec.stem}: {sizes}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
