"""Tests: deliverables."""
