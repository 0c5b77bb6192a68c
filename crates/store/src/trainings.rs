//! Training courses (tập huấn, bồi dưỡng) for the grassroots forces: held by a unit
//! in scope, with named attendance of team members or a headcount for large courses.

use domain::Scope;
use serde::Serialize;

use crate::db::{bind_all, int_at};
use crate::decode::Cols;
use crate::scope_sql::{clause, Table};
use crate::{now_ms, Arg, Result, Store, Tx};

/// A course as stored.
#[derive(Debug, Clone, Serialize)]
pub struct TrainingRecord {
    /// Id.
    pub id: i64,
    /// The unit holding it.
    pub unit_code: String,
    /// Year.
    pub year: i64,
    /// Topic.
    pub topic: String,
    /// Level (commune, province, nation).
    pub level: String,
    /// First day.
    pub starts_on: String,
    /// Last day.
    pub ends_on: String,
    /// Organiser.
    pub organiser: String,
    /// Hours.
    pub hours: i64,
    /// People counted without names.
    pub headcount: i64,
    /// Members attending by name.
    pub attendees: i64,
}

/// A new course.
#[derive(Debug, Clone)]
pub struct NewTraining {
    /// Unit, commune, province.
    pub place: (String, Option<String>, String),
    /// Year.
    pub year: i64,
    /// Topic.
    pub topic: String,
    /// Level.
    pub level: String,
    /// Days.
    pub days: (String, String),
    /// Organiser.
    pub organiser: String,
    /// Hours.
    pub hours: i64,
    /// Headcount.
    pub headcount: i64,
}

impl Store {
    /// A year's courses in scope, by first day.
    pub async fn list_trainings(&self, scope: &Scope, year: i64) -> Result<Vec<TrainingRecord>> {
        let mut args = vec![Arg::I(year)];
        let c = clause(scope, Table::Trainings, &mut args);
        let sql = format!("SELECT tr.id, tr.unit_code, tr.year, tr.topic, tr.level, tr.starts_on, tr.ends_on, tr.organiser, tr.hours, tr.headcount, (SELECT COUNT(*) FROM training_attendance a WHERE a.training_id = tr.id) AS attendees FROM trainings tr WHERE tr.year = $1 AND {c} ORDER BY tr.starts_on, tr.id LIMIT 500");
        let rows = bind_all(sqlx::query(&sql), &args).fetch_all(self.pool()).await?;
        rows.iter()
            .map(|r| {
                let c = Cols::new("trainings", r);
                Ok(TrainingRecord {
                    id: c.int("id")?,
                    unit_code: c.text("unit_code")?,
                    year: c.int("year")?,
                    topic: c.text("topic")?,
                    level: c.text("level")?,
                    starts_on: c.text("starts_on")?,
                    ends_on: c.text("ends_on")?,
                    organiser: c.text("organiser")?,
                    hours: c.int("hours")?,
                    headcount: c.int("headcount")?,
                    attendees: c.int("attendees")?,
                })
            })
            .collect()
    }

    /// Of `members`, those of teams in `scope` (the rest are not the caller's).
    pub async fn members_in_scope(&self, scope: &Scope, members: &[i64]) -> Result<Vec<i64>> {
        let mut out = Vec::new();
        for m in members {
            let mut args = vec![Arg::I(*m)];
            let c = clause(scope, Table::Teams, &mut args);
            let sql = format!(
                "SELECT mb.id FROM team_members mb JOIN teams tm ON tm.id = mb.team_id WHERE mb.id = $1 AND {c}"
            );
            if let Some(r) = bind_all(sqlx::query(&sql), &args).fetch_optional(self.pool()).await? {
                out.push(int_at(&r, 0)?);
            }
        }
        Ok(out)
    }
}

impl Tx {
    /// Stores a course and its named attendance; returns its id.
    pub async fn insert_training(&mut self, t: &NewTraining, members: &[i64], by: i64) -> Result<i64> {
        let r = bind_all(
            sqlx::query("INSERT INTO trainings (unit_code, commune_code, province_code, year, topic, level, starts_on, ends_on, organiser, hours, headcount, created_by, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13) RETURNING id"),
            &[
                t.place.0.as_str().into(),
                t.place.1.clone().into(),
                t.place.2.as_str().into(),
                Arg::I(t.year),
                t.topic.as_str().into(),
                t.level.as_str().into(),
                t.days.0.as_str().into(),
                t.days.1.as_str().into(),
                t.organiser.as_str().into(),
                Arg::I(t.hours),
                Arg::I(t.headcount),
                Arg::I(by),
                Arg::I(now_ms()),
            ],
        )
        .fetch_one(&mut *self.tx)
        .await?;
        let id = int_at(&r, 0)?;
        for m in members {
            self.exec(
                "INSERT INTO training_attendance (training_id, member_id) VALUES ($1, $2)",
                &[Arg::I(id), Arg::I(*m)],
            )
            .await?;
        }
        Ok(id)
    }
}
