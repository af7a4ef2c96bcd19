"""Fixtures for the pipeline's end-to-end tests: a simulator of 60 users per test."""

from __future__ import annotations

from tests.conftest import sim_of_60_users as sim

__all__ = ["sim"]
