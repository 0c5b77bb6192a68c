//! Events of the movement — the Ngày hội of each residential area, conferences,
//! forums — with their reported figures and the cases their opinions became; and
//! the Ngày hội coverage of a scope (residential areas holding one of all).

use domain::Scope;
use serde::Serialize;

use crate::db::{bind_all, int_at};
use crate::decode::Cols;
use crate::scope_sql::{clause, Table};
use crate::{now_ms, Arg, Result, Store, StoreError, Tx};

/// An event as stored.
#[derive(Debug, Clone, Serialize)]
pub struct EventRecord {
    /// Id.
    pub id: i64,
    /// Year.
    pub year: i64,
    /// ngay_hoi | conference | forum.
    pub kind: String,
    /// Title.
    pub title: String,
    /// The unit holding it.
    pub unit_code: String,
    /// Its name.
    pub unit_name: String,
    /// Province.
    pub province_code: String,
    /// Commune.
    pub commune_code: Option<String>,
    /// The day.
    pub held_on: String,
    /// Place.
    pub place: Option<String>,
    /// The form it takes (văn nghệ, thể thao, ký cam kết…).
    pub form: Option<String>,
    /// Its guests.
    pub guests: Option<String>,
    /// The level of the unit holding it (area, commune, province, nation).
    pub level: String,
    /// A pilot site (điểm chỉ đạo).
    pub pilot: bool,
    /// Participants, once reported.
    pub participants: Option<i64>,
    /// Households taking part.
    pub households: Option<i64>,
    /// Commitments signed.
    pub commitments: Option<i64>,
    /// Models and persons honoured.
    pub honoured: Option<i64>,
    /// Funds raised (đồng).
    pub funds: Option<i64>,
    /// When the result was reported (Unix ms).
    pub reported_at: Option<i64>,
}

/// An opinion raised at an event and the case it became.
#[derive(Debug, Clone, Serialize)]
pub struct EventOpinion {
    /// The case.
    pub case_id: i64,
    /// Its receipt code.
    pub receipt_code: String,
    /// petition | feedback.
    pub kind: String,
    /// Where the case stands.
    pub status: String,
    /// Its deadline, if one runs.
    pub due_date: Option<String>,
}

/// A new event.
#[derive(Debug, Clone)]
pub struct NewEvent {
    /// Year (of the day).
    pub year: i64,
    /// Kind.
    pub kind: String,
    /// Title.
    pub title: String,
    /// Unit, province, commune.
    pub place: (String, String, Option<String>),
    /// The day.
    pub held_on: String,
    /// Place text.
    pub place_text: Option<String>,
    /// The form it takes.
    pub form: Option<String>,
    /// Its guests.
    pub guests: Option<String>,
    /// Pilot site.
    pub pilot: bool,
}

/// The reported figures.
#[derive(Debug, Clone, Copy, Default)]
pub struct EventFigures {
    /// Participants.
    pub participants: i64,
    /// Households.
    pub households: Option<i64>,
    /// Commitments.
    pub commitments: Option<i64>,
    /// Honoured.
    pub honoured: Option<i64>,
    /// Funds.
    pub funds: Option<i64>,
}

/// (residential areas in force, those that held the Ngày hội of year `$1` and
/// reported it), over `units u`; the caller adds its scope with `AND …` (and may
/// group by `u.commune_code`).
pub(crate) const NGAY_HOI_COUNTS: &str = "CAST(COUNT(*) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM events e WHERE e.year = $1 AND e.kind = 'ngay_hoi' AND e.unit_code = u.code AND e.reported_at IS NOT NULL) THEN 1 ELSE 0 END), 0) AS BIGINT) FROM units u WHERE u.level = 'area' AND u.valid_to IS NULL";

const SELECT: &str = "SELECT ev.id, ev.year, ev.kind, ev.title, ev.unit_code, u.name AS unit_name, ev.province_code, ev.commune_code, ev.held_on, ev.place, ev.form, ev.guests, u.level, ev.pilot, ev.participants, ev.households, ev.commitments, ev.honoured, ev.funds, ev.reported_at FROM events ev JOIN units u ON u.code = ev.unit_code";

fn row(r: sqlx::any::AnyRow) -> Result<EventRecord> {
    let c = Cols::new("events", &r);
    Ok(EventRecord {
        id: c.int("id")?,
        year: c.int("year")?,
        kind: c.text("kind")?,
        title: c.text("title")?,
        unit_code: c.text("unit_code")?,
        unit_name: c.text("unit_name")?,
        province_code: c.text("province_code")?,
        commune_code: c.opt_text("commune_code")?,
        held_on: c.text("held_on")?,
        place: c.opt_text("place")?,
        form: c.opt_text("form")?,
        guests: c.opt_text("guests")?,
        level: c.text("level")?,
        pilot: c.flag("pilot")?,
        participants: c.opt_int("participants")?,
        households: c.opt_int("households")?,
        commitments: c.opt_int("commitments")?,
        honoured: c.opt_int("honoured")?,
        funds: c.opt_int("funds")?,
        reported_at: c.opt_int("reported_at")?,
    })
}

impl Store {
    /// One event in scope.
    pub async fn event(&self, scope: &Scope, id: i64) -> Result<EventRecord> {
        let mut args = vec![Arg::I(id)];
        let c = clause(scope, Table::Events, &mut args);
        let sql = format!("{SELECT} WHERE ev.id = $1 AND {c}");
        row(bind_all(sqlx::query(&sql), &args).fetch_optional(self.pool()).await?.ok_or(StoreError::NotFound)?)
    }

    /// Events of a year in scope, by day.
    pub async fn list_events(
        &self,
        scope: &Scope,
        year: i64,
        kind: Option<&str>,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<EventRecord>, i64)> {
        let mut args = vec![Arg::I(year)];
        let mut conds = vec!["ev.year = $1".to_string(), clause(scope, Table::Events, &mut args)];
        if let Some(k) = kind {
            args.push(k.into());
            conds.push(format!("ev.kind = ${}", args.len()));
        }
        let wh = conds.join(" AND ");
        let count = format!("SELECT COUNT(*) FROM events ev WHERE {wh}");
        let rows = format!("{SELECT} WHERE {wh} ORDER BY ev.held_on, ev.id");
        self.count_and_page(&count, &rows, args, limit, offset, row).await
    }

    /// The opinions of an event and what became of each.
    pub async fn event_opinions(&self, event: i64) -> Result<Vec<EventOpinion>> {
        let rows = sqlx::query("SELECT o.case_id, c.receipt_code, o.kind, c.status, c.due_date FROM event_opinions o JOIN cases c ON c.id = o.case_id WHERE o.event_id = $1 ORDER BY o.case_id")
            .bind(event)
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|r| {
                let c = Cols::new("event_opinions", r);
                Ok(EventOpinion {
                    case_id: c.int("case_id")?,
                    receipt_code: c.text("receipt_code")?,
                    kind: c.text("kind")?,
                    status: c.text("status")?,
                    due_date: c.opt_text("due_date")?,
                })
            })
            .collect()
    }

    /// Ngày hội coverage of a scope in a year: (residential areas in force, those
    /// that held one and reported it).
    pub async fn ngay_hoi_coverage(&self, scope: &Scope, year: i64) -> Result<(i64, i64)> {
        let mut args = vec![Arg::I(year)];
        let cu = clause(scope, Table::Units, &mut args);
        let sql = format!("SELECT {NGAY_HOI_COUNTS} AND {cu}");
        let r = bind_all(sqlx::query(&sql), &args).fetch_one(self.pool()).await?;
        Ok((int_at(&r, 0)?, int_at(&r, 1)?))
    }

    /// Ngày hội coverage one level down: the nation's by province, a province's by
    /// commune — (code, name, areas, held), by code; none below a province.
    pub async fn ngay_hoi_by_place(&self, scope: &Scope, year: i64) -> Result<Vec<(String, String, i64, i64)>> {
        let col = match scope {
            Scope::Nation => "u.province_code",
            Scope::Province(_) => "u.commune_code",
            _ => return Ok(Vec::new()),
        };
        let mut args = vec![Arg::I(year)];
        let cu = clause(scope, Table::Units, &mut args);
        let sql = format!(
            "SELECT {col} AS code, (SELECT n.name FROM units n WHERE n.code = {col}) AS name, {NGAY_HOI_COUNTS} AND {cu} AND {col} IS NOT NULL GROUP BY {col} ORDER BY {col}"
        );
        let rows = bind_all(sqlx::query(&sql), &args).fetch_all(self.pool()).await?;
        rows.iter()
            .map(|r| {
                let c = Cols::new("units", r);
                Ok((c.text("code")?, c.opt_text("name")?.unwrap_or_default(), int_at(r, 2)?, int_at(r, 3)?))
            })
            .collect()
    }
}

impl Tx {
    /// Stores a planned event; returns its id.
    pub async fn insert_event(&mut self, e: &NewEvent, by: i64) -> Result<i64> {
        let r = bind_all(
            sqlx::query("INSERT INTO events (year, kind, title, unit_code, province_code, commune_code, held_on, place, pilot, created_by, created_at, form, guests) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13) RETURNING id"),
            &[
                Arg::I(e.year),
                e.kind.as_str().into(),
                e.title.as_str().into(),
                e.place.0.as_str().into(),
                e.place.1.as_str().into(),
                e.place.2.clone().into(),
                e.held_on.as_str().into(),
                e.place_text.clone().into(),
                Arg::I(i64::from(e.pilot)),
                Arg::I(by),
                Arg::I(now_ms()),
                e.form.clone().into(),
                e.guests.clone().into(),
            ],
        )
        .fetch_one(&mut *self.tx)
        .await?;
        int_at(&r, 0)
    }

    /// Records an event's figures once (0 rows when reported already).
    pub async fn report_event(&mut self, id: i64, f: &EventFigures) -> Result<u64> {
        self.exec(
            "UPDATE events SET participants = $1, households = $2, commitments = $3, honoured = $4, funds = $5, reported_at = $6 WHERE id = $7 AND reported_at IS NULL",
            &[
                Arg::I(f.participants),
                f.households.into(),
                f.commitments.into(),
                f.honoured.into(),
                f.funds.into(),
                Arg::I(now_ms()),
                Arg::I(id),
            ],
        )
        .await
    }

    /// Links the cases an event's opinions became.
    pub async fn link_opinions(&mut self, event: i64, cases: &[(i64, String)]) -> Result<()> {
        for (case, kind) in cases {
            self.exec(
                "INSERT INTO event_opinions (event_id, case_id, kind) VALUES ($1, $2, $3)",
                &[Arg::I(event), Arg::I(*case), kind.as_str().into()],
            )
            .await?;
        }
        Ok(())
    }
}
