"""The web page of ``paradip serve``: ties through time, actors, pairs, facts with their quotes, and the JSON API."""
