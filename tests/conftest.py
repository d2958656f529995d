"""The local server's pytest fixtures, used the way SDK users enable them."""

pytest_plugins = ["recallrai.local.pytest_plugin"]
