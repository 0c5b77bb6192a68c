//! Who verified an assessment and who decided it (TT 124/2021 Điều 9, 10): one row
//! per assessment, written inside the transition's own transaction.

use serde::Serialize;

use crate::{Arg, Result, Store, Tx};

/// The verification and the decision of an assessment.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RecognitionRecord {
    /// Who verified (thẩm định): the officer's name.
    pub verified_by_name: Option<String>,
    /// When (Unix ms).
    pub verified_at: Option<i64>,
    /// The verifier's remarks.
    pub remarks: Option<String>,
    /// The deciding body ("Ủy ban nhân dân Phường Ba Đình").
    pub deciding_body: Option<String>,
    /// commune_peoples_committee | province_peoples_committee | ministry
    pub authority: Option<String>,
    /// The signer's name.
    pub signer_name: Option<String>,
    /// The signer's title.
    pub signer_title: Option<String>,
}

impl Store {
    /// The verification and decision of an assessment, if recorded.
    pub async fn recognition(&self, assessment_id: i64) -> Result<Option<RecognitionRecord>> {
        type Row = (
            Option<String>,
            Option<i64>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
        );
        let row: Option<Row> = sqlx::query_as(
            "SELECT COALESCE(NULLIF(u.display_name, ''), u.username), r.verified_at, r.remarks, r.deciding_body, r.authority, r.signer_name, r.signer_title FROM recognition_records r LEFT JOIN users u ON u.id = r.verified_by WHERE r.assessment_id = $1",
        )
        .bind(assessment_id)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|(verified_by_name, verified_at, remarks, deciding_body, authority, signer_name, signer_title)| {
            RecognitionRecord {
                verified_by_name,
                verified_at,
                remarks,
                deciding_body,
                authority,
                signer_name,
                signer_title,
            }
        }))
    }
}

impl Tx {
    /// Records the verification (the review step).
    pub async fn set_verification(
        &mut self,
        assessment_id: i64,
        by: i64,
        at: i64,
        remarks: Option<&str>,
    ) -> Result<()> {
        self.exec("DELETE FROM recognition_records WHERE assessment_id = $1", &[Arg::I(assessment_id)]).await?;
        self.exec(
            "INSERT INTO recognition_records (assessment_id, verified_by, verified_at, remarks) VALUES ($1,$2,$3,$4)",
            &[Arg::I(assessment_id), Arg::I(by), Arg::I(at), remarks.map(str::to_string).into()],
        )
        .await?;
        Ok(())
    }

    /// Records the decision (the approval step): the body, its kind, the signer.
    pub async fn set_decision(
        &mut self,
        assessment_id: i64,
        body: &str,
        authority: &str,
        signer: (Option<&str>, Option<&str>),
    ) -> Result<()> {
        self.exec(
            "INSERT INTO recognition_records (assessment_id) SELECT $1 WHERE NOT EXISTS (SELECT 1 FROM recognition_records WHERE assessment_id = $1)",
            &[Arg::I(assessment_id)],
        )
        .await?;
        self.exec(
            "UPDATE recognition_records SET deciding_body = $2, authority = $3, signer_name = $4, signer_title = $5 WHERE assessment_id = $1",
            &[
                Arg::I(assessment_id),
                body.into(),
                authority.into(),
                signer.0.map(str::to_string).into(),
                signer.1.map(str::to_string).into(),
            ],
        )
        .await?;
        Ok(())
    }

    /// Forgets both (the assessment was returned: its decision goes).
    pub async fn clear_recognition(&mut self, assessment_id: i64) -> Result<()> {
        self.exec("DELETE FROM recognition_records WHERE assessment_id = $1", &[Arg::I(assessment_id)]).await?;
        Ok(())
    }
}
