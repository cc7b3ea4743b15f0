"""Gold sets, metrics and reports for measuring retrieval and answers."""
