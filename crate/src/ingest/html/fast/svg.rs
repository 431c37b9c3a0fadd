//! SVG in the fast path: an `<svg>` in the body and what it holds, as the tree builder's "foreign
//! content" rules insert it (names and attributes in SVG's own case, `xlink:`/`xml:`/`xmlns`
//! attributes in their namespaces, self-closing tags closed). A tag that would break out of SVG
//! into HTML, HTML inside `<foreignObject>`, `<desc>` or `<title>`, and an `<svg>` straight in a
//! table's rows are declined. The tables are html5ever's (tree_builder, `adjust_svg_tag_name`,
//! `adjust_svg_attributes`).

use markup5ever::{local_name, ns, Attribute, LocalName, QualName};

use super::{Builder, Content, Step};
use crate::ingest::html::dom::attribute_name;

impl Builder {
    pub(super) fn svg_element(
        &mut self,
        name: LocalName,
        attrs: Vec<Attribute>,
        self_closing: bool,
    ) -> Step<Content> {
        let (_, current, svg) = self.open.last()?;
        if *svg {
            let integration = matches!(
                *current,
                local_name!("foreignObject") | local_name!("desc") | local_name!("title")
            );
            let font = name == local_name!("font")
                && attrs.iter().any(|a| {
                    matches!(
                        a.name.local,
                        local_name!("color") | local_name!("face") | local_name!("size")
                    )
                });
            if integration || font || breaks_out(&name) {
                return None;
            }
        } else if matches!(
            *current,
            local_name!("table")
                | local_name!("tbody")
                | local_name!("thead")
                | local_name!("tfoot")
                | local_name!("tr")
        ) {
            return None;
        }
        let name = if *svg { tag_name(name) } else { name };
        let attrs = attrs
            .into_iter()
            .map(|mut a| {
                a.name = attr_name(&a.name.local);
                a
            })
            .collect();
        self.insert(name, attrs, !self_closing, true)?;
        Some(Content::Markup)
    }
}

/// The HTML elements whose start tag ends SVG content.
fn breaks_out(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("b")
            | local_name!("big")
            | local_name!("blockquote")
            | local_name!("body")
            | local_name!("br")
            | local_name!("center")
            | local_name!("code")
            | local_name!("dd")
            | local_name!("div")
            | local_name!("dl")
            | local_name!("dt")
            | local_name!("em")
            | local_name!("embed")
            | local_name!("h1")
            | local_name!("h2")
            | local_name!("h3")
            | local_name!("h4")
            | local_name!("h5")
            | local_name!("h6")
            | local_name!("head")
            | local_name!("hr")
            | local_name!("i")
            | local_name!("img")
            | local_name!("li")
            | local_name!("listing")
            | local_name!("menu")
            | local_name!("meta")
            | local_name!("nobr")
            | local_name!("ol")
            | local_name!("p")
            | local_name!("pre")
            | local_name!("ruby")
            | local_name!("s")
            | local_name!("small")
            | local_name!("span")
            | local_name!("strong")
            | local_name!("strike")
            | local_name!("sub")
            | local_name!("sup")
            | local_name!("table")
            | local_name!("tt")
            | local_name!("u")
            | local_name!("ul")
            | local_name!("var")
    )
}

/// An SVG element's name in SVG's case.
fn tag_name(name: LocalName) -> LocalName {
    match name {
        local_name!("altglyph") => local_name!("altGlyph"),
        local_name!("altglyphdef") => local_name!("altGlyphDef"),
        local_name!("altglyphitem") => local_name!("altGlyphItem"),
        local_name!("animatecolor") => local_name!("animateColor"),
        local_name!("animatemotion") => local_name!("animateMotion"),
        local_name!("animatetransform") => local_name!("animateTransform"),
        local_name!("clippath") => local_name!("clipPath"),
        local_name!("feblend") => local_name!("feBlend"),
        local_name!("fecolormatrix") => local_name!("feColorMatrix"),
        local_name!("fecomponenttransfer") => local_name!("feComponentTransfer"),
        local_name!("fecomposite") => local_name!("feComposite"),
        local_name!("feconvolvematrix") => local_name!("feConvolveMatrix"),
        local_name!("fediffuselighting") => local_name!("feDiffuseLighting"),
        local_name!("fedisplacementmap") => local_name!("feDisplacementMap"),
        local_name!("fedistantlight") => local_name!("feDistantLight"),
        local_name!("fedropshadow") => local_name!("feDropShadow"),
        local_name!("feflood") => local_name!("feFlood"),
        local_name!("fefunca") => local_name!("feFuncA"),
        local_name!("fefuncb") => local_name!("feFuncB"),
        local_name!("fefuncg") => local_name!("feFuncG"),
        local_name!("fefuncr") => local_name!("feFuncR"),
        local_name!("fegaussianblur") => local_name!("feGaussianBlur"),
        local_name!("feimage") => local_name!("feImage"),
        local_name!("femerge") => local_name!("feMerge"),
        local_name!("femergenode") => local_name!("feMergeNode"),
        local_name!("femorphology") => local_name!("feMorphology"),
        local_name!("feoffset") => local_name!("feOffset"),
        local_name!("fepointlight") => local_name!("fePointLight"),
        local_name!("fespecularlighting") => local_name!("feSpecularLighting"),
        local_name!("fespotlight") => local_name!("feSpotLight"),
        local_name!("fetile") => local_name!("feTile"),
        local_name!("feturbulence") => local_name!("feTurbulence"),
        local_name!("foreignobject") => local_name!("foreignObject"),
        local_name!("glyphref") => local_name!("glyphRef"),
        local_name!("lineargradient") => local_name!("linearGradient"),
        local_name!("radialgradient") => local_name!("radialGradient"),
        local_name!("textpath") => local_name!("textPath"),
        other => other,
    }
}

/// An attribute's name on an SVG element: SVG's case, or a foreign attribute's namespace.
fn attr_name(name: &LocalName) -> QualName {
    let camel = match *name {
        local_name!("attributename") => local_name!("attributeName"),
        local_name!("attributetype") => local_name!("attributeType"),
        local_name!("basefrequency") => local_name!("baseFrequency"),
        local_name!("baseprofile") => local_name!("baseProfile"),
        local_name!("calcmode") => local_name!("calcMode"),
        local_name!("clippathunits") => local_name!("clipPathUnits"),
        local_name!("diffuseconstant") => local_name!("diffuseConstant"),
        local_name!("edgemode") => local_name!("edgeMode"),
        local_name!("filterunits") => local_name!("filterUnits"),
        local_name!("glyphref") => local_name!("glyphRef"),
        local_name!("gradienttransform") => local_name!("gradientTransform"),
        local_name!("gradientunits") => local_name!("gradientUnits"),
        local_name!("kernelmatrix") => local_name!("kernelMatrix"),
        local_name!("kernelunitlength") => local_name!("kernelUnitLength"),
        local_name!("keypoints") => local_name!("keyPoints"),
        local_name!("keysplines") => local_name!("keySplines"),
        local_name!("keytimes") => local_name!("keyTimes"),
        local_name!("lengthadjust") => local_name!("lengthAdjust"),
        local_name!("limitingconeangle") => local_name!("limitingConeAngle"),
        local_name!("markerheight") => local_name!("markerHeight"),
        local_name!("markerunits") => local_name!("markerUnits"),
        local_name!("markerwidth") => local_name!("markerWidth"),
        local_name!("maskcontentunits") => local_name!("maskContentUnits"),
        local_name!("maskunits") => local_name!("maskUnits"),
        local_name!("numoctaves") => local_name!("numOctaves"),
        local_name!("pathlength") => local_name!("pathLength"),
        local_name!("patterncontentunits") => local_name!("patternContentUnits"),
        local_name!("patterntransform") => local_name!("patternTransform"),
        local_name!("patternunits") => local_name!("patternUnits"),
        local_name!("pointsatx") => local_name!("pointsAtX"),
        local_name!("pointsaty") => local_name!("pointsAtY"),
        local_name!("pointsatz") => local_name!("pointsAtZ"),
        local_name!("preservealpha") => local_name!("preserveAlpha"),
        local_name!("preserveaspectratio") => local_name!("preserveAspectRatio"),
        local_name!("primitiveunits") => local_name!("primitiveUnits"),
        local_name!("refx") => local_name!("refX"),
        local_name!("refy") => local_name!("refY"),
        local_name!("repeatcount") => local_name!("repeatCount"),
        local_name!("repeatdur") => local_name!("repeatDur"),
        local_name!("requiredextensions") => local_name!("requiredExtensions"),
        local_name!("requiredfeatures") => local_name!("requiredFeatures"),
        local_name!("specularconstant") => local_name!("specularConstant"),
        local_name!("specularexponent") => local_name!("specularExponent"),
        local_name!("spreadmethod") => local_name!("spreadMethod"),
        local_name!("startoffset") => local_name!("startOffset"),
        local_name!("stddeviation") => local_name!("stdDeviation"),
        local_name!("stitchtiles") => local_name!("stitchTiles"),
        local_name!("surfacescale") => local_name!("surfaceScale"),
        local_name!("systemlanguage") => local_name!("systemLanguage"),
        local_name!("tablevalues") => local_name!("tableValues"),
        local_name!("targetx") => local_name!("targetX"),
        local_name!("targety") => local_name!("targetY"),
        local_name!("textlength") => local_name!("textLength"),
        local_name!("viewbox") => local_name!("viewBox"),
        local_name!("viewtarget") => local_name!("viewTarget"),
        local_name!("xchannelselector") => local_name!("xChannelSelector"),
        local_name!("ychannelselector") => local_name!("yChannelSelector"),
        local_name!("zoomandpan") => local_name!("zoomAndPan"),
        _ => return attribute_name(name, true),
    };
    QualName::new(None, ns!(), camel)
}
