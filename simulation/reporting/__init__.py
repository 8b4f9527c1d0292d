"""Reporting: tables with intervals, figures, and Markdown and HTML reports of results."""
