"""Command line for instructors: prefetch everything once, then check it.

    python -m utils.data list        what the course downloads, and why
    python -m utils.data prefetch    download and verify everything (or NAME ...)
    python -m utils.data check       verify what is on disk; exit 1 if anything is missing

Files go to Keras's cache ($KERAS_HOME, default ~/.keras) and the course's
data folder ($P2P_DATA_DIR, default the user cache folder). For an offline
workshop: prefetch on one machine, copy both folders to the others, and set
the two variables there if the folders are not in their default places.
"""

from __future__ import annotations

import argparse
import sys
import time

from utils.data.download import DataIntegrityError, DatasetUnavailableError, data_dir, fetch
from utils.data.download import keras_home, verify
from utils.data.registry import REGISTRY


def _names(args: argparse.Namespace) -> list[str]:
    unknown = [n for n in args.names if n not in REGISTRY]
    if unknown:
        raise SystemExit(f"Unknown resource(s): {', '.join(unknown)}. See: python -m utils.data list")
    return args.names or list(REGISTRY)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m utils.data", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="list every resource")
    for cmd in ("prefetch", "check"):
        p = sub.add_parser(cmd, help=f"{cmd} resources (default: all)")
        p.add_argument("names", nargs="*", help="resource names (see list)")
    args = parser.parse_args(argv)

    print(f"course data folder: {data_dir()}\nKeras cache:        {keras_home()}")
    if args.command == "list":
        for r in REGISTRY.values():
            print(f"- {r.name} ({r.size_bytes / 1e6:.1f} MB, {r.licence})\n  {r.purpose}\n  {r.url}")
        return 0

    failures = 0
    total_bytes, start = 0, time.perf_counter()
    for name in _names(args):
        if args.command == "prefetch":
            t0 = time.perf_counter()
            try:
                fetch(name)
            except (DatasetUnavailableError, DataIntegrityError) as err:
                failures += 1
                print(f"FAILED  {name}: {err}")
                continue
            total_bytes += REGISTRY[name].size_bytes
            print(f"ok      {name} ({time.perf_counter() - t0:.1f} s)")
        else:
            status = verify(name)
            failures += not status.ok
            print(f"{'ok     ' if status.ok else 'MISSING' if status.detail == 'missing' else 'BAD    '} "
                  f"{name}: {status.detail}")
    if args.command == "prefetch":
        print(f"prefetched {total_bytes / 1e6:.1f} MB in {time.perf_counter() - start:.1f} s; "
              f"{failures} failed")
    else:
        print(f"{failures} problem(s)" if failures else "everything is in place")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
