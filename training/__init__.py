"""Synthetic report generation, renderers and training (installed as gxml.training)."""
