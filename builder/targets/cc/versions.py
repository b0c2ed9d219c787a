"""What differs between Common Cartridge 1.1 and 1.3: namespaces, type names, schema locations.

Everything else in the cartridge is version-neutral and comes from the same builder. Resource
kinds are named neutrally ("webcontent", "topic", "weblink", "assessment", "associated") and
mapped to the version's type names here.
"""

from __future__ import annotations

from dataclasses import dataclass

QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"


@dataclass(frozen=True)
class CcVersion:
    label: str  # "1.1"
    tag: str  # "v1p1", as it appears in namespaces and type names
    schemaversion: str  # three parts: Canvas refuses "1.1"

    @property
    def cp_ns(self) -> str:
        return f"http://www.imsglobal.org/xsd/imscc{self.tag}/imscp_v1p1"

    @property
    def lom_manifest_ns(self) -> str:
        return f"http://ltsc.ieee.org/xsd/imscc{self.tag}/LOM/manifest"

    @property
    def lom_resource_ns(self) -> str:
        return f"http://ltsc.ieee.org/xsd/imscc{self.tag}/LOM/resource"

    @property
    def topic_ns(self) -> str:
        return f"http://www.imsglobal.org/xsd/imscc{self.tag}/imsdt_{self.tag}"

    @property
    def weblink_ns(self) -> str:
        return f"http://www.imsglobal.org/xsd/imscc{self.tag}/imswl_{self.tag}"

    def profile_xsd(self, name: str) -> str:
        """Official location of a profile schema (``imscp_v1p2_v1p0`` -> …/ccv1p1_imscp_v1p2_v1p0.xsd)."""
        short = f"cc{self.tag}"
        if name.startswith("lom"):
            return f"http://www.imsglobal.org/profile/cc/{short}/LOM/{short}_{name}_v1p0.xsd"
        return f"http://www.imsglobal.org/profile/cc/{short}/{short}_{name}.xsd"

    def resource_type(self, kind: str) -> str:
        return {
            "webcontent": "webcontent",
            "topic": f"imsdt_xml{self.tag}",
            "weblink": f"imswl_xml{self.tag}",
            "assessment": f"imsqti_xmlv1p2/imscc_xml{self.tag}/assessment",
            "associated": f"associatedcontent/imscc_xml{self.tag}/learning-application-resource",
        }[kind]


CC11 = CcVersion(label="1.1", tag="v1p1", schemaversion="1.1.0")
CC13 = CcVersion(label="1.3", tag="v1p3", schemaversion="1.3.0")
