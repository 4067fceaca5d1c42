"""ownpath: software for the organisations that bring migrants and refugees into legal, lasting work."""
