"""Compatibility tests against a foreign CloudCX-compatible server (not cloudcx.testing)."""
