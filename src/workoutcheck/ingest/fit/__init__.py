"""FIT files: ``read.read_fit`` is the entry point; the rest is the fast numpy path behind it.

``walk`` finds the messages (``crc`` checks them), ``fast`` decodes the records at once,
``direct`` the other messages, ``splice`` cuts out what fitparse still reads, ``combined`` puts
the fast path together, ``messages`` is what both paths collect, and ``workout`` reads a FIT
workout file as a plan. Nothing is imported here, so a FIT submodule never pulls in fitparse.
"""
