# The fixtures recallrai_local, recallrai_local_async, recallrai_local_factory and
# recallrai_local_server, and the @pytest.mark.recallrai(...) marker.
pytest_plugins = ["recallrai.local.pytest_plugin"]
