"""Entry point for ``python -m gdtui``."""

from gdtui.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
