//! Where each province and commune is (the shipped points, `data/geo/`, read once)
//! and the simple projection the point maps use: equirectangular, scaled by the
//! cosine of the middle latitude, north up, fitted into a width. The web page draws
//! it as SVG, the PDF report with its own shapes.

use std::collections::HashMap;
use std::sync::LazyLock;

const GEO: &str = include_str!("../../../data/geo/vn-admin-units-2025-geo.csv");

/// Code → (latitude, longitude).
static POINTS: LazyLock<HashMap<String, (f64, f64)>> = LazyLock::new(|| {
    GEO.lines()
        .skip(1)
        .filter_map(|l| {
            let mut f = l.split(',');
            let code = f.next()?.to_string();
            let lat = f.next()?.parse().ok()?;
            let lon = f.next()?.parse().ok()?;
            Some((code, (lat, lon)))
        })
        .collect()
});

/// Where a unit is, if the shipped points know it.
pub fn point(code: &str) -> Option<(f64, f64)> {
    POINTS.get(code).copied()
}

/// How many units have a point.
pub fn known() -> usize {
    POINTS.len()
}

/// A projection fitted to a set of points: x to the right, y down, in the units of
/// the width asked for, with a margin.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    lat1: f64,
    lon0: f64,
    k: f64,
    scale: f64,
    pad: f64,
    /// The drawing's width.
    pub width: f64,
    /// The drawing's height (at most 2.4 times its width: a long country).
    pub height: f64,
}

impl Frame {
    /// Fits `points` (latitude, longitude) into `width` with margin `pad`; `None`
    /// without points.
    pub fn fit(points: impl Iterator<Item = (f64, f64)>, width: f64, pad: f64) -> Option<Frame> {
        let (mut lat0, mut lat1, mut lon0, mut lon1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        let mut any = false;
        for (lat, lon) in points {
            any = true;
            lat0 = lat0.min(lat);
            lat1 = lat1.max(lat);
            lon0 = lon0.min(lon);
            lon1 = lon1.max(lon);
        }
        if !any {
            return None;
        }
        let k = ((lat0 + lat1) / 2.0).to_radians().cos();
        let (span_x, span_y) = (((lon1 - lon0) * k).max(0.05), (lat1 - lat0).max(0.05));
        let scale = (width - 2.0 * pad) / span_x;
        let height = (span_y * scale + 2.0 * pad).min(width * 2.4);
        let scale = scale.min((height - 2.0 * pad) / span_y);
        Some(Frame { lat1, lon0, k, scale, pad, width, height })
    }

    /// Where a point falls: (x, y), y counted down from the top.
    pub fn xy(&self, lat: f64, lon: f64) -> (f64, f64) {
        (self.pad + (lon - self.lon0) * self.k * self.scale, self.pad + (self.lat1 - lat) * self.scale)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_unit_has_a_point_inside_vietnam() {
        assert_eq!(known(), 34 + 3321);
        for (code, (lat, lon)) in POINTS.iter() {
            assert!((8.0..=23.5).contains(lat) && (102.0..=117.5).contains(lon), "{code}: {lat},{lon}");
        }
    }

    #[test]
    fn north_is_up_and_everything_fits() {
        let pts = [(21.0, 105.8), (10.8, 106.7), (8.6, 104.7)];
        let f = Frame::fit(pts.iter().copied(), 100.0, 5.0).unwrap_or_else(|| unreachable!());
        let (_, y_north) = f.xy(21.0, 105.8);
        let (_, y_south) = f.xy(8.6, 104.7);
        assert!(y_north < y_south);
        for (lat, lon) in pts {
            let (x, y) = f.xy(lat, lon);
            assert!((0.0..=f.width).contains(&x) && (0.0..=f.height).contains(&y), "{x},{y}");
        }
        assert!(Frame::fit(std::iter::empty(), 100.0, 5.0).is_none());
    }
}
