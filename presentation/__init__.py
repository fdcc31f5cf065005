"""What more than one interface shows: descriptions of facts, error messages, charts, PROV export."""
