//! The storage contract, run on SQLite and PostgreSQL alike: the same calls give
//! the same answers on both backends.
#![allow(clippy::unwrap_used)]

use domain::{NewOrganisation, OrgKind, Scope};
use store::audit::AuditEntry;
use store::organisations::OrgFilter;
use store::users::NewUser;
use store::{Store, StoreError};
use testkit::{both_databases, TestDb};

both_databases! {
    units_load_once_and_browse => units;
    organisations_are_scoped => organisations;
    bulk_import_writes_all_rows_and_one_audit_entry => bulk_import;
    audit_chain_and_checkpoint => audit;
    users_and_sessions => users_sessions;
    stored_values_decode_or_fail => stored_values;
}

fn org(name: &str, unit: &str) -> NewOrganisation {
    NewOrganisation {
        name: name.into(),
        kind: OrgKind::School,
        tax_code: None,
        address: None,
        unit_code: unit.into(),
        managed_by_province: false,
    }
}

async fn units(db: &TestDb) {
    let s = Store::connect(&db.url).await.unwrap();
    assert_eq!(s.load_shipped_units().await.unwrap(), 3356);
    // Connecting again re-runs no migration and loads nothing twice.
    let s2 = Store::connect(&db.url).await.unwrap();
    assert_eq!(s2.load_shipped_units().await.unwrap(), 0);
    let vn = s.unit("VN").await.unwrap();
    assert_eq!((vn.level.as_str(), vn.parent_code.as_deref()), ("nation", None));
    let hn = s.unit("00004").await.unwrap();
    assert_eq!((hn.province_code.as_deref(), hn.valid_from.to_string().as_str()), (Some("01"), "2025-07-01"));
    assert!(matches!(s.unit("nope").await, Err(StoreError::NotFound)));
    let f = store::units::UnitFilter { parent: Some("01".into()), limit: 500, ..Default::default() };
    assert_eq!(s.list_units(&f).await.unwrap().1, 126);
    let mut tx = s.begin_write().await.unwrap();
    assert_eq!(tx.create_area(&hn, "Tổ 1", "tổ dân phố").await.unwrap(), "00004.001");
    assert_eq!(tx.create_area(&hn, "Tổ 2", "tổ dân phố").await.unwrap(), "00004.002");
    tx.commit().await.unwrap();
    assert_eq!(s.unit_counts(&Scope::Commune("00004".into())).await.unwrap(), (0, 1, 2));
    assert_eq!(s.unit_counts(&Scope::Nation).await.unwrap(), (34, 3321, 2));
    // A rolled-back transaction leaves nothing.
    let mut tx = s.begin_write().await.unwrap();
    tx.create_area(&hn, "Tổ 3", "tổ dân phố").await.unwrap();
    drop(tx);
    assert_eq!(s.unit_counts(&Scope::Commune("00004".into())).await.unwrap().2, 2);
    s.close().await;
    s2.close().await;
}

fn imported(name: &str, unit: &str, province: &str) -> store::org_import::ImportedOrganisation {
    store::org_import::ImportedOrganisation {
        name: name.into(),
        name_fold: domain::text::fold(name),
        kind: "school",
        tax_code: None,
        address: Some("Số 1".into()),
        unit_code: unit.into(),
        province_code: province.into(),
        managed_by_province: false,
    }
}

async fn bulk_import(db: &TestDb) {
    let s = Store::connect(&db.url).await.unwrap();
    s.load_shipped_units().await.unwrap();
    let (head_id, _) = s.audit_head().await.unwrap();
    // 25,000 rows over three communes of two provinces, in no particular order.
    let places = [("00008", "01"), ("25747", "79"), ("00004", "01")];
    let rows: Vec<_> = (0..25_000)
        .map(|i| {
            let (unit, province) = places[i % 3];
            imported(&format!("Trường số {}", 25_000 - i), unit, province)
        })
        .collect();
    let (sender, progress) = tokio::sync::watch::channel(0usize);
    let audit =
        store::org_import::ImportAudit::new(None, "organisation.import", &serde_json::json!({"imported": 25000}));
    assert_eq!(s.import_organisations(rows, audit, sender).await.unwrap(), 25_000);
    assert_eq!(*progress.borrow(), 25_000);
    assert_eq!(s.count_organisations(&Scope::Nation).await.unwrap(), 25_000);
    assert_eq!(s.count_organisations(&Scope::Commune("00004".into())).await.unwrap(), 8_333);
    assert_eq!(s.count_organisations(&Scope::Province("79".into())).await.unwrap(), 8_333);
    // Lists run in index order: province, commune, folded name.
    let f = OrgFilter { limit: 3, ..Default::default() };
    let (items, _) = s.list_organisations(&Scope::Province("01".into()), &f).await.unwrap();
    let mut expected: Vec<String> =
        (0..25_000).filter(|i| i % 3 == 2).map(|i| format!("Trường số {}", 25_000 - i)).collect();
    expected.sort_by_key(|n| domain::text::fold(n));
    let got: Vec<_> = items.iter().map(|o| (o.unit_code.clone(), o.name.clone())).collect();
    let want: Vec<_> = expected.into_iter().take(3).map(|n| ("00004".to_string(), n)).collect();
    assert_eq!(got, want);
    assert_eq!(items[0].address.as_deref(), Some("Số 1"));
    assert_eq!(items[0].tax_code, None);
    // Exactly one audit entry, and the chain still verifies.
    assert_eq!(s.audit_head().await.unwrap().0, head_id + 1);
    let report = s.verify_audit().await.unwrap();
    assert!(report.problem.is_none(), "{report:?}");
    // A row the database refuses (a kind outside its CHECK) leaves nothing behind.
    let (sender, _) = tokio::sync::watch::channel(0usize);
    let mut refused = imported("Trường B", "00004", "01");
    refused.kind = "bank";
    let bad = vec![imported("Trường A", "00004", "01"), refused];
    let audit = store::org_import::ImportAudit::new(None, "organisation.import", &serde_json::json!({}));
    assert!(s.import_organisations(bad, audit, sender).await.is_err());
    // …and so does one whose commune does not exist (the foreign key).
    let (sender, _) = tokio::sync::watch::channel(0usize);
    let bad = vec![imported("Trường A", "00004", "01"), imported("Trường C", "99999", "01")];
    let audit = store::org_import::ImportAudit::new(None, "organisation.import", &serde_json::json!({}));
    assert!(s.import_organisations(bad, audit, sender).await.is_err());
    assert_eq!(s.count_organisations(&Scope::Nation).await.unwrap(), 25_000);
    assert_eq!(s.audit_head().await.unwrap().0, head_id + 1);
    s.close().await;
}

async fn organisations(db: &TestDb) {
    let s = Store::connect(&db.url).await.unwrap();
    s.load_shipped_units().await.unwrap();
    let mut tx = s.begin_write().await.unwrap();
    let a = tx.insert_organisation(&org("Trường Hà Nội", "00004"), "01").await.unwrap();
    let b = tx.insert_organisation(&org("Trường Thủ Dầu Một", "25747"), "79").await.unwrap();
    tx.insert_organisations(&[(org("Trường Ngọc Hà", "00008"), "01".into())]).await.unwrap();
    tx.commit().await.unwrap();
    let hn = Scope::Province("01".into());
    assert!(s.organisation(&hn, a).await.is_ok());
    assert!(matches!(s.organisation(&hn, b).await, Err(StoreError::NotFound)));
    assert!(matches!(s.organisation(&Scope::Commune("00008".into()), a).await, Err(StoreError::NotFound)));
    assert!(s.organisation(&Scope::Organisation(a), a).await.is_ok());
    assert!(matches!(s.organisation(&Scope::Organisation(a), b).await, Err(StoreError::NotFound)));
    let f = OrgFilter { q: Some("TRUONG".into()), limit: 10, ..Default::default() };
    let (items, total) = s.list_organisations(&hn, &f).await.unwrap();
    assert_eq!(total, 2);
    assert_eq!(items[0].name, "Trường Hà Nội");
    assert_eq!(items[0].province_name, "Thành phố Hà Nội");
    assert_eq!(s.count_organisations(&Scope::Nation).await.unwrap(), 3);
    assert_eq!(s.count_organisations(&Scope::Area("00004.001".into())).await.unwrap(), 0);
    s.close().await;
}

async fn audit(db: &TestDb) {
    let s = Store::connect(&db.url).await.unwrap();
    for i in 0..3 {
        let mut tx = s.begin_write().await.unwrap();
        let after = serde_json::json!({"v": "Đ"});
        AuditEntry::new(Some(i), "test.action", "thing", i).after(&after).write(&mut tx).await.unwrap();
        tx.commit().await.unwrap();
    }
    let report = s.verify_audit().await.unwrap();
    assert_eq!((report.checked, report.problem), (3, None));
    assert_eq!(s.audit_head().await.unwrap().0, 3);
    let (rows, total) = s.list_audit(&Scope::Nation, 10, 0).await.unwrap();
    assert_eq!((total, rows[0].id), (3, 3));
    // Concurrent writers never fork the chain.
    let mut handles = Vec::new();
    for i in 0..8 {
        let s = s.clone();
        handles.push(tokio::spawn(async move {
            let mut tx = s.begin_write().await.unwrap();
            AuditEntry::new(None, "test.concurrent", "thing", i).write(&mut tx).await.unwrap();
            tx.commit().await.unwrap();
        }));
    }
    for h in handles {
        h.await.unwrap();
    }
    let report = s.verify_audit().await.unwrap();
    assert_eq!((report.checked, report.problem), (11, None));
    s.close().await;
}

async fn users_sessions(db: &TestDb) {
    let s = Store::connect(&db.url).await.unwrap();
    s.load_shipped_units().await.unwrap();
    let u = NewUser {
        username: "a".into(),
        display_name: "A".into(),
        password_hash: "x".into(),
        role: "commune".into(),
        unit_code: Some("00004".into()),
        organisation_id: None,
        province_code: Some("01".into()),
        commune_code: Some("00004".into()),
        email: None,
    };
    let mut tx = s.begin_write().await.unwrap();
    let id = tx.insert_user(&u).await.unwrap();
    tx.insert_session("hash-live", id, "bearer", "csrf", 60_000).await.unwrap();
    tx.insert_session("hash-dead", id, "bearer", "csrf", -1).await.unwrap();
    tx.commit().await.unwrap();
    let mut tx = s.begin_write().await.unwrap();
    assert!(matches!(tx.insert_user(&u).await, Err(StoreError::Conflict("username"))));
    drop(tx);
    let live = s.session_user("hash-live").await.unwrap();
    assert_eq!(live.session.user_id, id);
    assert_eq!(live.user.id, id);
    assert!(matches!(s.session_user("hash-dead").await, Err(StoreError::NotFound)));
    assert_eq!(s.list_users(&Scope::Province("01".into()), 10, 0).await.unwrap().1, 1);
    assert_eq!(s.list_users(&Scope::Province("79".into()), 10, 0).await.unwrap().1, 0);
    // A TOTP time-step is taken once, and never an earlier one (RFC 6238 §5.2).
    let mut tx = s.begin_write().await.unwrap();
    assert!(tx.take_totp_step(id, 5).await.unwrap());
    assert!(!tx.take_totp_step(id, 5).await.unwrap());
    assert!(!tx.take_totp_step(id, 4).await.unwrap());
    assert!(tx.take_totp_step(id, 6).await.unwrap());
    tx.commit().await.unwrap();
    s.close().await;
}

/// A stored value that does not decode is an error naming table, column and value,
/// never a default (an unknown role once meant "no TOTP required").
async fn stored_values(db: &TestDb) {
    let s = Store::connect(&db.url).await.unwrap();
    s.load_shipped_units().await.unwrap();
    let u = NewUser {
        username: "b".into(),
        display_name: "B".into(),
        password_hash: "x".into(),
        role: "province".into(),
        unit_code: Some("01".into()),
        organisation_id: None,
        province_code: Some("01".into()),
        commune_code: None,
        email: None,
    };
    let mut tx = s.begin_write().await.unwrap();
    let id = tx.insert_user(&u).await.unwrap();
    tx.commit().await.unwrap();
    let rec = s.user_by_id(id).await.unwrap();
    assert_eq!((rec.role, rec.active, rec.totp_enabled), (domain::Role::Province, true, false));
    s.execute_one("UPDATE users SET role = 'root' WHERE id = $1", &[store::Arg::I(id)]).await.unwrap();
    match s.user_by_username("b").await {
        Err(StoreError::Decode { table: "users", column: "role", value }) => assert_eq!(value, "root"),
        other => panic!("expected a decode error, got {other:?}"),
    }
    s.execute_one("UPDATE users SET role = 'province', active = 2 WHERE id = $1", &[store::Arg::I(id)]).await.unwrap();
    assert!(matches!(s.user_by_id(id).await, Err(StoreError::Decode { column: "active", .. })));
    s.execute_one("UPDATE units SET valid_from = '2025-13-01' WHERE code = '00004'", &[]).await.unwrap();
    assert!(matches!(s.unit("00004").await, Err(StoreError::Decode { table: "units", column: "valid_from", .. })));
    assert_eq!(s.unit("01").await.unwrap().level, domain::Level::Province);
    s.close().await;
}
