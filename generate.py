"""Build the whole catalogue from the bundled lessons into dist/ (same as `kit build`)."""
import sys

from kit.cli import main

if __name__ == "__main__":
    sys.exit(main(["build", *sys.argv[1:]]))
