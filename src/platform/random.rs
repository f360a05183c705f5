//! Randomness for booking codes: the browser's cryptographic generator, so codes cannot be
//! guessed from one another.

pub fn random_numbers<const N: usize>() -> [u32; N] {
    let mut bytes = vec![0u8; N * 4];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|crypto| crypto.get_random_values_with_u8_array(&mut bytes).is_ok());
    let mut numbers = [0u32; N];
    for (i, n) in numbers.iter_mut().enumerate() {
        *n = if filled {
            u32::from_le_bytes([
                bytes[4 * i],
                bytes[4 * i + 1],
                bytes[4 * i + 2],
                bytes[4 * i + 3],
            ])
        } else {
            // Every browser that runs this wasm has crypto; this keeps a code coming regardless.
            (js_sys::Math::random() * f64::from(u32::MAX)) as u32
        };
    }
    numbers
}
