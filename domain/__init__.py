"""The domain: aggregates that check commands and emit events, value objects, the application."""
