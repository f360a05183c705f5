//! Booking codes: six characters and a check character, e.g. "K7M-4QX9" read aloud at the
//! counter. The alphabet leaves out I, L, O and U (misread as 1, 1, 0 and V); typed I, L and O
//! are read as 1, 1 and 0. The check character makes Σ (position × value) ≡ 0 (mod 31): since
//! 31 is prime and the weights are distinct, every single wrong character and every swap of two
//! neighbours changes the sum, so every such mistake is caught.

/// 31 symbols (a prime count): Crockford's base-32 alphabet without Z (misread as 2).
const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKMNPQRSTVWXY";
const MODULUS: u32 = 31;
pub const DATA_LEN: usize = 6;

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("a booking code has 7 characters")]
    WrongLength,
    #[error("the code contains a character that is never used in codes")]
    BadCharacter,
    #[error("the code's check character does not match: a character is probably mistyped")]
    CheckFailed,
}

fn value_of(symbol: u8) -> Option<u32> {
    let symbol = match symbol.to_ascii_uppercase() {
        b'O' => b'0',
        b'I' | b'L' => b'1',
        other => other,
    };
    ALPHABET.iter().position(|&s| s == symbol).map(|p| p as u32)
}

fn weighted_sum(values: impl Iterator<Item = u32>) -> u32 {
    values
        .enumerate()
        .map(|(i, v)| (i as u32 + 1) * v)
        .sum::<u32>()
        % MODULUS
}

/// Makes a code from six random numbers (any u32; reduced to the alphabet). Randomness is the
/// caller's: the domain has none of its own.
pub fn make_code(random: [u32; DATA_LEN]) -> String {
    let values: Vec<u32> = random.iter().map(|r| r % MODULUS).collect();
    let partial = weighted_sum(values.iter().copied());
    // Find c with partial + 7·c ≡ 0 (mod 31).
    let check = (0..MODULUS)
        .find(|c| (partial + (DATA_LEN as u32 + 1) * c) % MODULUS == 0)
        .unwrap_or(0);
    values
        .iter()
        .chain(std::iter::once(&check))
        .map(|&v| char::from(ALPHABET[v as usize]))
        .collect()
}

/// Reads a code as typed or scanned ("k7m-4qx9", "K7M 4QX9"), returning its canonical form.
pub fn parse_code(input: &str) -> Result<String, CodeError> {
    let symbols: Vec<u8> = input
        .bytes()
        .filter(|b| !matches!(b, b' ' | b'-' | b'.'))
        .collect();
    if symbols.len() != DATA_LEN + 1 {
        return Err(CodeError::WrongLength);
    }
    let values: Vec<u32> = symbols
        .iter()
        .map(|&s| value_of(s))
        .collect::<Option<_>>()
        .ok_or(CodeError::BadCharacter)?;
    if weighted_sum(values.iter().copied()) != 0 {
        return Err(CodeError::CheckFailed);
    }
    Ok(values
        .iter()
        .map(|&v| char::from(ALPHABET[v as usize]))
        .collect())
}

/// Grouped for reading aloud: "K7M-4QX9".
pub fn display_code(code: &str) -> String {
    if code.len() == DATA_LEN + 1 && code.is_ascii() {
        format!("{}-{}", &code[..3], &code[3..])
    } else {
        code.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample_codes() -> Vec<String> {
        // A spread of data values, deterministic.
        (0..200u32)
            .map(|n| {
                make_code([
                    n,
                    n * 7 + 3,
                    n * 13 + 5,
                    n * 17 + 11,
                    n * 19 + 2,
                    n * 23 + 29,
                ])
            })
            .collect()
    }

    #[test]
    fn made_codes_parse_back() {
        for code in sample_codes() {
            assert_eq!(parse_code(&code), Ok(code.clone()));
            assert_eq!(
                parse_code(&display_code(&code).to_lowercase()),
                Ok(code.clone())
            );
        }
    }

    #[test]
    fn every_single_character_error_is_caught() {
        for code in sample_codes().iter().take(40) {
            for position in 0..code.len() {
                for &replacement in ALPHABET.iter() {
                    let mut bytes = code.clone().into_bytes();
                    if bytes[position] == replacement {
                        continue;
                    }
                    bytes[position] = replacement;
                    let typo = String::from_utf8(bytes).expect("ascii");
                    assert_eq!(
                        parse_code(&typo),
                        Err(CodeError::CheckFailed),
                        "{code} → {typo}"
                    );
                }
            }
        }
    }

    #[test]
    fn every_swap_of_neighbours_is_caught() {
        for code in sample_codes() {
            let bytes = code.as_bytes();
            for i in 0..bytes.len() - 1 {
                if bytes[i] == bytes[i + 1] {
                    continue;
                }
                let mut swapped = bytes.to_vec();
                swapped.swap(i, i + 1);
                let swapped = String::from_utf8(swapped).expect("ascii");
                assert_eq!(
                    parse_code(&swapped),
                    Err(CodeError::CheckFailed),
                    "{code} → {swapped}"
                );
            }
        }
    }

    #[test]
    fn look_alike_letters_are_read_as_digits_and_bad_input_is_named() {
        let code = make_code([0, 1, 2, 3, 4, 5]);
        assert!(code.starts_with("01"));
        let typed = format!("o{}", &code[1..]).replace('1', "l");
        assert_eq!(parse_code(&typed), Ok(code));
        assert_eq!(parse_code("ABC"), Err(CodeError::WrongLength));
        assert_eq!(parse_code("ABCDEF!"), Err(CodeError::BadCharacter));
        assert_eq!(parse_code("ABCDEFU"), Err(CodeError::BadCharacter));
    }
}
