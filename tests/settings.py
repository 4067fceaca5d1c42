"""The settings the test suite runs with: ownpath's own, in the ``test`` environment."""

import os

os.environ["OWNPATH_ENV"] = "test"

from ownpath.settings import *  # noqa: F403
