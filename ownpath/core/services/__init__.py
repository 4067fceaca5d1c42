"""Named write operations of core. Views, API endpoints and commands call these; they never write models."""
