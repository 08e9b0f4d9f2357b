"""The order WordprocessingML requires of the children of a paragraph's, a run's and a table's properties
(ECMA-376 Part 1, CT_PPr / CT_RPr / CT_TblPr). Word refuses or "repairs" a file whose properties are out of this
order, although LibreOffice reads it; python-docx's `append` puts a new element last, so every element the Word
output adds goes in through `insert_ordered`."""
from __future__ import annotations

P_PR = ("pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd tabs "
        "suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd "
        "snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
        "textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange").split()
R_PR = ("rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof snapToGrid "
        "vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd fitText vertAlign rtl cs "
        "em lang eastAsianLayout specVanish oMath").split()
TBL_PR = ("tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc tblCellSpacing "
          "tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption tblDescription tblPrChange").split()
ORDERS = {"pPr": P_PR, "rPr": R_PR, "tblPr": TBL_PR}


def local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def insert_ordered(parent, element) -> None:
    """Put `element` into `parent` (a pPr, rPr or tblPr) where the schema wants it, replacing one of its kind."""
    order = ORDERS[local_name(parent.tag)]
    name = local_name(element.tag)
    for old in [c for c in parent if local_name(c.tag) == name]:
        parent.remove(old)
    parent.insert_element_before(element, *[f"w:{t}" for t in order[order.index(name) + 1:]])
