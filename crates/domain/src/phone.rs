//! Vietnamese telephone numbers (domain notes §12): mobiles are 10 digits starting 0[3-9],
//! landlines 11 digits starting 02, and +84 may stand for the leading 0.

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum PhoneKind {
    Mobile,
    Landline,
    /// Three-digit public numbers such as 113 (police), 114 (fire), 115 (ambulance).
    Emergency,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PhoneNumber {
    /// Digits only, national form (leading 0), e.g. "0912345678".
    pub digits: String,
    pub kind: PhoneKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error("the number is empty")]
    Empty,
    #[error(
        "the number contains characters other than digits, spaces, dots, dashes or a leading +"
    )]
    NotDigits,
    #[error(
        "the number is not a Vietnamese mobile (10 digits, 03–09…) or landline (11 digits, 02…)"
    )]
    NotVietnamese,
}

/// Reads a number as people write it ("0912 345 678", "+84 912.345.678") and classifies it.
pub fn parse_phone(input: &str) -> Result<PhoneNumber, PhoneError> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(PhoneError::Empty);
    }
    let (international, rest) = match trimmed.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, trimmed),
    };
    let mut digits = String::new();
    for c in rest.chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '.' | '-' | '(' | ')' => {}
            _ => return Err(PhoneError::NotDigits),
        }
    }
    if international {
        digits = match digits.strip_prefix("84") {
            Some(national) => format!("0{national}"),
            None => return Err(PhoneError::NotVietnamese),
        };
    }
    let bytes = digits.as_bytes();
    let kind = match (bytes.len(), bytes.first(), bytes.get(1)) {
        (3, Some(b'1'), _) if !international => PhoneKind::Emergency,
        (10, Some(b'0'), Some(b'3'..=b'9')) => PhoneKind::Mobile,
        (11, Some(b'0'), Some(b'2')) => PhoneKind::Landline,
        _ => return Err(PhoneError::NotVietnamese),
    };
    Ok(PhoneNumber { digits, kind })
}

impl PhoneNumber {
    /// Grouped for reading aloud: "0912 345 678", "0262 3852 123".
    pub fn display(&self) -> String {
        let d = &self.digits;
        match self.kind {
            PhoneKind::Mobile => format!("{} {} {}", &d[..4], &d[4..7], &d[7..]),
            PhoneKind::Landline => format!("{} {} {}", &d[..4], &d[4..8], &d[8..]),
            PhoneKind::Emergency => d.clone(),
        }
    }

    /// For a `tel:` link.
    pub fn tel_uri(&self) -> String {
        format!("tel:{}", self.digits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobiles_in_every_common_writing() {
        for written in [
            "0912345678",
            "0912 345 678",
            "+84 912 345 678",
            "+84912.345.678",
            "091-234-5678",
        ] {
            let phone = parse_phone(written).expect(written);
            assert_eq!(phone.digits, "0912345678", "{written}");
            assert_eq!(phone.kind, PhoneKind::Mobile);
        }
        assert_eq!(
            parse_phone("0355123456").map(|p| p.kind),
            Ok(PhoneKind::Mobile)
        );
    }

    #[test]
    fn landline_and_emergency() {
        let landline = parse_phone("0262 3852 123").expect("landline");
        assert_eq!(landline.kind, PhoneKind::Landline);
        assert_eq!(landline.display(), "0262 3852 123");
        assert_eq!(parse_phone("113").map(|p| p.kind), Ok(PhoneKind::Emergency));
    }

    #[test]
    fn rejects_what_is_not_a_vietnamese_number() {
        assert_eq!(parse_phone(""), Err(PhoneError::Empty));
        assert_eq!(parse_phone("09123abc78"), Err(PhoneError::NotDigits));
        assert_eq!(parse_phone("0123456789"), Err(PhoneError::NotVietnamese)); // 01x is no longer a prefix
        assert_eq!(parse_phone("091234567"), Err(PhoneError::NotVietnamese)); // 9 digits
        assert_eq!(
            parse_phone("+1 202 555 0100"),
            Err(PhoneError::NotVietnamese)
        );
        assert_eq!(parse_phone("+113"), Err(PhoneError::NotVietnamese));
    }
}
