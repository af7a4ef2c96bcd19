"""Checks of spec/cloudcx.yaml itself: validity, lint, reference docs, regeneration."""
