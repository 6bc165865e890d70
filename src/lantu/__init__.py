"""Lantu (蓝图): carry out and check a city's development blueprint.

Layers (see DESIGN.md): ``domain`` → ``ingest`` → ``store`` → ``engine``/``analysis`` →
``supervise``/``reports``/``web``/``cli``. The engine and analysis never import the store or the web.
"""

__version__ = "0.1.0"
