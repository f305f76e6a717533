"""The catalog's units as procurement systems name them: ISO codes in SAP's OCI, UN/CEFACT
Recommendation 20 codes in cXML (what Ariba and Coupa map to their units of measure)."""

from tandem.catalog.models import Unit

OCI_UNITS = {
    Unit.PIECE: "PCE",
    Unit.PACK: "PK",
    Unit.BOX: "BX",
    Unit.SET: "SET",
    Unit.METRE: "MTR",
    Unit.KILOGRAM: "KGM",
    Unit.LITRE: "LTR",
}
CXML_UNITS = {**OCI_UNITS, Unit.PIECE: "EA"}


def oci_unit(unit: str) -> str:
    return OCI_UNITS.get(unit, "PCE")


def cxml_unit(unit: str) -> str:
    return CXML_UNITS.get(unit, "EA")
