//! Campaign years the ministry adjusted: deadlines, recognition target and who
//! approves a commune's own assessment. A year without a row runs on the defaults.

use chrono::NaiveDate;
use domain::assessment::CommuneApprover;
use domain::campaign::Campaign;

use crate::db::bind_all;
use crate::decode::{bad, date, parsed};
use crate::{now_ms, Arg, Result, Store, Tx};

type CampaignRow = (i64, String, String, String, i64, String);

fn decode(r: CampaignRow) -> Result<Campaign> {
    const T: &str = "campaigns";
    Ok(Campaign {
        year: i32::try_from(r.0).map_err(|_| bad(T, "year", r.0))?,
        residential_area_deadline: date(T, "residential_area_deadline", &r.1)?,
        commune_deadline: date(T, "commune_deadline", &r.2)?,
        province_summary_deadline: date(T, "province_summary_deadline", &r.3)?,
        target_percent: u32::try_from(r.4).map_err(|_| bad(T, "target_percent", r.4))?,
        commune_approver: parsed(T, "commune_approver", &r.5, CommuneApprover::parse)?,
    })
}

impl Store {
    /// The stored campaign of a year, if the ministry adjusted it.
    pub async fn campaign(&self, year: i64) -> Result<Option<Campaign>> {
        let row: Option<CampaignRow> = sqlx::query_as(
            "SELECT year, residential_area_deadline, commune_deadline, province_summary_deadline, target_percent, commune_approver FROM campaigns WHERE year = $1",
        )
        .bind(year)
        .fetch_optional(self.pool())
        .await?;
        row.map(decode).transpose()
    }
}

impl Tx {
    /// Stores (replaces) the campaign of its year.
    pub async fn put_campaign(&mut self, c: &Campaign, by: i64) -> Result<()> {
        let iso = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
        self.exec("DELETE FROM campaigns WHERE year = $1", &[Arg::I(i64::from(c.year))]).await?;
        let args: [Arg; 8] = [
            Arg::I(i64::from(c.year)),
            iso(c.residential_area_deadline).into(),
            iso(c.commune_deadline).into(),
            iso(c.province_summary_deadline).into(),
            Arg::I(i64::from(c.target_percent)),
            c.commune_approver.as_str().into(),
            Arg::I(by),
            Arg::I(now_ms()),
        ];
        bind_all(
            sqlx::query("INSERT INTO campaigns (year, residential_area_deadline, commune_deadline, province_summary_deadline, target_percent, commune_approver, updated_by, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)"),
            &args,
        )
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }
}
