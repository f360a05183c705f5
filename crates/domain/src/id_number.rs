//! The 12-digit personal identification number: PPP G YY NNNNNN (domain notes §11).
//! PPP is the province (or country) code where the birth was registered; G gives century and sex
//! (0/1 = 1900s male/female, 2/3 = 2000s, 4/5 = 2100s, …); YY the last two digits of the birth
//! year; NNNNNN is random. Sources: Nghị định 137/2015 art. 13; Thông tư 07/2016 art. 7; codes in
//! Thông tư 59/2021; kept by Luật Căn cước 2023 art. 12. Existing numbers do not change with the
//! 2025 province mergers, so the 63 pre-2025 province codes stay valid. Checked 2026-11-24.

use chrono::{Datelike, NaiveDate};

/// Province codes of the 63 pre-2025 provinces.
const PROVINCES: [(u16, &str); 63] = [
    (1, "Hà Nội"),
    (2, "Hà Giang"),
    (4, "Cao Bằng"),
    (6, "Bắc Kạn"),
    (8, "Tuyên Quang"),
    (10, "Lào Cai"),
    (11, "Điện Biên"),
    (12, "Lai Châu"),
    (14, "Sơn La"),
    (15, "Yên Bái"),
    (17, "Hòa Bình"),
    (19, "Thái Nguyên"),
    (20, "Lạng Sơn"),
    (22, "Quảng Ninh"),
    (24, "Bắc Giang"),
    (25, "Phú Thọ"),
    (26, "Vĩnh Phúc"),
    (27, "Bắc Ninh"),
    (30, "Hải Dương"),
    (31, "Hải Phòng"),
    (33, "Hưng Yên"),
    (34, "Thái Bình"),
    (35, "Hà Nam"),
    (36, "Nam Định"),
    (37, "Ninh Bình"),
    (38, "Thanh Hóa"),
    (40, "Nghệ An"),
    (42, "Hà Tĩnh"),
    (44, "Quảng Bình"),
    (45, "Quảng Trị"),
    (46, "Thừa Thiên Huế"),
    (48, "Đà Nẵng"),
    (49, "Quảng Nam"),
    (51, "Quảng Ngãi"),
    (52, "Bình Định"),
    (54, "Phú Yên"),
    (56, "Khánh Hòa"),
    (58, "Ninh Thuận"),
    (60, "Bình Thuận"),
    (62, "Kon Tum"),
    (64, "Gia Lai"),
    (66, "Đắk Lắk"),
    (67, "Đắk Nông"),
    (68, "Lâm Đồng"),
    (70, "Bình Phước"),
    (72, "Tây Ninh"),
    (74, "Bình Dương"),
    (75, "Đồng Nai"),
    (77, "Bà Rịa–Vũng Tàu"),
    (79, "TP Hồ Chí Minh"),
    (80, "Long An"),
    (82, "Tiền Giang"),
    (83, "Bến Tre"),
    (84, "Trà Vinh"),
    (86, "Vĩnh Long"),
    (87, "Đồng Tháp"),
    (89, "An Giang"),
    (91, "Kiên Giang"),
    (92, "Cần Thơ"),
    (93, "Hậu Giang"),
    (94, "Sóc Trăng"),
    (95, "Bạc Liêu"),
    (96, "Cà Mau"),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sex {
    Male,
    Female,
}

/// What the number itself says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdNumber {
    pub digits: String,
    pub province: &'static str,
    pub birth_century: i32,
    pub sex: Sex,
    pub birth_year_last_two: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IdNumberError {
    #[error("the number is empty")]
    Empty,
    #[error("the number must be 12 digits")]
    NotTwelveDigits,
    #[error("the first three digits are not a province code")]
    UnknownProvince(String),
    #[error("the 4th digit does not match the year of birth")]
    CenturyMismatch,
    #[error("the 4th digit does not match the sex")]
    SexMismatch,
    #[error("digits 5–6 do not match the year of birth")]
    YearMismatch,
}

/// Reads a number as typed ("079 2 03 012345" is fine) and decodes its structure.
pub fn parse_id_number(input: &str) -> Result<IdNumber, IdNumberError> {
    let digits: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '.' && *c != '-')
        .collect();
    if digits.is_empty() {
        return Err(IdNumberError::Empty);
    }
    if digits.len() != 12 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(IdNumberError::NotTwelveDigits);
    }
    let number = |range: std::ops::Range<usize>| digits[range].parse::<u32>().unwrap_or(0);
    let province_code = number(0..3) as u16;
    let province = PROVINCES
        .iter()
        .find(|(code, _)| *code == province_code)
        .map(|(_, name)| *name)
        .ok_or_else(|| IdNumberError::UnknownProvince(digits[0..3].to_owned()))?;
    let g = number(3..4) as i32;
    Ok(IdNumber {
        province,
        birth_century: 1900 + (g / 2) * 100,
        sex: if g % 2 == 0 { Sex::Male } else { Sex::Female },
        birth_year_last_two: number(4..6),
        digits,
    })
}

/// Problems between the number and the date of birth and sex given elsewhere on the form.
pub fn check_consistency(
    id: &IdNumber,
    birth: Option<NaiveDate>,
    sex: Option<Sex>,
) -> Vec<IdNumberError> {
    let mut problems = Vec::new();
    if let Some(birth) = birth {
        let year = birth.year();
        if year - year.rem_euclid(100) != id.birth_century {
            problems.push(IdNumberError::CenturyMismatch);
        }
        if year.rem_euclid(100) as u32 != id.birth_year_last_two {
            problems.push(IdNumberError::YearMismatch);
        }
    }
    if sex.is_some_and(|s| s != id.sex) {
        problems.push(IdNumberError::SexMismatch);
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn decodes_real_structures() {
        // A woman born 2003 in TP Hồ Chí Minh; a man born 1985 in Đắk Lắk.
        let woman = parse_id_number("079 3 03 012345").expect("valid");
        assert_eq!(
            (
                woman.province,
                woman.birth_century,
                woman.sex,
                woman.birth_year_last_two
            ),
            ("TP Hồ Chí Minh", 2000, Sex::Female, 3)
        );
        let man = parse_id_number("066085001234").expect("valid");
        assert_eq!(
            (man.province, man.birth_century, man.sex),
            ("Đắk Lắk", 1900, Sex::Male)
        );
        assert!(check_consistency(&woman, date(2003, 5, 1), Some(Sex::Female)).is_empty());
        assert!(check_consistency(&man, date(1985, 12, 31), Some(Sex::Male)).is_empty());
    }

    #[test]
    fn mismatches_with_the_form_are_named() {
        let woman = parse_id_number("079303012345").expect("valid");
        assert_eq!(
            check_consistency(&woman, date(1903, 5, 1), None),
            vec![IdNumberError::CenturyMismatch]
        );
        assert_eq!(
            check_consistency(&woman, date(2004, 5, 1), None),
            vec![IdNumberError::YearMismatch]
        );
        assert_eq!(
            check_consistency(&woman, None, Some(Sex::Male)),
            vec![IdNumberError::SexMismatch]
        );
        // 2100s codes exist already in the scheme (4/5).
        let future = parse_id_number("001500000001").expect("valid");
        assert_eq!((future.birth_century, future.sex), (2100, Sex::Female));
    }

    #[test]
    fn malformed_numbers_are_refused_with_a_reason() {
        assert_eq!(parse_id_number(""), Err(IdNumberError::Empty));
        assert_eq!(
            parse_id_number("07930301234"),
            Err(IdNumberError::NotTwelveDigits)
        );
        assert_eq!(
            parse_id_number("07930301234X"),
            Err(IdNumberError::NotTwelveDigits)
        );
        assert_eq!(
            parse_id_number("003303012345"),
            Err(IdNumberError::UnknownProvince("003".into()))
        );
        assert_eq!(
            parse_id_number("097303012345"),
            Err(IdNumberError::UnknownProvince("097".into()))
        );
        // Its words: i18n's tests.
    }
}
