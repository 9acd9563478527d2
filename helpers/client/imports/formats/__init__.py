"""One module per platform; each exposes ``FORMATS``, the export layouts it reads."""
