"""`python -m congvan ARGS`: the same as the `congvan` console script."""

from congvan.cli import main

main()
