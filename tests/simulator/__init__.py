"""Tests of the CloudCX simulator (``cloudcx.testing``), over real HTTP on 127.0.0.1."""
