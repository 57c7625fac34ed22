"""Workshop schedules built from planned minutes and the measured run times.

    python scripts/make_schedule.py            writes book/_generated/schedule.md
    python scripts/make_schedule.py --check    exits 1 if it is out of date

The instructor guide includes the page it writes: a table of minutes per chapter (teaching and
exercises from ``book/instructor/minutes.yml``, the notebook's run time from the measured status
table ``utils/benchmarks.json``, rounded up to whole minutes) and the schedules that
``minutes.yml`` lists, with clock times. ``make bench`` regenerates it with the new run times.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
MINUTES = ROOT / "book" / "instructor" / "minutes.yml"
STATUS = ROOT / "utils" / "benchmarks.json"
OUT = ROOT / "book" / "_generated" / "schedule.md"


def chapter_minutes(plan: dict, status: dict) -> dict[str, dict]:
    """Per chapter: title, teach, run (measured, whole minutes), exercises and total minutes."""
    measured = {r["notebook"]: r.get("seconds_at_reference", r["seconds"]) for r in status["notebooks"]}
    table = {}
    for stem, entry in plan["chapters"].items():
        if stem not in measured:
            raise ValueError(f"{stem} has no measured run time in the status table: run make bench")
        run = max(1, math.ceil(measured[stem] / 60))
        table[stem] = {**entry, "seconds": measured[stem], "run": run,
                       "total": entry["teach"] + run + entry["exercises"]}
    missing = set(measured) - set(table)
    if missing:
        raise ValueError(f"minutes.yml plans no minutes for {sorted(missing)}")
    return table


def schedule(items: list[dict], chapters: dict[str, dict]) -> list[tuple[str, int]]:
    """(what, minutes) for each item of a schedule."""
    rows = []
    for item in items:
        if "chapter" in item:
            c = chapters[item["chapter"]]
            rows.append((f"{c['title']} (teach {c['teach']}, run {c['run']}, exercises "
                         f"{c['exercises']} min)", c["total"]))
        elif "show" in item:
            c = chapters[item["show"]]
            if item["minutes"] < c["run"]:
                raise ValueError(f"showing {item['show']} takes at least its run time ({c['run']} min)")
            rows.append((f"{c['title']}, shown on the projector (includes its {c['run']}-minute run; "
                         "exercises as homework)", item["minutes"]))
        else:
            rows.append((item["block"], item["minutes"]))
    return rows


def render(plan: dict, status: dict) -> str:
    chapters = chapter_minutes(plan, status)
    machine = status.get("machine", {})
    lines = [
        "| chapter | teach (min) | run all cells (measured) | exercises (min) | total (min) |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for c in chapters.values():
        lines.append(f"| {c['title']} | {c['teach']} | {c['seconds']:.0f} s → {c['run']} min | "
                     f"{c['exercises']} | {c['total']} |")
    lines += ["", f"Run times: the course's status table, measured on {machine.get('date', '?')} on "
              f"a {machine.get('cpus', '?')}-core CPU machine (`make bench`); "
              "`python -m utils.doctor` predicts them for your machines.", ""]
    for name, sched in plan["schedules"].items():
        rows = schedule(sched["items"], chapters)
        total = sum(m for _, m in rows)
        if total > sched["limit"]:
            raise ValueError(f"{name} takes {total} min, more than its {sched['limit']}")
        clock = dt.datetime.combine(dt.date(2000, 1, 1), dt.time.fromisoformat(sched["start"]))
        lines += [f"### {sched['title']}", "", "| time | what | minutes |", "| --- | --- | ---: |"]
        for what, minutes in rows:
            lines.append(f"| {clock:%H:%M} | {what} | {minutes} |")
            clock += dt.timedelta(minutes=minutes)
        lines += [f"| {clock:%H:%M} | end ({total} min in all) | |", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the page is out of date")
    args = parser.parse_args(argv)
    text = render(yaml.safe_load(MINUTES.read_text()), json.loads(STATUS.read_text()))
    if args.check:
        if not OUT.exists() or OUT.read_text() != text:
            print(f"out of date: {OUT.relative_to(ROOT)} (run python scripts/make_schedule.py)")
            return 1
        return 0
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(text)
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
