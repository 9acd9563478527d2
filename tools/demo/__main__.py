"""``python -m tools.demo``: write the demo client's data."""

from tools.demo.generate import main

main()
