"""run"""

import sys


def skip_iri_grammar() -> None:
    """Keep jsonschema from compiling an IRI grammar when nbformat imports it (about 1.5 s).

    With ``rfc3987-syntax`` installed (JupyterLab's ``jupyter-events`` brings it), importing
    jsonschema builds that package's Lark parser, for the ``iri`` format checks only; nothing a
    ``workbook`` command runs checks that format. Called first by the command's processes (the
    ``workbook`` command and the batch workers), never in a kernel.
    """
    sys.modules.setdefault("rfc3987_syntax", None)  # `import rfc3987_syntax` raises ImportError
