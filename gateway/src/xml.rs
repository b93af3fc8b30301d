//! The pieces of S3's XML answers: escaping, timestamps, the owner.

/// S3's XML namespace.
pub const NS: &str = "http://s3.amazonaws.com/doc/2006-03-01/";

/// The owner of every bucket and object: the gateway is anonymous, so one
/// fixed canonical user.
pub const OWNER_ID: &str = "s3err-gateway";

/// The `<Owner>` element.
pub fn owner() -> String {
    format!("<Owner><ID>{OWNER_ID}</ID><DisplayName>{OWNER_ID}</DisplayName></Owner>")
}

/// `s` as XML character data (`&`, `<`, `>`, quotes escaped; carriage
/// returns as a character reference, so a parser keeps them).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            _ => out.push(c),
        }
    }
    out
}

/// Seconds since the epoch as S3's XML timestamp,
/// `2006-02-03T16:45:09.000Z`.
pub fn timestamp(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.000Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// The proleptic Gregorian date of a day number (days since 1970-01-01),
/// by counting 400-year eras of 146,097 days from 0000-03-01.
fn civil(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Dates computed apart (GNU `date -u -d @SECS`).
    #[test]
    fn timestamps() {
        assert_eq!(timestamp(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(timestamp(951_782_400), "2000-02-29T00:00:00.000Z");
        assert_eq!(timestamp(1_796_288_400), "2026-12-03T09:00:00.000Z");
        assert_eq!(timestamp(4_107_542_399), "2100-02-28T23:59:59.000Z");
        assert_eq!(timestamp(-1), "1969-12-31T23:59:59.000Z");
    }

    #[test]
    fn escapes() {
        assert_eq!(escape("a<&>\"'\rb é"), "a&lt;&amp;&gt;&quot;&apos;&#13;b é");
    }
}
