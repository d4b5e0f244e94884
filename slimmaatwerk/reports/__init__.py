"""Reports made without Qt: the weekly summary per resident (facts, calm wording, PDF and HTML)."""
