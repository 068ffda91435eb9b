"""`python -m spoorwijzer` doet hetzelfde als het commando `spoorwijzer`."""

from spoorwijzer.cli import main

if __name__ == "__main__":
    main()
