"""Writing results: files that appear whole or not at all, result folders, provenance."""
