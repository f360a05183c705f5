//! How a call is announced: a chime (Web Audio), the number spoken (speech synthesis, where the
//! device has a voice for the language), a vibration and a notification on a phone. Each says
//! whether it could; the page shows a sign for what it could not, never silence without one.

use wasm_bindgen::JsCast;

/// A two-note chime, about half a second. False where the device cannot play sound now (no
/// Web Audio, or sound not yet allowed: a screen's browser needs one tap, or kiosk Chromium's
/// `--autoplay-policy=no-user-gesture-required`).
pub fn chime() -> bool {
    let Ok(context) = web_sys::AudioContext::new() else {
        return false;
    };
    if context.state() != web_sys::AudioContextState::Running {
        let _ = context.resume();
        if context.state() == web_sys::AudioContextState::Suspended {
            let _ = context.close();
            return false;
        }
    }
    let start = context.current_time();
    for (i, frequency) in [880.0_f32, 660.0].into_iter().enumerate() {
        let (Ok(tone), Ok(gain)) = (context.create_oscillator(), context.create_gain()) else {
            return false;
        };
        tone.frequency().set_value(frequency);
        let at = start + 0.3 * i as f64;
        let _ = gain.gain().set_value_at_time(0.0, at);
        let _ = gain.gain().linear_ramp_to_value_at_time(0.4, at + 0.02);
        let _ = gain.gain().linear_ramp_to_value_at_time(0.0, at + 0.28);
        let _ = tone.connect_with_audio_node(&gain);
        let _ = gain.connect_with_audio_node(&context.destination());
        let _ = tone.start_with_when(at);
        let _ = tone.stop_with_when(at + 0.3);
    }
    true
}

/// Whether sound may play now (the screen shows "Tap to turn on sound" while it may not).
pub fn sound_allowed() -> bool {
    web_sys::AudioContext::new().is_ok_and(|context| {
        let running = context.state() == web_sys::AudioContextState::Running;
        let _ = context.close();
        running
    })
}

/// Says `text` in a voice for `lang` ("vi", "en"); false where the device has none.
pub fn speak(text: &str, lang: &str) -> bool {
    let Some(synthesis) = web_sys::window().and_then(|w| w.speech_synthesis().ok()) else {
        return false;
    };
    let voice = synthesis
        .get_voices()
        .iter()
        .filter_map(|v| v.dyn_into::<web_sys::SpeechSynthesisVoice>().ok())
        .find(|v| v.lang().to_ascii_lowercase().starts_with(lang));
    let Some(voice) = voice else {
        return false;
    };
    let Ok(utterance) = web_sys::SpeechSynthesisUtterance::new_with_text(text) else {
        return false;
    };
    utterance.set_voice(Some(&voice));
    utterance.set_lang(&voice.lang());
    utterance.set_rate(0.9);
    synthesis.speak(&utterance);
    true
}

/// A phone's vibration: three pulses.
pub fn vibrate() -> bool {
    web_sys::window().is_some_and(|w| {
        let pattern = js_sys::Array::of3(&300.into(), &150.into(), &300.into());
        w.navigator().vibrate_with_pattern(&pattern)
    })
}

/// Whether notifications are allowed on this device (asked by `ask_to_notify`).
pub fn may_notify() -> bool {
    web_sys::Notification::permission() == web_sys::NotificationPermission::Granted
}

/// Asks once, on a tap, whether the page may notify.
pub fn ask_to_notify() {
    let _ = web_sys::Notification::request_permission();
}

/// A notification with `title` and `body`, where allowed.
pub fn notify(title: &str, body: &str) -> bool {
    if !may_notify() {
        return false;
    }
    let options = web_sys::NotificationOptions::new();
    options.set_body(body);
    options.set_tag("civic-kiosk-queue");
    web_sys::Notification::new_with_options(title, &options).is_ok()
}
