"""The edges people touch: the command line (ui/cli/), the web app and the HTTP API. Only
wiring lives here: they share ui/services.py, and ui/errors.py turns typed errors into exit
codes, HTTP statuses and messages."""
