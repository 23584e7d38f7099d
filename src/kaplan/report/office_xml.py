"""One XML parser for the parts of an Office file kaplan did not make (a company's `--template` deck).

An XML part may declare a DOCTYPE, and with it entities: an external one names a file or a URL
whose content the parser puts in its place (lxml's default parser did so before lxml 5, so a
template could copy a local file into every deck made on it), and nested internal ones multiply a
few bytes into gigabytes. No Office part needs either. `parse` reads every such part with `PARSER`,
which resolves no entity, loads no DTD, reaches no network and refuses documents nested deeper than
libxml2's default limit, and refuses outright a part that declares a DOCTYPE (`UnsafeXml`).
"""

from __future__ import annotations


class UnsafeXml(ValueError):
    """An XML part that declares a DOCTYPE (and so may declare entities)."""


_PARSER = None


def parser():
    """The hardened lxml parser every part kaplan did not make is read with (made once, on first use)."""
    global _PARSER
    if _PARSER is None:
        from lxml import etree

        _PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                                  huge_tree=False)
    return _PARSER


def parse(data: bytes):
    """The root element of `data`; lxml's XMLSyntaxError if it is not well-formed XML, `UnsafeXml` if
    it declares a DOCTYPE."""
    from lxml import etree

    root = etree.fromstring(data, parser())
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
        raise UnsafeXml("it declares a DOCTYPE (entities), which no Office part needs")
    return root
