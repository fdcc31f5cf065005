"""Read models kept from the event log, and the queries that answer from them."""
