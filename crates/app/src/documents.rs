//! Official documents rendered to PDF in the Vietnamese administrative format
//! (Nghị định 30/2020/NĐ-CP: national motto, issuing body, number, place and date,
//! title, body, signature block), with Noto Serif embedded so every diacritic
//! renders and the text can be extracted.

use printpdf::path::{PaintMode, WindingOrder};
use printpdf::{Color, IndirectFontRef, Line, Mm, PdfDocument, PdfLayerReference, Point, Polygon, Rgb};

const REGULAR: &[u8] = include_bytes!("../../../data/fonts/NotoSerif-Regular.ttf");
const BOLD: &[u8] = include_bytes!("../../../data/fonts/NotoSerif-Bold.ttf");

/// What a recognition certificate says.
#[derive(Debug, Clone)]
pub struct Certificate {
    /// Issuing body, first line (e.g. "ỦY BAN NHÂN DÂN").
    pub issuer_line1: String,
    /// Issuing body, second line (e.g. "PHƯỜNG BA ĐÌNH").
    pub issuer_line2: String,
    /// Place name in the date line (e.g. "Ba Đình").
    pub place: String,
    /// Decision number.
    pub number: String,
    /// Decision date (day, month, year).
    pub date: (u32, u32, i32),
    /// Year recognised.
    pub year: i64,
    /// Recognised subject's name.
    pub subject_name: String,
    /// Where it is: "Phường Ba Đình, Thành phố Hà Nội".
    pub location: String,
    /// Signature block: ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH").
    pub signer: (String, String),
    /// The signer's name, under the signature (empty: left for the hand).
    pub signer_name: String,
    /// Verification code as printed ("AB3DE-FG7HK").
    pub reference: String,
    /// The public verification page of this certificate (the QR code's target);
    /// empty: no QR code.
    pub verify_url: String,
}

/// Approximate width of text in mm (Noto Serif averages about 0.5 em per character).
fn width_mm(text: &str, size_pt: f32) -> f32 {
    text.chars().count() as f32 * size_pt * 0.5 * 0.3528
}

struct Page<'a> {
    layer: PdfLayerReference,
    regular: &'a IndirectFontRef,
    bold: &'a IndirectFontRef,
}

impl Page<'_> {
    fn text(&self, text: &str, size: f32, x: f32, y: f32, bold: bool) {
        self.layer.use_text(text, size, Mm(x), Mm(y), if bold { self.bold } else { self.regular });
    }

    fn centered(&self, text: &str, size: f32, cx: f32, y: f32, bold: bool) {
        self.text(text, size, cx - width_mm(text, size) / 2.0, y, bold);
    }

    fn rule(&self, cx: f32, y: f32, half: f32) {
        self.segment((cx - half, y), (cx + half, y));
    }

    /// A straight line between two points (mm from the bottom left).
    fn segment(&self, from: (f32, f32), to: (f32, f32)) {
        let points = vec![(Point::new(Mm(from.0), Mm(from.1)), false), (Point::new(Mm(to.0), Mm(to.1)), false)];
        self.layer.add_line(Line { points, is_closed: false });
    }

    /// A rectangle's outline.
    fn frame(&self, x0: f32, y0: f32, x1: f32, y1: f32) {
        let points =
            [(x0, y0), (x1, y0), (x1, y1), (x0, y1)].iter().map(|(x, y)| (Point::new(Mm(*x), Mm(*y)), false)).collect();
        self.layer.add_line(Line { points, is_closed: true });
    }

    /// `text` as a QR code `size` mm wide with its bottom left corner at (x, y):
    /// each row's runs of dark modules filled as one rectangle.
    fn qr(&self, text: &str, x: f32, y: f32, size: f32) -> Result<(), String> {
        let (n, dark) = crate::qr::modules(text).map_err(|e| e.to_string())?;
        let cell = size / n as f32;
        let mut rings = Vec::new();
        for row in 0..n {
            let mut col = 0;
            while col < n {
                if !dark[row * n + col] {
                    col += 1;
                    continue;
                }
                let start = col;
                while col < n && dark[row * n + col] {
                    col += 1;
                }
                let (x0, x1) = (x + start as f32 * cell, x + col as f32 * cell);
                let (y1, y0) = (y + size - row as f32 * cell, y + size - (row + 1) as f32 * cell);
                rings.push(
                    [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
                        .iter()
                        .map(|(px, py)| (Point::new(Mm(*px), Mm(*py)), false))
                        .collect(),
                );
            }
        }
        self.layer.set_fill_color(Color::Rgb(Rgb::new(0.0, 0.0, 0.0, None)));
        self.layer.add_polygon(Polygon { rings, mode: PaintMode::Fill, winding_order: WindingOrder::NonZero });
        Ok(())
    }

    /// The borders of a table row between `top` and `bottom`, with its columns'
    /// left edges `xs` and its right edge `right`.
    fn row_box(&self, xs: &[f32], right: f32, top: f32, bottom: f32) {
        let left = xs.first().copied().unwrap_or(right);
        self.segment((left, top), (right, top));
        self.segment((left, bottom), (right, bottom));
        for x in xs.iter().copied().chain(std::iter::once(right)) {
            self.segment((x, top), (x, bottom));
        }
    }
}

/// Renders the recognition certificate — "Giấy công nhận đạt tiêu chuẩn “An toàn về
/// an ninh, trật tự”" (TT 124/2021 Điều 10) — as a framed A4 landscape page: issuing
/// body and national motto (NĐ 30/2020), number, title, the subject and its place,
/// the decision it rests on, the signature block, and a QR code to the public
/// verification page.
pub fn certificate_pdf(c: &Certificate) -> Result<Vec<u8>, String> {
    let title = format!("Giấy công nhận An toàn về an ninh, trật tự — {}", c.subject_name);
    let (w, h) = (297.0, 210.0);
    let (doc, page, layer) = PdfDocument::new(domain::text::ascii(&title), Mm(w), Mm(h), "Giay cong nhan");
    let regular = doc.add_external_font(std::io::Cursor::new(REGULAR)).map_err(|e| e.to_string())?;
    let bold = doc.add_external_font(std::io::Cursor::new(BOLD)).map_err(|e| e.to_string())?;
    let p = Page { layer: doc.get_page(page).get_layer(layer), regular: &regular, bold: &bold };
    // The frame: a heavy outer border and a thin inner one, in the red of the seal.
    p.layer.set_outline_color(Color::Rgb(Rgb::new(0.62, 0.08, 0.08, None)));
    p.layer.set_outline_thickness(2.2);
    p.frame(9.0, 9.0, w - 9.0, h - 9.0);
    p.layer.set_outline_thickness(0.6);
    p.frame(12.5, 12.5, w - 12.5, h - 12.5);
    p.layer.set_outline_color(Color::Rgb(Rgb::new(0.0, 0.0, 0.0, None)));
    p.layer.set_outline_thickness(0.5);
    let (left, right, mid) = (78.0, 212.0, w / 2.0);
    // Issuing body (left) and national motto (right).
    p.centered(&c.issuer_line1, 12.0, left, 190.0, false);
    p.centered(&c.issuer_line2, 12.0, left, 184.5, true);
    p.rule(left, 182.5, 12.0);
    p.centered("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12.0, right, 190.0, true);
    p.centered("Độc lập - Tự do - Hạnh phúc", 13.0, right, 184.5, true);
    p.rule(right, 182.5, 27.0);
    p.centered(&format!("Số: {}", c.number), 12.0, left, 175.0, false);
    // Title.
    p.layer.set_fill_color(Color::Rgb(Rgb::new(0.62, 0.08, 0.08, None)));
    p.centered("GIẤY CÔNG NHẬN", 28.0, mid, 157.0, true);
    p.centered("ĐẠT TIÊU CHUẨN “AN TOÀN VỀ AN NINH, TRẬT TỰ”", 15.0, mid, 146.0, true);
    p.layer.set_fill_color(Color::Rgb(Rgb::new(0.0, 0.0, 0.0, None)));
    p.centered(&format!("NĂM {}", c.year), 14.0, mid, 138.0, true);
    // The subject, its place and the decision it rests on.
    p.centered("Công nhận", 13.0, mid, 125.0, false);
    p.centered(&c.subject_name, 19.0, mid, 115.0, true);
    p.centered(&c.location, 13.0, mid, 106.5, false);
    p.centered(
        &format!("đã đạt tiêu chuẩn “An toàn về an ninh, trật tự” năm {} theo Thông tư số 124/2021/TT-BCA", c.year),
        13.0,
        mid,
        98.0,
        false,
    );
    let (d, m, y) = c.date;
    p.centered(&format!("(Quyết định số {} ngày {:02}/{:02}/{})", c.number, d, m, y), 12.0, mid, 90.5, false);
    // Place and date, signature block.
    p.centered(&format!("{}, ngày {:02} tháng {:02} năm {}", c.place, d, m, y), 13.0, right, 76.0, false);
    p.centered(&c.signer.0, 13.0, right, 69.0, true);
    p.centered(&c.signer.1, 13.0, right, 63.0, true);
    p.centered("(Ký, ghi rõ họ tên, đóng dấu)", 11.0, right, 57.0, false);
    if !c.signer_name.is_empty() {
        p.centered(&c.signer_name, 13.0, right, 30.0, true);
    }
    // The QR code to the public verification page, and the code in words.
    if !c.verify_url.is_empty() {
        p.qr(&c.verify_url, 24.0, 24.0, 30.0)?;
        p.text("Quét mã hoặc mở trang kiểm tra:", 9.0, 58.0, 46.0, false);
        p.text(&c.verify_url, 9.0, 58.0, 41.0, false);
        p.text(&format!("Mã kiểm tra: {}", c.reference), 11.0, 58.0, 33.0, true);
    }
    doc.save_to_bytes().map_err(|e| e.to_string())
}

/// What a citizen's receipt says: both codes, what was sent, to whom, when, and
/// where to follow it.
#[derive(Debug, Clone)]
pub struct CaseReceipt {
    /// Receipt code ("ABC-DEF-GHJ").
    pub code: String,
    /// The secret shown once.
    pub secret: String,
    /// Kind in words ("Phản ánh").
    pub kind: String,
    /// The unit handling it.
    pub unit_name: String,
    /// Received on (dd/mm/yyyy).
    pub received_on: String,
    /// Due date (dd/mm/yyyy), if a statutory one runs.
    pub due: Option<String>,
    /// Where to follow it: the lookup page.
    pub lookup_url: String,
}

/// A citizen's receipt as a one-page A5 PDF: the two codes in large print and how
/// to follow the case. Nothing of the contact or the description is on it.
pub fn receipt_pdf(r: &CaseReceipt) -> Result<Vec<u8>, String> {
    let title = format!("Biên nhận {} — phongtrao", r.code);
    let (w, h) = (148.0, 210.0);
    let (doc, page, layer) = PdfDocument::new(domain::text::ascii(&title), Mm(w), Mm(h), "Bien nhan");
    let regular = doc.add_external_font(std::io::Cursor::new(REGULAR)).map_err(|e| e.to_string())?;
    let bold = doc.add_external_font(std::io::Cursor::new(BOLD)).map_err(|e| e.to_string())?;
    let p = Page { layer: doc.get_page(page).get_layer(layer), regular: &regular, bold: &bold };
    let (x, mid) = (16.0, w / 2.0);
    p.centered("GIẤY BIÊN NHẬN", 18.0, mid, 188.0, true);
    p.centered("phản ánh, kiến nghị, tố giác gửi Công an", 11.0, mid, 181.0, false);
    p.rule(mid, 177.0, 20.0);
    p.text("Loại:", 11.0, x, 165.0, false);
    p.text(&r.kind, 11.0, x + 34.0, 165.0, true);
    p.text("Nơi tiếp nhận:", 11.0, x, 158.0, false);
    p.text(&r.unit_name, 11.0, x + 34.0, 158.0, true);
    p.text("Ngày tiếp nhận:", 11.0, x, 151.0, false);
    p.text(&r.received_on, 11.0, x + 34.0, 151.0, true);
    if let Some(due) = &r.due {
        p.text("Hạn giải quyết:", 11.0, x, 144.0, false);
        p.text(due, 11.0, x + 34.0, 144.0, true);
    }
    p.text("Mã tiếp nhận", 11.0, x, 128.0, false);
    p.text(&r.code, 22.0, x, 118.0, true);
    p.text("Mã bí mật", 11.0, x, 104.0, false);
    p.text(&r.secret, 22.0, x, 94.0, true);
    p.text("Giữ kín mã bí mật: ai có cả hai mã sẽ xem được hồ sơ.", 10.0, x, 82.0, false);
    p.text("Hệ thống không gửi lại mã bí mật.", 10.0, x, 77.0, false);
    p.text("Theo dõi kết quả tại:", 11.0, x, 63.0, false);
    p.text(&r.lookup_url, 10.0, x, 57.0, true);
    p.qr(&r.lookup_url, x, 20.0, 28.0)?;
    doc.save_to_bytes().map_err(|e| e.to_string())
}

/// What a province's yearly summary report says.
#[derive(Debug, Clone)]
pub struct SummaryReport {
    /// Province name (e.g. "Thành phố Hà Nội").
    pub province_name: String,
    /// Place in the date line.
    pub place: String,
    /// Report date (day, month, year).
    pub date: (u32, u32, i32),
    /// Campaign year.
    pub year: i64,
    /// Rows of the recognition table: (subject, assessed, recognised, rate text).
    pub recognition: Vec<(String, i64, i64, String)>,
    /// Other figures: (label, value text).
    pub figures: Vec<(String, String)>,
    /// The appendix map of the province's communes, if any has a point.
    pub map: Option<MapAppendix>,
}

/// A point map drawn on its own page: each commune a dot coloured by its shade.
#[derive(Debug, Clone)]
pub struct MapAppendix {
    /// Title line (the indicator and year).
    pub title: String,
    /// (latitude, longitude, shade) of each commune.
    pub dots: Vec<(f64, f64, Option<f64>)>,
    /// (shade, meaning), best first; the "no figure" entry last.
    pub legend: Vec<(Option<f64>, String)>,
}

impl Page<'_> {
    /// Filled octagons of radius `r` mm around `centres`, in one colour.
    fn dots(&self, centres: &[(f32, f32)], r: f32, rgb: (f32, f32, f32)) {
        if centres.is_empty() {
            return;
        }
        let rings = centres
            .iter()
            .map(|(cx, cy)| {
                (0..8)
                    .map(|i| {
                        let a = std::f32::consts::PI / 4.0 * i as f32 + std::f32::consts::PI / 8.0;
                        (Point::new(Mm(cx + r * a.cos()), Mm(cy + r * a.sin())), false)
                    })
                    .collect()
            })
            .collect();
        self.layer.set_fill_color(Color::Rgb(Rgb::new(rgb.0, rgb.1, rgb.2, None)));
        self.layer.add_polygon(Polygon { rings, mode: PaintMode::Fill, winding_order: WindingOrder::NonZero });
    }

    /// The appendix map inside the box from (x0, y0) (bottom left) `w` mm wide and
    /// at most `h` mm high, with its legend under the title.
    fn point_map(&self, m: &MapAppendix, x0: f32, y0: f32, w: f32, h: f32) {
        let Some(frame) = domain::geo::Frame::fit(m.dots.iter().map(|(la, lo, _)| (*la, *lo)), w as f64, 4.0) else {
            return;
        };
        // Fit the height too: shrink the width until the drawing fits.
        let frame = if frame.height > h as f64 {
            let w2 = w as f64 * h as f64 / frame.height;
            domain::geo::Frame::fit(m.dots.iter().map(|(la, lo, _)| (*la, *lo)), w2, 4.0).unwrap_or(frame)
        } else {
            frame
        };
        let left = x0 + (w - frame.width as f32) / 2.0;
        let top = y0 + frame.height as f32;
        let r = if m.dots.len() > 400 { 0.6 } else { 1.6 };
        // Grey first, so coloured dots are drawn on top.
        let mut shades: Vec<Option<f64>> = Vec::new();
        for (_, _, v) in &m.dots {
            let c = domain::map_indicator::colour(*v);
            if !shades.iter().any(|s| domain::map_indicator::colour(*s) == c) {
                shades.push(*v);
            }
        }
        shades.sort_by_key(|s| s.is_some());
        for shade in shades {
            let c = domain::map_indicator::colour(shade);
            let centres: Vec<(f32, f32)> = m
                .dots
                .iter()
                .filter(|(_, _, v)| domain::map_indicator::colour(*v) == c)
                .map(|(la, lo, _)| {
                    let (x, y) = frame.xy(*la, *lo);
                    (left + x as f32, top - y as f32)
                })
                .collect();
            self.dots(&centres, r, domain::map_indicator::colour_rgb(shade));
        }
        self.layer.set_fill_color(Color::Rgb(Rgb::new(0.0, 0.0, 0.0, None)));
    }
}

/// Renders a province's yearly summary report (Báo cáo) as an A4 PDF.
pub fn summary_pdf(r: &SummaryReport) -> Result<Vec<u8>, String> {
    let title = format!("Báo cáo kết quả phong trào năm {} — {}", r.year, r.province_name);
    let (doc, page, layer) = PdfDocument::new(domain::text::ascii(&title), Mm(210.0), Mm(297.0), "Bao cao");
    let regular = doc.add_external_font(std::io::Cursor::new(REGULAR)).map_err(|e| e.to_string())?;
    let bold = doc.add_external_font(std::io::Cursor::new(BOLD)).map_err(|e| e.to_string())?;
    let p = Page { layer: doc.get_page(page).get_layer(layer), regular: &regular, bold: &bold };
    let (left, right) = (52.0, 140.0);
    p.centered(&format!("CÔNG AN {}", r.province_name.to_uppercase()), 11.0, left, 277.0, false);
    p.centered("PHÒNG XÂY DỰNG PHONG TRÀO", 11.0, left, 272.0, true);
    p.centered("BẢO VỆ AN NINH TỔ QUỐC", 11.0, left, 267.0, true);
    p.rule(left, 265.0, 14.0);
    p.centered("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12.0, right, 277.0, true);
    p.centered("Độc lập - Tự do - Hạnh phúc", 13.0, right, 271.5, true);
    p.rule(right, 269.5, 27.0);
    p.centered(&format!("Số:      /BC-XDPT ({})", r.year), 13.0, left, 257.0, false);
    let (d, m, y) = r.date;
    p.centered(&format!("{}, ngày {:02} tháng {:02} năm {}", r.place, d, m, y), 13.0, right, 257.0, false);
    p.centered("BÁO CÁO", 18.0, 105.0, 236.0, true);
    p.centered(&format!("Kết quả phong trào toàn dân bảo vệ an ninh Tổ quốc năm {}", r.year), 13.0, 105.0, 228.0, true);
    let x = 25.0;
    let mut yy = 212.0;
    p.text("1. Kết quả công nhận đạt tiêu chuẩn “An toàn về an ninh, trật tự”", 13.0, x, yy, true);
    yy -= 8.0;
    for (i, h) in ["Đối tượng", "Đã đánh giá", "Được công nhận", "Tỷ lệ"].iter().enumerate() {
        p.text(h, 12.0, x + [0.0, 70.0, 105.0, 145.0][i], yy, true);
    }
    for (subject, a, rec, rate) in &r.recognition {
        yy -= 7.0;
        p.text(subject, 12.0, x, yy, false);
        p.text(&a.to_string(), 12.0, x + 70.0, yy, false);
        p.text(&rec.to_string(), 12.0, x + 105.0, yy, false);
        p.text(rate, 12.0, x + 145.0, yy, false);
    }
    yy -= 12.0;
    p.text("2. Các chỉ số khác", 13.0, x, yy, true);
    for (label, value) in &r.figures {
        yy -= 7.0;
        p.text(&format!("- {label}: {value}"), 12.0, x, yy, false);
    }
    yy -= 16.0;
    p.centered("TRƯỞNG PHÒNG", 13.0, right, yy, true);
    p.centered("(Ký, ghi rõ họ tên)", 11.0, right, yy - 6.0, false);
    p.text("Nơi nhận:", 11.0, x, yy, true);
    p.text("- Cục Xây dựng phong trào bảo vệ ANTQ;", 10.0, x, yy - 5.0, false);
    p.text("- Lưu: VT.", 10.0, x, yy - 9.5, false);
    if let Some(m) = &r.map {
        let (page2, layer2) = doc.add_page(Mm(210.0), Mm(297.0), "Ban do");
        let p2 = Page { layer: doc.get_page(page2).get_layer(layer2), regular: &regular, bold: &bold };
        p2.centered("PHỤ LỤC: BẢN ĐỒ CÁC XÃ, PHƯỜNG, ĐẶC KHU", 14.0, 105.0, 280.0, true);
        p2.centered(&m.title, 12.0, 105.0, 273.0, false);
        let mut lx = 20.0;
        for (shade, label) in &m.legend {
            p2.dots(&[(lx + 1.5, 265.8)], 1.6, domain::map_indicator::colour_rgb(*shade));
            p2.layer.set_fill_color(Color::Rgb(Rgb::new(0.0, 0.0, 0.0, None)));
            p2.text(label, 9.0, lx + 4.0, 265.0, false);
            lx += 8.0 + width_mm(label, 9.0);
        }
        p2.point_map(m, 15.0, 20.0, 180.0, 238.0);
        p2.text("Vị trí theo tọa độ điểm của từng đơn vị (không phải ranh giới hành chính).", 9.0, 20.0, 12.0, false);
    }
    doc.save_to_bytes().map_err(|e| e.to_string())
}

/// One line of a [`TextReport`]'s body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportLine {
    /// A numbered heading (bold).
    Heading(String),
    /// A paragraph (first line indented).
    Paragraph(String),
    /// A row of the figures table: (indicator, value); consecutive rows form one
    /// ruled table under a header row.
    Figure(String, String),
}

/// A report of text lines in the same layout: issuing body and motto, number and
/// place-and-date, title and summary, then headings, paragraphs and ruled tables of
/// figures wrapped and paged, recipients and the signer's title.
#[derive(Debug, Clone)]
pub struct TextReport {
    /// Issuing body, one upper-case line each.
    pub issuer: Vec<String>,
    /// Number line.
    pub number: String,
    /// Place and date line.
    pub place_date: String,
    /// Document type ("BÁO CÁO").
    pub title: String,
    /// Summary under the title.
    pub summary: String,
    /// The body.
    pub lines: Vec<ReportLine>,
    /// Recipients.
    pub recipients: Vec<String>,
    /// Signer's title.
    pub signer: String,
}

/// Splits a text into lines of at most `most` characters at spaces.
fn wrap(text: &str, most: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > most {
            out.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push(line);
    out
}

/// Renders a [`TextReport`] as an A4 PDF (margins 20/20/30/15 mm).
pub fn text_report_pdf(r: &TextReport) -> Result<Vec<u8>, String> {
    let (doc, page, layer) = PdfDocument::new(domain::text::ascii(&r.summary), Mm(210.0), Mm(297.0), "1");
    let regular = doc.add_external_font(std::io::Cursor::new(REGULAR)).map_err(|e| e.to_string())?;
    let bold = doc.add_external_font(std::io::Cursor::new(BOLD)).map_err(|e| e.to_string())?;
    let mut p = Page { layer: doc.get_page(page).get_layer(layer), regular: &regular, bold: &bold };
    let (left, right, x) = (62.5, 147.5, 30.0);
    let mut y = 277.0;
    for line in &r.issuer {
        p.centered(line, 12.0, left, y, true);
        y -= 5.0;
    }
    p.rule(left, y + 1.5, 12.0);
    p.centered("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12.0, right, 277.0, true);
    p.centered("Độc lập - Tự do - Hạnh phúc", 13.0, right, 271.5, true);
    p.rule(right, 268.5, 27.0);
    y = y.min(262.0) - 4.0;
    p.centered(&r.number, 13.0, left, y, false);
    p.centered(&r.place_date, 13.0, right, y, false);
    y -= 16.0;
    p.centered(&r.title, 14.0, 112.5, y, true);
    y -= 7.0;
    for line in wrap(&r.summary, 70) {
        p.centered(&line, 13.0, 112.5, y, true);
        y -= 6.0;
    }
    y -= 6.0;
    let mut n = 1;
    let new_page = |n: usize| {
        let (pg, ly) = doc.add_page(Mm(210.0), Mm(297.0), n.to_string());
        let p = Page { layer: doc.get_page(pg).get_layer(ly), regular: &regular, bold: &bold };
        p.centered(&n.to_string(), 13.0, 112.5, 285.0, false);
        p
    };
    // The figures table: indicator | value, between the margins (30 and 195 mm).
    let (cols, table_right, row_line) = ([x, 150.0], 195.0, 5.5);
    let mut in_table = false;
    for line in &r.lines {
        let (chunks, size, bold_line): (Vec<Vec<String>>, f32, bool) = match line {
            ReportLine::Heading(t) => (vec![wrap(t, 78)], 12.0, true),
            ReportLine::Paragraph(t) => (vec![wrap(t, 74)], 12.0, false),
            ReportLine::Figure(label, value) => (vec![wrap(label, 62), wrap(value, 22)], 11.0, false),
        };
        let is_row = matches!(line, ReportLine::Figure(..));
        let header = is_row && !in_table;
        let rows_high = chunks.iter().map(Vec::len).max().unwrap_or(1) as f32 * row_line + 2.0;
        let needed = if header {
            rows_high + row_line + 2.0
        } else if is_row {
            rows_high
        } else {
            6.0
        };
        if y - needed < 25.0 {
            n += 1;
            p = new_page(n);
            y = 272.0;
            in_table = false;
        }
        if is_row {
            if !in_table {
                let top = y + 4.5;
                p.text("Chỉ tiêu", size, cols[0] + 2.0, y, true);
                p.text("Số liệu", size, cols[1] + 2.0, y, true);
                y -= row_line + 2.0;
                p.row_box(&cols, table_right, top, y + 4.5);
                in_table = true;
            }
            let top = y + 4.5;
            for (col, lines) in chunks.iter().enumerate() {
                for (k, l) in lines.iter().enumerate() {
                    p.text(l, size, cols[col] + 2.0, y - k as f32 * row_line, false);
                }
            }
            y -= rows_high;
            p.row_box(&cols, table_right, top, y + 4.5);
            continue;
        }
        if in_table {
            y -= 4.0;
            in_table = false;
        }
        let Some(lines) = chunks.first() else { continue };
        for (k, l) in lines.iter().enumerate() {
            if y < 25.0 {
                n += 1;
                p = new_page(n);
                y = 272.0;
            }
            let indent = if k == 0 && !bold_line { 10.0 } else { 0.0 };
            p.text(l, size, x + indent, y, bold_line);
            y -= 6.0;
        }
    }
    if y < 60.0 {
        p = new_page(n + 1);
        y = 272.0;
    }
    y -= 8.0;
    p.text("Nơi nhận:", 12.0, x, y, true);
    p.centered(&r.signer, 13.0, right, y, true);
    for (i, rec) in r.recipients.iter().enumerate() {
        p.text(&format!("- {rec}"), 11.0, x, y - 5.0 * (i as f32 + 1.0), false);
    }
    doc.save_to_bytes().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_certificate_renders_with_the_font_embedded() {
        let c = Certificate {
            issuer_line1: "ỦY BAN NHÂN DÂN".into(),
            issuer_line2: "PHƯỜNG BA ĐÌNH".into(),
            place: "Ba Đình".into(),
            number: "15/QĐ-UBND".into(),
            date: (20, 11, 2026),
            year: 2026,
            subject_name: "Tổ dân phố số 5".into(),
            location: "Phường Ba Đình, Thành phố Hà Nội".into(),
            signer: ("TM. ỦY BAN NHÂN DÂN".into(), "CHỦ TỊCH".into()),
            signer_name: "Nguyễn Văn An".into(),
            reference: "AB3DE-FG7HK".into(),
            verify_url: "https://phongtrao.example.vn/verify/AB3DEFG7HK".into(),
        };
        let pdf = certificate_pdf(&c).expect("renders");
        assert!(pdf.starts_with(b"%PDF"));
        assert!(pdf.windows(8).any(|w| w == b"FontFile"), "font embedded");
        if let Ok(path) = std::env::var("PHONGTRAO_WRITE_SAMPLE_PDF") {
            std::fs::write(path, &pdf).expect("write sample");
        }
    }

    #[test]
    fn a_receipt_renders_both_codes() {
        let r = CaseReceipt {
            code: "ABC-DEF-GHJ".into(),
            secret: "K7M2-P9QX-4RTW".into(),
            kind: "Phản ánh".into(),
            unit_name: "Phường Ba Đình".into(),
            received_on: "05/12/2026".into(),
            due: Some("04/01/2027".into()),
            lookup_url: "https://phongtrao.example.vn/public/cases/lookup".into(),
        };
        let pdf = receipt_pdf(&r).expect("renders");
        assert!(pdf.starts_with(b"%PDF") && pdf.len() < 150_000, "{} bytes", pdf.len());
        if let Ok(path) = std::env::var("PHONGTRAO_WRITE_SAMPLE_RECEIPT") {
            std::fs::write(path, &pdf).expect("write sample");
        }
    }
}
