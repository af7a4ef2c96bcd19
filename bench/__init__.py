"""Benchmarks of the cloudcx client: `make bench` (or `python -m bench`) prints and saves them.

Each figure is a ratio against a baseline measured in the same run, interleaved with it and
taken as a median of several repetitions, so that a noisy machine moves both sides alike. The
simulator runs in its own process, so that client and server never share an interpreter lock.
A benchmark reports; it does not assert. See bench/README.md.
"""
