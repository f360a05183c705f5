use super::Messages;

pub static MESSAGES: Messages = Messages {
    lang_name: "English",
    language_group_label: "Language",
    skip_to_content: "Skip to main content",
    main_nav_label: "Main sections",
    nav_home: "Home",
    nav_services: "Public services",
    nav_news: "News",
    nav_contact: "Contact",
    loading: "Loading…",
    app_title_fallback: "Commune police",

    home_title: "Which procedure do you need?",
    home_intro: "See which papers to bring, book an appointment and prepare your form before you come in.",
    home_services_title: "Public services",
    home_services_body: "ID card, residence, lost papers, vehicle registration: what you need, fees, processing times.",
    home_news_title: "News and warnings",
    home_news_body: "The latest scam warnings and police notices.",
    home_contact_title: "Contact",
    home_contact_body: "Address, phone numbers, reception hours and the official pages.",
    privacy_note: "What you type stays on this device and is not sent anywhere.",

    services_title: "Public services",
    services_intro: "Choose a procedure to see which papers to bring, the fee and the processing time.",

    news_title: "News and warnings",
    news_intro: "Notices and warnings published by the police. The police never ask you to transfer money over the phone.",
    news_empty: "There is no news at the moment.",
    news_published: "Published",
    news_warning: "Warning",
    news_notice: "Notice",
    news_source: "Source",

    contact_title: "Contact",
    contact_address: "Address",
    contact_phone: "Duty desk phone",
    contact_email: "Email",
    contact_hours: "Reception hours",
    contact_closed: "Closed",
    contact_time_zone: "Vietnam time (UTC+7).",
    contact_channels: "Official channels",
    contact_channels_warning: "Trust only the channels below. Fake police pages ask for money or OTP codes: do not follow them.",
    contact_parent_agency: "Part of",
    channel_website: "Website",
    channel_hotline: "Phone",

    emergency_title: "Emergency",
    emergency_body: "Call 113 when you need the police at once. The call is free, at any hour.",
    emergency_call: "Call 113",

    sample_data_notice: "This is sample data for demonstration, not the details of a real station.",

    not_found_title: "Page not found",
    not_found_body: "This address is not part of the app. The link may be mistyped or out of date.",
    back_home: "Back to the home page",

    error_title: "Something went wrong",
    error_body: "This part could not be shown. Anything you typed is kept. Try again or go back to the home page.",
    data_error_title: "The station's data could not be read",
    data_error_help: "An administrator needs to correct the data file named above. The rest of the app still works.",
    retry: "Try again",

    offline_notice: "Offline: the app is using the data saved on this device.",

    weekdays: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
};
