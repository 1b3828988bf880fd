"""Completion reports, aggregates, dashboards and their exports (CSV, XLSX, PDF summary)."""
