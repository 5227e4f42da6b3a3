"""Worked examples: every figure below is counted by hand in the comment above it.

Calendar unless stated: Europe/Copenhagen, Monday–Friday 08:00–16:00 (480 minutes a day),
holidays "DK". Monday 2 March 2026 is the reference week (CET, +01:00).
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from faelles.sla.calendar import business_calendar
from faelles.sla.io import parse_calendar
from faelles.sla.tests.builders import (
    EVERY_DAY_8_16,
    ROUND_THE_CLOCK,
    calendar,
    clocks,
    ev,
    ticket,
)


def test_response_met_same_day_and_resolution_due_two_days_later() -> None:
    data = ticket(
        ev("2026-03-02T09:00:00+01:00", "opened"), ev("2026-03-02T09:45:00+01:00", "responded")
    )

    out = clocks(data)

    # 09:00–09:45 = 45. Resolution 960 from Mon 09:00: Mon 420 + Tue 480 = 900, Wed 08:00 + 60.
    assert out == {
        "id": "T-1",
        "response": {"elapsed_minutes": 45, "due": None, "met": True, "target_minutes": 60},
        "resolution": {
            "elapsed_minutes": 45,
            "paused_minutes": 0,
            "due": "2026-03-04T09:00:00+01:00",
            "met": None,
            "target_minutes": 960,
        },
    }


def test_response_across_the_night_is_missed() -> None:
    data = ticket(
        ev("2026-03-02T15:30:00+01:00", "opened"), ev("2026-03-03T08:45:00+01:00", "responded")
    )

    out = clocks(data)

    # Mon 15:30–16:00 = 30, Tue 08:00–08:45 = 45.
    assert out["response"] == {
        "elapsed_minutes": 75,
        "due": None,
        "met": False,
        "target_minutes": 60,
    }


def test_weekend_does_not_count_and_resolved_stops_both_clocks() -> None:
    data = ticket(
        ev("2026-03-06T15:00:00+01:00", "opened"), ev("2026-03-09T10:00:00+01:00", "resolved")
    )

    out = clocks(data)

    # Fri 15:00–16:00 = 60, Mon 08:00–10:00 = 120; the response clock stops at the first resolved.
    assert out["response"] == {
        "elapsed_minutes": 180,
        "due": None,
        "met": False,
        "target_minutes": 60,
    }
    assert out["resolution"] == {
        "elapsed_minutes": 180,
        "paused_minutes": 0,
        "due": None,
        "met": True,
        "target_minutes": 960,
    }


def test_easter_2026_holidays_do_not_count() -> None:
    # Wed 1 April 15:30; Maundy Thursday 2/4, Good Friday 3/4, the weekend, Easter Monday 6/4.
    data = ticket(
        ev("2026-04-01T15:30:00+02:00", "opened"), ev("2026-04-07T08:10:00+02:00", "responded")
    )

    out = clocks(data)

    # 30 + 10 = 40. Resolution: 920 left at Tue 08:10; Tue 470, 450 left → Wed 8/4 15:30.
    assert out["response"]["elapsed_minutes"] == 40
    assert out["resolution"]["due"] == "2026-04-08T15:30:00+02:00"


def test_christmas_eve_is_a_working_day_unless_closed() -> None:
    events = (
        ev("2026-12-23T14:00:00+01:00", "opened"),
        ev("2026-12-28T09:00:00+01:00", "resolved"),
    )

    # 24 December is not a public holiday: Wed 120 + Thu 24/12 480 + (25/12, 26/12, Sun) + Mon 60.
    assert clocks(ticket(*events))["resolution"]["elapsed_minutes"] == 660
    # Closed on the 24th: 120 + 60.
    closed = calendar(closed=["2026-12-24"])
    assert clocks(ticket(*events, cal=closed))["resolution"]["elapsed_minutes"] == 180


def test_constitution_day_is_a_working_day_under_dk_and_closed_when_listed() -> None:
    # Friday 5 June 2026 (Grundlovsdag) is not among the public holidays the package gives.
    day = (ev("2026-06-05T08:00:00+02:00", "opened"), ev("2026-06-05T12:00:00+02:00", "responded"))
    assert clocks(ticket(*day))["response"]["elapsed_minutes"] == 240

    over = (ev("2026-06-04T15:00:00+02:00", "opened"), ev("2026-06-08T08:30:00+02:00", "responded"))
    # Thu 60 + Fri 480 + Mon 30 = 570; closed on the 5th: 60 + 30 = 90.
    assert clocks(ticket(*over))["response"]["elapsed_minutes"] == 570
    assert (
        clocks(ticket(*over, cal=calendar(closed=["2026-06-05"])))["response"]["elapsed_minutes"]
        == 90
    )
    # The same with an explicit holiday list instead of "DK".
    listed = calendar(holidays=["2026-06-05"])
    assert clocks(ticket(*over, cal=listed))["response"]["elapsed_minutes"] == 90


def test_great_prayer_day_counts_only_until_its_abolition() -> None:
    # Store Bededag, Friday 5 May 2023, was a public holiday; Friday 26 April 2024 was not.
    y2023 = (
        ev("2023-05-04T15:00:00+02:00", "opened"),
        ev("2023-05-08T09:00:00+02:00", "responded"),
    )
    y2024 = (
        ev("2024-04-25T15:00:00+02:00", "opened"),
        ev("2024-04-29T09:00:00+02:00", "responded"),
    )

    assert clocks(ticket(*y2023))["response"]["elapsed_minutes"] == 60 + 60
    assert clocks(ticket(*y2024))["response"]["elapsed_minutes"] == 60 + 480 + 60


def test_pause_stops_resolution_not_response() -> None:
    data = ticket(
        ev("2026-03-02T08:00:00+01:00", "opened"),
        ev("2026-03-02T08:10:00+01:00", "paused"),
        ev("2026-03-02T09:00:00+01:00", "resumed"),
        ev("2026-03-02T09:30:00+01:00", "responded"),
    )

    out = clocks(data)

    # Response runs through the pause: 90. Resolution: 10 + 30 = 40, paused 50.
    assert out["response"] == {
        "elapsed_minutes": 90,
        "due": None,
        "met": False,
        "target_minutes": 60,
    }
    assert out["resolution"]["elapsed_minutes"] == 40
    assert out["resolution"]["paused_minutes"] == 50
    # 920 left at 09:30: Mon 390, Tue 480, Wed 08:00 + 50.
    assert out["resolution"]["due"] == "2026-03-04T08:50:00+01:00"


def test_pause_over_night_and_resolution_met() -> None:
    data = ticket(
        ev("2026-03-02T08:00:00+01:00", "opened"),
        ev("2026-03-02T08:30:00+01:00", "responded"),
        ev("2026-03-02T10:00:00+01:00", "paused"),
        ev("2026-03-03T09:00:00+01:00", "resumed"),
        ev("2026-03-03T12:00:00+01:00", "resolved"),
    )

    out = clocks(data)

    # 120 + 180 = 300 running; paused Mon 10:00–16:00 360 + Tue 08:00–09:00 60 = 420.
    assert out["resolution"] == {
        "elapsed_minutes": 300,
        "paused_minutes": 420,
        "due": None,
        "met": True,
        "target_minutes": 960,
    }


def test_paused_clock_has_no_due_and_counts_paused_minutes_to_at() -> None:
    data = ticket(
        ev("2026-03-02T08:00:00+01:00", "opened"), ev("2026-03-02T10:00:00+01:00", "paused")
    )

    assert clocks(data)["resolution"] == {
        "elapsed_minutes": 120,
        "paused_minutes": 0,
        "due": None,
        "met": None,
        "target_minutes": 960,
    }
    later = clocks(data, at=datetime.fromisoformat("2026-03-02T11:00:00+01:00"))
    assert later["resolution"]["paused_minutes"] == 60
    # The response clock keeps running to ``at``: 180 minutes, due (in the past) at 09:00.
    assert later["response"] == {
        "elapsed_minutes": 180,
        "due": "2026-03-02T09:00:00+01:00",
        "met": None,
        "target_minutes": 60,
    }


def test_resolved_while_paused_ends_the_pause() -> None:
    data = ticket(
        ev("2026-03-02T08:00:00+01:00", "opened"),
        ev("2026-03-02T09:00:00+01:00", "paused"),
        ev("2026-03-02T11:00:00+01:00", "resolved"),
    )

    out = clocks(data)["resolution"]

    assert (out["elapsed_minutes"], out["paused_minutes"], out["met"]) == (60, 120, True)


def test_reopened_clock_runs_on_from_its_elapsed_time() -> None:
    data = ticket(
        ev("2026-03-02T08:00:00+01:00", "opened"),
        ev("2026-03-02T10:00:00+01:00", "resolved"),
        ev("2026-03-03T09:00:00+01:00", "reopened"),
    )

    out = clocks(data)

    # Response stopped at the first resolved (120 > 60) and stays stopped after reopening.
    assert out["response"] == {
        "elapsed_minutes": 120,
        "due": None,
        "met": False,
        "target_minutes": 60,
    }
    # 840 left from Tue 09:00: Tue 420, Wed 08:00 + 420 = 15:00.
    assert out["resolution"] == {
        "elapsed_minutes": 120,
        "paused_minutes": 0,
        "due": "2026-03-04T15:00:00+01:00",
        "met": None,
        "target_minutes": 960,
    }

    again = clocks(ticket(*data["events"], ev("2026-03-03T10:30:00+01:00", "resolved")))
    assert again["resolution"]["elapsed_minutes"] == 120 + 90
    assert again["resolution"]["met"] is True


def test_targets_change_keeps_elapsed_time() -> None:
    data = ticket(
        ev("2026-03-02T08:00:00+01:00", "opened"),
        ev("2026-03-02T10:00:00+01:00", "targets", resolution_minutes=240),
        ev("2026-03-02T11:00:00+01:00", "responded"),
    )

    out = clocks(data)

    # 180 elapsed of the new 240: due at 12:00; the response target is unchanged.
    assert out["resolution"]["elapsed_minutes"] == 180
    assert out["resolution"]["due"] == "2026-03-02T12:00:00+01:00"
    assert out["resolution"]["target_minutes"] == 240
    assert out["response"]["met"] is False


def test_target_lowered_below_elapsed_gives_a_due_in_the_past() -> None:
    data = ticket(
        ev("2026-03-02T08:00:00+01:00", "opened"),
        ev("2026-03-02T09:00:00+01:00", "paused"),
        ev("2026-03-02T14:00:00+01:00", "resumed"),
        ev("2026-03-02T15:00:00+01:00", "targets", resolution_minutes=90),
    )

    out = clocks(data)["resolution"]

    # 60 before the pause + 60 after = 120 ≥ 90: the 90th minute ended at 14:30.
    assert (out["elapsed_minutes"], out["due"], out["met"]) == (
        120,
        "2026-03-02T14:30:00+01:00",
        None,
    )


def test_response_target_change_after_response_does_not_change_met() -> None:
    data = ticket(
        ev("2026-03-02T08:00:00+01:00", "opened"),
        ev("2026-03-02T08:50:00+01:00", "responded"),
        ev("2026-03-02T09:00:00+01:00", "targets", response_minutes=30),
    )

    assert clocks(data)["response"] == {
        "elapsed_minutes": 50,
        "due": None,
        "met": True,
        "target_minutes": 60,
    }


def test_due_in_the_past_when_the_target_was_reached_before_the_last_event() -> None:
    data = ticket(
        ev("2026-03-02T08:00:00+01:00", "opened"),
        ev("2026-03-03T08:00:00+01:00", "targets", resolution_minutes=300),
    )

    out = clocks(data)

    assert out["response"]["due"] == "2026-03-02T09:00:00+01:00"
    assert out["resolution"]["due"] == "2026-03-02T13:00:00+01:00"
    assert out["resolution"]["elapsed_minutes"] == 480


def test_resolution_missed() -> None:
    data = ticket(
        ev("2026-03-02T08:00:00+01:00", "opened"),
        ev("2026-03-04T10:00:00+01:00", "resolved"),
        resolution=960,
    )

    # 480 + 480 + 120 = 1080 > 960.
    out = clocks(data)["resolution"]
    assert (out["elapsed_minutes"], out["met"]) == (1080, False)


def test_exactly_on_target_is_met() -> None:
    data = ticket(
        ev("2026-03-02T08:00:00+01:00", "opened"), ev("2026-03-02T09:00:00+01:00", "responded")
    )

    assert clocks(data)["response"]["met"] is True


def test_times_in_utc_are_answered_in_the_calendars_zone() -> None:
    data = ticket(ev("2026-03-02T08:00:00Z", "opened"))

    # 09:00 local; response 60 → 10:00+01:00.
    assert clocks(data)["response"]["due"] == "2026-03-02T10:00:00+01:00"


# -- daylight saving (Europe/Copenhagen: 29 March 2026 02:00→03:00, 25 October 03:00→02:00) --


@pytest.mark.parametrize(
    ("hours", "day", "minutes"),
    [
        (["08:00", "16:00"], date(2026, 3, 29), 480),
        (["08:00", "16:00"], date(2026, 10, 25), 480),
        (["00:00", "24:00"], date(2026, 3, 29), 1380),
        (["00:00", "24:00"], date(2026, 10, 25), 1500),
        (["00:00", "24:00"], date(2026, 3, 28), 1440),
        (["01:00", "05:00"], date(2026, 3, 29), 180),
        (["01:00", "05:00"], date(2026, 10, 25), 300),
        # Starts inside the skipped hour: the first minute after 02:30 is 03:00 CEST.
        (["02:30", "16:00"], date(2026, 3, 29), 780),
        # Starts inside the repeated hour: 02:30–03:00 CEST (30) and 02:30 CET–16:00 (810).
        (["02:30", "16:00"], date(2026, 10, 25), 840),
        # Ends inside the skipped hour: 01:00–02:00 CET, then the day's hours are over.
        (["01:00", "02:30"], date(2026, 3, 29), 60),
    ],
)
def test_daylight_saving_days_count_real_minutes_of_local_hours(
    hours: list[str], day: date, minutes: int
) -> None:
    cal = parse_calendar(calendar(hours={"sat": hours, "sun": hours}, holidays=[]))

    assert business_calendar(cal).open_minutes(day) == minutes


def test_round_the_clock_over_spring_forward_and_fall_back() -> None:
    cal = calendar(hours=ROUND_THE_CLOCK, holidays=[])
    spring = ticket(
        ev("2026-03-29T00:00:00+01:00", "opened"),
        ev("2026-03-30T00:00:00+02:00", "resolved"),
        cal=cal,
    )
    autumn = ticket(
        ev("2026-10-25T00:00:00+02:00", "opened"),
        ev("2026-10-26T00:00:00+01:00", "resolved"),
        cal=cal,
    )

    assert clocks(spring)["resolution"]["elapsed_minutes"] == 23 * 60
    assert clocks(autumn)["resolution"]["elapsed_minutes"] == 25 * 60


def test_due_across_the_spring_change_is_given_in_summer_time() -> None:
    data = ticket(ev("2026-03-27T15:00:00+01:00", "opened"), resolution=480)

    # Fri 60; Mon 30 March (CEST) 08:00 + 420 = 15:00+02:00.
    assert clocks(data)["resolution"]["due"] == "2026-03-30T15:00:00+02:00"


def test_sunday_hours_on_the_change_day_count_local_hours() -> None:
    cal = calendar(hours=EVERY_DAY_8_16, holidays=[])
    data = ticket(
        ev("2026-03-28T15:00:00+01:00", "opened"),
        ev("2026-03-30T08:00:00+02:00", "responded"),
        cal=cal,
    )

    # Sat 60 + Sun 29 March 08:00–16:00 CEST 480.
    assert clocks(data)["response"]["elapsed_minutes"] == 540


# -- the minute rule: a minute counts when its start lies inside the hours and the span ------


@pytest.mark.parametrize(
    ("opened", "responded", "minutes"),
    [
        # The minute 15:59 started before the clock ran; 16:00 is closed; Tue 08:00 counts.
        ("2026-03-02T15:59:30+01:00", "2026-03-03T08:00:30+01:00", 1),
        ("2026-03-02T15:59:00+01:00", "2026-03-03T08:00:30+01:00", 2),
        ("2026-03-02T16:00:00+01:00", "2026-03-03T08:00:00+01:00", 0),
        ("2026-03-02T15:59:00+01:00", "2026-03-02T16:00:00+01:00", 1),
        ("2026-03-02T15:59:30+01:00", "2026-03-02T16:00:00+01:00", 0),
        ("2026-03-02T07:59:59+01:00", "2026-03-02T08:00:01+01:00", 1),
        ("2026-03-02T08:00:00+01:00", "2026-03-02T08:00:00+01:00", 0),
    ],
)
def test_minute_counts_when_its_start_lies_inside_hours_and_span(
    opened: str, responded: str, minutes: int
) -> None:
    data = ticket(ev(opened, "opened"), ev(responded, "responded"))

    assert clocks(data)["response"]["elapsed_minutes"] == minutes


def test_a_full_day_counts_480_minutes() -> None:
    data = ticket(
        ev("2026-03-02T00:00:00+01:00", "opened"), ev("2026-03-03T00:00:00+01:00", "resolved")
    )

    assert clocks(data)["resolution"]["elapsed_minutes"] == 480


def test_due_is_the_end_of_the_target_th_minute() -> None:
    # Opened 09:00:30: the first minute that counts is 09:01, the 60th ends at 10:01.
    data = ticket(ev("2026-03-02T09:00:30+01:00", "opened"))

    assert clocks(data)["response"]["due"] == "2026-03-02T10:01:00+01:00"


def test_zero_target_is_due_at_opening() -> None:
    data = ticket(ev("2026-03-02T09:00:00+01:00", "opened"), response=0)

    assert clocks(data)["response"]["due"] == "2026-03-02T09:00:00+01:00"


def test_split_hours_skip_the_lunch_break() -> None:
    hours = {"mon": [["08:00", "12:00"], ["12:30", "16:00"]]}
    data = ticket(
        ev("2026-03-02T11:30:00+01:00", "opened"),
        ev("2026-03-02T13:00:00+01:00", "responded"),
        cal=calendar(hours=hours),
    )

    assert clocks(data)["response"]["elapsed_minutes"] == 30 + 30


def test_design_document_example() -> None:
    # docs/design/servicedesk.md, "Input" and "Output".
    hours = {d: ["08:00", "16:00"] for d in ("mon", "tue", "wed", "thu")}
    hours["fri"] = [["08:00", "12:00"], ["12:30", "15:30"]]
    data = ticket(
        ev("2026-03-02T09:15:00+01:00", "opened"),
        ev("2026-03-02T09:40:00+01:00", "responded"),
        ev("2026-03-02T10:00:00+01:00", "targets", resolution_minutes=480),
        ev("2026-03-02T11:00:00+01:00", "paused"),
        ev("2026-03-03T09:00:00+01:00", "resumed"),
        ev("2026-03-03T12:00:00Z", "resolved"),
        cal=calendar(hours=hours, closed=["2026-12-24"]),
    )

    assert clocks(data) == {
        "id": "T-1",
        "response": {"elapsed_minutes": 25, "due": None, "met": True, "target_minutes": 60},
        "resolution": {
            "elapsed_minutes": 345,
            "paused_minutes": 360,
            "due": None,
            "met": True,
            "target_minutes": 480,
        },
    }
