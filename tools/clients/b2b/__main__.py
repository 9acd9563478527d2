"""``python -m tools.clients.b2b``: write the Brightlane client's data."""

from tools.clients.b2b.generate import main

main()
