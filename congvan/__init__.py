"""The `congvan` command: the one package above the three stages (ingest → index → webui).

It reads flags and the environment, wires the stages together and maps errors to exit codes;
`congvan.cli:main` is the console script.
"""
