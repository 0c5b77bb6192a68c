//! Hostile spreadsheets on every endpoint that reads one (organisation import,
//! exemptions, score sheets; API and pages): a shared-strings part declaring 10^11
//! strings, a sheet with cells at A1 and XFD1048576 only, and a ZIP bomb whose sheet
//! inflates to 300 MB. Each is refused with a 4xx, the server stays up and
//! `/healthz` answers throughout, and the process's peak memory stays bounded. A
//! caller without the right, or a score sheet for an assessment that does not
//! exist, is refused before the file is parsed. Both databases.
#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use serde_json::json;
use testkit::{both_databases, TestApp, TestDb};

both_databases! {
    hostile_spreadsheets_are_refused_everywhere => hostile;
}

fn part(z: &mut zip::ZipWriter<std::io::Cursor<Vec<u8>>>, name: &str, body: &[u8]) {
    let o = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    z.start_file(name, o).unwrap();
    z.write_all(body).unwrap();
}

fn workbook(shared: Option<&[u8]>, sheet: impl FnOnce(&mut zip::ZipWriter<std::io::Cursor<Vec<u8>>>)) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    part(&mut z, "xl/workbook.xml", br#"<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="A" sheetId="1" r:id="rId1"/></sheets></workbook>"#);
    part(
        &mut z,
        "xl/_rels/workbook.xml.rels",
        br#"<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>"#,
    );
    if let Some(s) = shared {
        part(&mut z, "xl/sharedStrings.xml", s);
    }
    sheet(&mut z);
    z.finish().unwrap().into_inner()
}

/// The three hostile files, each a few KB or MB.
fn hostile_files() -> Vec<(&'static str, Vec<u8>)> {
    let huge_count =
        workbook(Some(br#"<sst uniqueCount="100000000000" count="100000000000"><si><t>name</t></si></sst>"#), |z| {
            part(
                z,
                "xl/worksheets/sheet1.xml",
                br#"<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>"#,
            )
        });
    let far_corner = workbook(None, |z| {
        part(z, "xl/worksheets/sheet1.xml", br#"<worksheet><dimension ref="A1:XFD1048576"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>"#);
    });
    let bomb = workbook(None, |z| {
        let o = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        z.start_file("xl/worksheets/sheet1.xml", o).unwrap();
        z.write_all(b"<worksheet><sheetData>").unwrap();
        let row = br#"<row><c t="inlineStr"><is><t>Doanh nghiep</t></is></c><c><v>1</v></c></row>"#.repeat(1 << 12);
        let mut written = 0usize;
        while written < 300 << 20 {
            z.write_all(&row).unwrap();
            written += row.len();
        }
        z.write_all(b"</sheetData></worksheet>").unwrap();
    });
    assert!(bomb.len() < 8 << 20, "the bomb is small: {}", bomb.len());
    vec![("huge shared-string count", huge_count), ("cell at XFD1048576", far_corner), ("300 MB sheet", bomb)]
}

/// Peak resident memory of this process (the server runs in it), in KiB.
fn peak_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

async fn post_file(t: &TestApp, token: &str, path: &str, page: bool, bytes: Vec<u8>) -> u16 {
    let req = t.http.post(t.url(path)).bearer_auth(token);
    let req = if page {
        let part = reqwest::multipart::Part::bytes(bytes).file_name("hostile.xlsx").mime_str(XLSX).unwrap();
        req.multipart(reqwest::multipart::Form::new().part("file", part))
    } else {
        req.header("content-type", XLSX).body(bytes)
    };
    req.send().await.unwrap().status().as_u16()
}

async fn hostile(db: &TestDb) {
    let t = TestApp::start(db).await;
    t.user("xa.badinh", "commune", Some("00004"), None).await;
    t.user("xem.hanoi", "viewer", Some("01"), None).await;
    let c = t.token("xa.badinh").await;
    let viewer = t.token("xem.hanoi").await;
    let (s, area) = t
        .post_json(
            &c,
            "/api/v1/units",
            &json!({"parent_code": "00004", "name": "Tổ dân phố số 3", "division_type": "tổ dân phố"}),
        )
        .await;
    assert_eq!(s, 201, "{area}");
    let (s, a) = t
        .post_json(
            &c,
            "/api/v1/assessments",
            &json!({"year": 2025, "instrument": "safe_unit", "unit_code": area["code"]}),
        )
        .await;
    assert_eq!(s, 201, "{a}");
    let id = a["id"].as_i64().unwrap();
    let files = hostile_files();
    let before = peak_kib();

    // /healthz keeps answering while the files are refused.
    let stop = Arc::new(AtomicBool::new(false));
    let (probes, bad_probes) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let prober = {
        let (stop, probes, bad, http, url) =
            (stop.clone(), probes.clone(), bad_probes.clone(), t.http.clone(), t.url("/healthz"));
        tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                let ok = http.get(&url).send().await.is_ok_and(|r| r.status().as_u16() == 200);
                probes.fetch_add(1, Ordering::Relaxed);
                if !ok {
                    bad.fetch_add(1, Ordering::Relaxed);
                }
            }
        })
    };
    let sheet = format!("/api/v1/assessments/{id}/sheet");
    let sheet_page = format!("/assessments/{id}/sheet");
    let endpoints: [(&str, bool); 6] = [
        ("/api/v1/organisations/import", false),
        ("/api/v1/organisations/exemptions", false),
        (&sheet, false),
        ("/organisations/import", true),
        ("/organisations/exemptions", true),
        (&sheet_page, true),
    ];
    for (what, bytes) in &files {
        for (path, page) in endpoints {
            let status = post_file(&t, &c, path, page, bytes.clone()).await;
            assert!((400..500).contains(&status), "{what} on {path}: {status}");
        }
        // Two at once on the same endpoint.
        let (a, b) = tokio::join!(
            post_file(&t, &c, "/api/v1/organisations/import", false, bytes.clone()),
            post_file(&t, &c, "/api/v1/organisations/import", false, bytes.clone())
        );
        assert!((400..500).contains(&a) && (400..500).contains(&b), "{what} twice: {a} {b}");
        // Without the right, or for no such assessment: refused before any parsing.
        assert_eq!(post_file(&t, &viewer, "/api/v1/organisations/import", false, bytes.clone()).await, 403);
        assert_eq!(post_file(&t, &viewer, "/api/v1/organisations/exemptions", false, bytes.clone()).await, 403);
        assert_eq!(post_file(&t, &c, "/api/v1/assessments/999999/sheet", false, bytes.clone()).await, 404);
        assert_eq!(post_file(&t, &viewer, &sheet, false, bytes.clone()).await, 403, "a viewer may not write");
    }
    stop.store(true, Ordering::Relaxed);
    prober.await.unwrap();
    assert!(probes.load(Ordering::Relaxed) > 0);
    assert_eq!(bad_probes.load(Ordering::Relaxed), 0, "/healthz answered 200 throughout");
    let grown_mib = peak_kib().saturating_sub(before) / 1024;
    assert!(grown_mib < 400, "peak memory grew by {grown_mib} MiB");
    // Still alive, nothing written.
    let r = t.http.get(t.url("/healthz")).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(t.count_all_organisations().await, 0);
    println!("hostile uploads: refused on 6 endpoints; peak memory grew by {grown_mib} MiB");
    t.stop().await;
}
