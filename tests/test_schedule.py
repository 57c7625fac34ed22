"""Workshop schedules: minutes per chapter trace to the measured status table."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
import yaml

from scripts import make_schedule

ROOT = Path(__file__).resolve().parents[1]
PLAN = yaml.safe_load(make_schedule.MINUTES.read_text())
STATUS = json.loads(make_schedule.STATUS.read_text())


def test_schedule_page_is_up_to_date():
    assert make_schedule.main(["--check"]) == 0, "run: python scripts/make_schedule.py"


def test_run_minutes_are_the_measured_ones():
    table = make_schedule.chapter_minutes(PLAN, STATUS)
    for row in STATUS["notebooks"]:
        entry = table[row["notebook"]]
        seconds = row.get("seconds_at_reference", row["seconds"])  # at the reference machine's speed
        assert entry["run"] == max(1, math.ceil(seconds / 60))
        assert entry["total"] == entry["teach"] + entry["run"] + entry["exercises"]
        assert f"{seconds:.0f} s → {entry['run']} min" in make_schedule.OUT.read_text()


def test_both_schedules_fit_their_time_and_the_three_hour_one_is_three_hours():
    text = make_schedule.render(PLAN, STATUS)
    assert "### A 3-hour session" in text and "### A full day" in text
    for sched in PLAN["schedules"].values():
        total = sum(m for _, m in make_schedule.schedule(sched["items"], make_schedule.chapter_minutes(PLAN, STATUS)))
        assert total <= sched["limit"]
    assert PLAN["schedules"]["three_hours"]["limit"] == 180


def test_a_schedule_that_overruns_or_misses_a_chapter_is_refused():
    slow = json.loads(json.dumps(STATUS))
    slow["notebooks"][0]["seconds"] = slow["notebooks"][0]["seconds_at_reference"] = 100 * 60
    with pytest.raises(ValueError, match="more than its"):
        make_schedule.render(PLAN, slow)
    partial = {"chapters": dict(list(PLAN["chapters"].items())[:-1]), "schedules": {}}
    with pytest.raises(ValueError, match="plans no minutes"):
        make_schedule.chapter_minutes(partial, STATUS)
