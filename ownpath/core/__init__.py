"""What every ownpath deployment has: organisations, people, consent, audit, the module registry."""
