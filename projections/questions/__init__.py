"""The questions Paradip answers, one module per subject, each a mixin of the application over a read session."""
