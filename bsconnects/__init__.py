"""The integrator's command line and project configuration (``bsconnects.toml``).

This package runs on the integrator's machine (CPython), never in the browser: it reads a
project's configuration, serves it inside the simulator, tests and builds it. The Python that
runs in the agent's browser is ``integration.sdk`` and the integrator's own package.
"""
