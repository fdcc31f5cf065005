"""Adapters to the outside: store URLs, the event recorders, the event codec, the read side's database connection."""
