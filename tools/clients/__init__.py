"""Test clients besides the demo, each a seeded world and the files it is written to."""
