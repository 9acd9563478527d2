"""The second test client (Brightlane Analytics, UK B2B): a seeded world and the files it is written to."""
