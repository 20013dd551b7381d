"""Imports every converter module so that it registers itself (one line per
dataset; keep the list sorted)."""
