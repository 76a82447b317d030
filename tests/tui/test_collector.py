"""Full garbage collections wait for a learner who reads: held back while the app runs, run
by the app when no key came for a while and no worker runs, given back after."""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Iterator
from functools import partial

import pytest
from tui_helpers import Maker, drive, press

import quizdl.tui.app as app_module
import quizdl.tui.collector as collector_module
from quizdl.tui.app import make_app
from quizdl.tui.collector import NEVER, IdleCollector
from quizdl.tui.config import AppSettings


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


@pytest.fixture
def thresholds() -> Iterator[tuple[int, int, int]]:
    """The interpreter's thresholds, put back after the test whatever it did."""
    saved = gc.get_threshold()
    yield saved
    gc.set_threshold(*saved)


def old_garbage() -> weakref.ref[Node]:
    """A reference cycle that reached the oldest generation before it was dropped: only a
    full collection frees it."""
    a, b = Node(), Node()
    a.other, b.other = b, a
    gc.collect(1)
    gc.collect(1)  # survived twice: now in the oldest generation
    return weakref.ref(a)


def middle_collections(n: int) -> None:
    for _ in range(n):
        gc.collect(1)


def test_install_holds_back_full_collections_and_uninstall_gives_them_back(
    thresholds: tuple[int, int, int],
) -> None:
    collector = IdleCollector()
    collector.install()
    collector.install()  # twice: still one set of thresholds to give back
    assert gc.get_threshold() == (thresholds[0], thresholds[1], NEVER)
    assert collector.due_after == thresholds[2]
    collector.uninstall()
    assert gc.get_threshold() == thresholds
    collector.uninstall()
    assert gc.get_threshold() == thresholds


def test_a_full_collection_runs_only_when_the_learner_reads_and_the_study_is_idle(
    thresholds: tuple[int, int, int],
) -> None:
    clock = Clock()
    collector = IdleCollector(clock)
    collector.install()
    try:
        garbage = old_garbage()
        middle_collections(collector.due_after)
        assert garbage() is not None  # the young generations' collections left it

        collector.touched()
        clock.now += collector_module.IDLE_S / 2
        assert not collector.collect_if_due(busy=False)  # a key came just now
        clock.now += collector_module.IDLE_S
        assert not collector.collect_if_due(busy=True)  # an answer is being committed
        assert garbage() is not None and collector.collections == 0

        assert collector.collect_if_due(busy=False)
        assert garbage() is None
        assert gc.get_count()[2] == 0 and collector.collections == 1
        assert not collector.collect_if_due(busy=False)  # nothing due until the next ones
        middle_collections(collector.due_after - 1)
        assert not collector.collect_if_due(busy=False)
        middle_collections(1)
        assert collector.collect_if_due(busy=False)
    finally:
        collector.uninstall()


def test_no_collection_while_the_collector_is_switched_off(
    thresholds: tuple[int, int, int],
) -> None:
    clock = Clock()
    collector = IdleCollector(clock)
    middle_collections(collector.due_after)
    clock.now += 2 * collector_module.IDLE_S
    gc.disable()
    try:
        assert not collector.collect_if_due(busy=False)
    finally:
        gc.enable()


@drive
async def test_the_app_collects_while_idle_and_gives_the_thresholds_back(
    maker: Maker, monkeypatch: pytest.MonkeyPatch, thresholds: tuple[int, int, int]
) -> None:
    monkeypatch.setattr(collector_module, "IDLE_S", 0.1)
    monkeypatch.setattr(app_module, "CHECK_EVERY_S", 0.05)
    app = make_app(AppSettings(), partial(maker.open), config_path=maker.config_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.1)
        assert gc.get_threshold() == (thresholds[0], thresholds[1], NEVER)
        await press(pilot, "r")
        # Not while a worker runs (the opening, a study call, the dashboard's figures).
        release = threading.Event()
        app.run_worker(partial(release.wait, 30), thread=True)
        before = app.collector.collections
        garbage = old_garbage()
        middle_collections(app.collector.due_after)
        await pilot.pause(0.4)
        assert garbage() is not None and app.collector.collections == before
        release.set()
        await pilot.pause(0.05)
        garbage = old_garbage()
        middle_collections(app.collector.due_after)
        for _ in range(100):
            if garbage() is None:
                break
            await pilot.pause(0.05)
        assert garbage() is None
        assert app.collector.collections > before
    assert gc.get_threshold() == thresholds
