"""Web import of platform exports into a cycle's metrics: upload → preview → commit."""
