"""The application: the one object every interface (the CLI, the web page, scripts) calls, and its wiring."""
