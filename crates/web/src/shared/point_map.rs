//! A map drawn from points (the shipped coordinates of every province and commune,
//! `data/geo/`): an SVG made on the server with a simple projection, no tiles from
//! outside. Each commune a dot coloured by its figure (the dashboard's colour scale);
//! on a province's map each dot names its commune on hover and links to it.

use std::fmt::Write;

use domain::geo::{point, Frame};

/// One dot of the map.
pub struct Dot {
    /// Unit code (its point).
    pub code: String,
    /// Name shown on hover (a province's map only).
    pub name: String,
    /// Its figure in 0..=1, if any.
    pub value: Option<f64>,
    /// Where it links to (a province's map only).
    pub href: Option<String>,
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The dots on a map `width` pixels wide, its height from the points' spread (an
/// equirectangular projection scaled by the cosine of the middle latitude), with
/// `labels` (code, short name, href) written at their points: province names on the
/// nation's map. Dots without a known point are left out.
pub fn point_map(
    dots: &[Dot],
    labels: &[(String, String, String)],
    width: f64,
    colour: &dyn Fn(Option<f64>) -> &'static str,
) -> String {
    let placed: Vec<(&Dot, (f64, f64))> = dots.iter().filter_map(|d| point(&d.code).map(|p| (d, p))).collect();
    let Some(frame) = Frame::fit(placed.iter().map(|(_, p)| *p), width, 12.0) else {
        return String::new();
    };
    let height = frame.height;
    let xy = |lat: f64, lon: f64| frame.xy(lat, lon);
    let many = placed.len() > 400;
    let r = if many { 1.7 } else { 5.0 };
    let mut s = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0} {height:.0}" width="100%" role="group" class="point-map" data-dots="{}">"#,
        placed.len()
    );
    if many {
        // Thousands of dots: one path per colour, each dot a round-capped zero-length
        // stroke (about 14 bytes a commune, not 50 for a circle).
        let mut by_colour: Vec<(&'static str, String)> = Vec::new();
        for (d, (lat, lon)) in &placed {
            let (x, y) = xy(*lat, *lon);
            let fill = colour(d.value);
            let at = match by_colour.iter().position(|(c, _)| *c == fill) {
                Some(i) => i,
                None => {
                    by_colour.push((fill, String::new()));
                    by_colour.len() - 1
                }
            };
            let _ = write!(by_colour[at].1, "M{x:.1} {y:.1}h0");
        }
        // Grey (no figures) first, so coloured dots are drawn on top.
        by_colour.sort_by_key(|(c, _)| *c != colour(None));
        for (c, d) in by_colour {
            let _ = write!(
                s,
                r#"<path d="{d}" stroke="{c}" stroke-width="{}" stroke-linecap="round" data-colour="{c}"/>"#,
                r * 2.0
            );
        }
    } else {
        for (d, (lat, lon)) in &placed {
            let (x, y) = xy(*lat, *lon);
            let fill = colour(d.value);
            match &d.href {
                Some(h) => {
                    let _ = write!(
                        s,
                        r##"<a href="{}" aria-label="{}"><circle cx="{x:.1}" cy="{y:.1}" r="{r}" fill="{fill}" stroke="#fff" stroke-width="1"><title>{}</title></circle></a>"##,
                        esc(h),
                        esc(&d.name),
                        esc(&d.name)
                    );
                }
                None => {
                    let _ = write!(s, r#"<circle cx="{x:.1}" cy="{y:.1}" r="{r}" fill="{fill}"/>"#);
                }
            }
        }
    }
    for (code, name, href) in labels {
        if let Some((lat, lon)) = point(code) {
            let (x, y) = xy(lat, lon);
            let _ = write!(
                s,
                r##"<a href="{}"><text x="{x:.1}" y="{y:.1}" font-size="9" text-anchor="middle" fill="#202124" stroke="#fff" stroke-width="2.5" paint-order="stroke">{}</text></a>"##,
                esc(href),
                esc(name)
            );
        }
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn north_is_up_and_links_only_on_a_small_map() {
        let dot = |code: &str, v| Dot {
            code: code.into(),
            name: format!("Xã {code}"),
            value: v,
            href: Some(format!("/units/{code}")),
        };
        let colour = |v: Option<f64>| if v.is_some() { "#137333" } else { "#dadce0" };
        // Ba Đình (Hà Nội, north) above a commune of Cà Mau (south).
        let svg = point_map(&[dot("00004", Some(1.0)), dot("31825", None)], &[], 360.0, &colour);
        let ys: Vec<f64> =
            svg.split("cy=\"").skip(1).map(|p| p.split('"').next().unwrap_or("0").parse().unwrap_or(0.0)).collect();
        assert_eq!(ys.len(), 2, "{svg}");
        assert!(ys[0] < ys[1], "north first: {ys:?}");
        assert!(svg.contains("<title>Xã 00004</title>") && svg.contains("href=\"/units/00004\""));
        let many: Vec<Dot> = (0..100_000)
            .map(|n| format!("{n:05}"))
            .filter(|c| point(c).is_some())
            .map(|c| dot(&c, Some(0.9)))
            .collect();
        let national = point_map(&many, &[], 360.0, &colour);
        assert!(!national.contains("<a "), "3,321 dots without links keep the page light");
        assert!(national.contains("data-dots=\"3321\""));
        assert!(national.len() < 60_000, "{} bytes", national.len());
    }
}
