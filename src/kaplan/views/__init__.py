"""Views: how command results are shown (rich tables, CSV, JSON, Markdown). They format, never compute."""
