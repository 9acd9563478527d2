"""What each notebook shows: one module per step, one function per section.

A section function takes the open ``Run`` (and what the step computed) and returns a
``Block`` of headings, tables, charts and generated sentences in the run's language.
"""
