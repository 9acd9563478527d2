"""The demo client (Atelier Sève): a seeded world and the files it is written to."""
