//! The public honour roll of a year: the decided awards and the recognised
//! "Dân vận khéo" models whose decision says the public may see them, by province.
//! A person appears only through such a decision; nothing else about them (year of
//! birth, sex, service) is read here.

use serde::Serialize;

use crate::decode::Cols;
use crate::{Result, Store};

/// One line of the roll.
#[derive(Debug, Clone, Serialize)]
pub struct HonourLine {
    /// Province code.
    pub province_code: String,
    /// Province name.
    pub province_name: String,
    /// award | dan_van_kheo.
    pub kind: String,
    /// The award's code (an award), `None` for a model.
    pub award_type: Option<String>,
    /// Who is honoured: the collective's, the person's or the model's name.
    pub name: String,
    /// A person's position, if a person.
    pub position: Option<String>,
    /// The unit.
    pub unit_name: String,
    /// The decision's number.
    pub decision_number: Option<String>,
    /// Its date.
    pub decision_date: Option<String>,
}

const AWARDS: &str = "SELECT nm.province_code, p.name AS province_name, 'award' AS kind, nm.award_type, COALESCE(nm.person_name, (SELECT o.name FROM organisations o WHERE o.id = nm.organisation_id), u.name) AS name, nm.position, u.name AS unit_name, nm.decision_number, nm.decision_date FROM nominations nm JOIN units u ON u.code = nm.unit_code JOIN units p ON p.code = nm.province_code WHERE nm.year = $1 AND nm.status = 'decided' AND nm.public = 1";

const MODELS: &str = "SELECT dv.province_code, p.name AS province_name, 'dan_van_kheo' AS kind, NULL AS award_type, m.name AS name, NULL AS position, u.name AS unit_name, dv.decision_number, dv.decision_date FROM dvk_entries dv JOIN models m ON m.id = dv.model_id JOIN units u ON u.code = m.unit_code JOIN units p ON p.code = dv.province_code WHERE dv.year = $1 AND dv.status = 'recognised' AND dv.public = 1";

impl Store {
    /// The roll of a year, by province then kind then name.
    pub async fn honour_roll(&self, year: i64) -> Result<Vec<HonourLine>> {
        let sql = format!("SELECT * FROM ({AWARDS} UNION ALL {MODELS}) r ORDER BY r.province_code, r.kind, r.name");
        let rows = sqlx::query(&sql).bind(year).fetch_all(self.pool()).await?;
        rows.iter()
            .map(|r| {
                let c = Cols::new("honour_roll", r);
                Ok(HonourLine {
                    province_code: c.text("province_code")?,
                    province_name: c.text("province_name")?,
                    kind: c.text("kind")?,
                    award_type: c.opt_text("award_type")?,
                    name: c.text("name")?,
                    position: c.opt_text("position")?,
                    unit_name: c.text("unit_name")?,
                    decision_number: c.opt_text("decision_number")?,
                    decision_date: c.opt_text("decision_date")?,
                })
            })
            .collect()
    }
}
