//! Charts as SVG rendered on the server (they print and go into PDF): horizontal
//! bars against a target, and a tile-grid cartogram of the 34 provinces.

use std::fmt::Write;

/// Escapes text for XML.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// One bar: label, value in 0..=1, caption shown at its end, link.
pub struct Bar {
    /// Label left of the bar.
    pub label: String,
    /// Share in 0..=1.
    pub value: f64,
    /// Text after the bar (e.g. "96,0 % (48/50)").
    pub caption: String,
    /// Where the bar links to (the rows behind the figure).
    pub href: String,
}

/// Horizontal bars with an optional target line (e.g. 95 %). With a target the
/// bars take the map's colour scale (`colour`), so one share has one colour on the
/// page; the caption after each bar always fits (the drawing widens for it).
pub fn bars(items: &[Bar], target: Option<f64>, target_label: &str) -> String {
    let (label_w, bar_w, row_h) = (130.0, 150.0, 30.0);
    // About 6.6 px a character at 12 px: room for the longest caption.
    let caption_w = items.iter().map(|b| b.caption.chars().count()).max().unwrap_or(0) as f64 * 6.6 + 12.0;
    let width = label_w + bar_w + caption_w.max(110.0);
    let height = row_h * items.len() as f64 + 24.0;
    let mut s = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="group" class="chart">"#
    );
    for (i, b) in items.iter().enumerate() {
        let y = 8.0 + i as f64 * row_h;
        let w = (b.value.clamp(0.0, 1.0) * bar_w).max(1.0);
        let fill = match target {
            Some(_) => colour(Some(b.value)),
            None => "#1a73e8",
        };
        let _ = write!(
            s,
            r##"<a href="{href}"><text x="0" y="{ty}" font-size="12">{label}</text><rect x="{label_w}" y="{y}" width="{bar_w}" height="18" fill="#e8eaed"/><rect x="{label_w}" y="{y}" width="{w:.1}" height="18" fill="{fill}"><title>{label}: {cap}</title></rect><text x="{cx}" y="{ty}" font-size="12">{cap}</text></a>"##,
            href = esc(&b.href),
            ty = y + 13.0,
            label = esc(&b.label),
            cap = esc(&b.caption),
            cx = label_w + bar_w + 6.0,
        );
    }
    if let Some(t) = target {
        let x = label_w + t * bar_w;
        let _ = write!(
            s,
            r##"<line x1="{x:.1}" y1="4" x2="{x:.1}" y2="{y2}" stroke="#202124" stroke-dasharray="3,2"/><text x="{x:.1}" y="{ty}" font-size="11" text-anchor="middle">{lab}</text>"##,
            y2 = height - 14.0,
            ty = height - 2.0,
            lab = esc(target_label),
        );
    }
    s.push_str("</svg>");
    s
}

/// Approximate positions (column, row) of the 34 provinces on a tile grid, north at the top.
pub const PROVINCE_TILES: [(&str, &str, u8, u8); 34] = [
    ("12", "LCh", 0, 0),
    ("15", "LCa", 1, 0),
    ("08", "TQ", 2, 0),
    ("04", "CB", 3, 0),
    ("11", "ĐB", 0, 1),
    ("14", "SL", 1, 1),
    ("19", "TN", 2, 1),
    ("20", "LS", 3, 1),
    ("25", "PT", 1, 2),
    ("01", "HN", 2, 2),
    ("24", "BN", 3, 2),
    ("22", "QN", 4, 2),
    ("37", "NB", 2, 3),
    ("33", "HY", 3, 3),
    ("31", "HP", 4, 3),
    ("38", "TH", 2, 4),
    ("40", "NA", 2, 5),
    ("42", "HT", 3, 6),
    ("44", "QT", 3, 7),
    ("46", "Huế", 4, 8),
    ("48", "ĐN", 4, 9),
    ("51", "QNg", 4, 10),
    ("52", "GL", 4, 11),
    ("66", "ĐL", 3, 12),
    ("56", "KH", 4, 12),
    ("68", "LĐ", 3, 13),
    ("80", "TNi", 1, 14),
    ("75", "ĐNa", 2, 14),
    ("79", "HCM", 3, 14),
    ("91", "AG", 0, 15),
    ("82", "ĐT", 1, 15),
    ("86", "VL", 2, 15),
    ("96", "CM", 0, 16),
    ("92", "CT", 1, 16),
];

/// Colour of a share on a red → amber → green scale; grey when there is no figure
/// (the one scale of `domain::map_indicator`, shared with the PDF reports).
pub fn colour(v: Option<f64>) -> &'static str {
    domain::map_indicator::colour(v)
}

/// The legend class (`lg0` … `lg5`, styled in the stylesheet) of the colour
/// [`colour`] gives a share.
pub fn colour_class(v: Option<f64>) -> &'static str {
    match colour(v) {
        "#137333" => "lg0",
        "#34a853" => "lg1",
        "#fbbc04" => "lg2",
        "#fa7b17" => "lg3",
        "#d93025" => "lg4",
        _ => "lg5",
    }
}

/// A tile-grid cartogram: each province a square in its approximate place, coloured
/// by `value(code)`, titled with `name(code)` and `caption(code)`, linking to `href(code)`.
pub fn province_map(
    value: &dyn Fn(&str) -> Option<f64>,
    name: &dyn Fn(&str) -> String,
    caption: &dyn Fn(&str) -> String,
    href: &dyn Fn(&str) -> String,
) -> String {
    let cell = 34.0;
    let mut s = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="100%" role="group" class="map">"#,
        cell * 5.0 + 4.0,
        cell * 17.0 + 4.0
    );
    for (code, abbr, col, row) in PROVINCE_TILES {
        let (x, y) = (2.0 + f64::from(col) * cell, 2.0 + f64::from(row) * cell);
        let v = value(code);
        let text_fill = if matches!(v, Some(x) if !(0.5..0.85).contains(&x)) { "#fff" } else { "#202124" };
        let _ = write!(
            s,
            r##"<a href="{href}" aria-label="{name}: {cap}"><rect x="{x}" y="{y}" width="{w}" height="{w}" rx="4" fill="{fill}" data-code="{code}"><title>{name}: {cap}</title></rect><text x="{tx}" y="{ty}" font-size="10" text-anchor="middle" fill="{text_fill}">{abbr}</text></a>"##,
            href = esc(&href(code)),
            w = cell - 3.0,
            fill = colour(v),
            name = esc(&name(code)),
            cap = esc(&caption(code)),
            tx = x + (cell - 3.0) / 2.0,
            ty = y + cell / 2.0 + 2.0,
            abbr = esc(abbr),
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_province_has_one_tile_and_tiles_do_not_overlap() {
        let rows: Vec<String> = store::units_csv::rows()
            .map(|r| r.into_iter().filter(|u| u.level == "province").map(|u| u.code).collect())
            .unwrap_or_default();
        let mut seen = std::collections::HashSet::new();
        for (code, _, col, row) in PROVINCE_TILES {
            assert!(rows.contains(&code.to_string()), "{code} is not a province");
            assert!(seen.insert((col, row)), "two tiles at {col},{row}");
        }
        assert_eq!(PROVINCE_TILES.len(), 34);
    }

    #[test]
    fn bars_escape_and_mark_the_target() {
        let svg = bars(
            &[Bar { label: "A<B".into(), value: 0.96, caption: "96 %".into(), href: "/x?a=1&b=2".into() }],
            Some(0.95),
            "95 %",
        );
        assert!(
            svg.contains("A&lt;B")
                && svg.contains("a=1&amp;b=2")
                && svg.contains(colour(Some(0.96)))
                && svg.contains("stroke-dasharray")
        );
    }

    #[test]
    fn a_share_has_one_colour_in_bars_and_map_and_captions_fit() {
        let caption = "86,5 % (85.872/99.310)";
        let svg = bars(
            &[Bar { label: "Cả nước".into(), value: 0.865, caption: caption.into(), href: "/".into() }],
            Some(0.95),
            "95 %",
        );
        assert!(svg.contains(&format!("fill=\"{}\"", colour(Some(0.865)))), "the map's colour for 86,5 %");
        let width: f64 = svg
            .split("viewBox=\"0 0 ")
            .nth(1)
            .and_then(|r| r.split(' ').next())
            .and_then(|w| w.parse().ok())
            .unwrap_or(0.0);
        // The caption starts after the label and the bar and has room to its end.
        assert!(width >= 130.0 + 150.0 + 6.0 + caption.chars().count() as f64 * 6.6, "{width}");
    }
}
