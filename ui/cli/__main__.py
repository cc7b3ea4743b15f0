"""`python -m ui.cli …`, the same as `policy-assistant …`."""
from ui.cli import main

main()
