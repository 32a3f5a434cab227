"""The package's own tests: they use the plugin the installed package registers, and
pytester to run pytest sessions of their own (xdist workers, a killed worker)."""

pytest_plugins = ["pytester"]
