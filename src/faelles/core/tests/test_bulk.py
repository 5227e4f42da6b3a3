"""Helpers of the batch paths that need no database."""

import gc

from faelles.core.bulk import gc_paused


def test_the_collector_is_paused_inside_and_resumed_by_the_outermost_pause_only():
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_failing_batch_resumes_the_collector():
    try:
        with gc_paused():
            raise ValueError("refused")
    except ValueError:
        pass
    assert gc.isenabled()


def test_a_collector_paused_by_the_caller_stays_paused():
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
