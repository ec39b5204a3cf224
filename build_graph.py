#!/usr/bin/env python3
"""Build, check, query and explore the argument graph of a bill: run with --help."""

from graph.cli import main

if __name__ == "__main__":
    main()
