"""gdtui: gradient descent on linear regression, live in a terminal.

Importing the package is cheap: it pulls in neither Textual nor plotext. The
descent engine lives in :mod:`gdtui.engine`, the CSV loader in
:mod:`gdtui.data`, the command line in :mod:`gdtui.cli` and the terminal app in
:mod:`gdtui.app`.
"""

__version__ = "0.1.0"
