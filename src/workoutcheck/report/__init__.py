"""Renderers: turn results into text, tables and machine-readable formats."""
