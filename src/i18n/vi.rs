use super::Messages;

pub static MESSAGES: Messages = Messages {
    lang_name: "Tiếng Việt",
    language_group_label: "Ngôn ngữ",
    skip_to_content: "Chuyển đến nội dung chính",
    main_nav_label: "Mục chính",
    nav_home: "Trang chủ",
    nav_services: "Dịch vụ công",
    nav_news: "Tin tức",
    nav_contact: "Liên hệ",
    loading: "Đang tải…",
    app_title_fallback: "Công an xã, phường",

    home_title: "Bạn cần làm thủ tục gì?",
    home_intro: "Xem giấy tờ cần mang, đặt lịch hẹn và chuẩn bị tờ khai trước khi đến trụ sở.",
    home_services_title: "Dịch vụ công",
    home_services_body: "Thủ tục căn cước, cư trú, trình báo mất giấy tờ, đăng ký xe: cần gì, lệ phí, thời gian.",
    home_news_title: "Tin tức và cảnh báo",
    home_news_body: "Cảnh báo lừa đảo mới nhất và thông báo của công an.",
    home_contact_title: "Liên hệ",
    home_contact_body: "Địa chỉ, số điện thoại, giờ tiếp dân và các trang chính thức.",
    privacy_note: "Thông tin bạn nhập chỉ ở trên thiết bị này, không gửi đi đâu.",

    services_title: "Dịch vụ công",
    services_intro: "Chọn thủ tục để xem giấy tờ cần mang, lệ phí và thời gian giải quyết.",

    news_title: "Tin tức và cảnh báo",
    news_intro: "Thông báo và cảnh báo do công an đăng. Công an không bao giờ yêu cầu chuyển tiền qua điện thoại.",
    news_empty: "Hiện chưa có tin nào.",
    news_published: "Ngày đăng",
    news_warning: "Cảnh báo",
    news_notice: "Thông báo",
    news_source: "Nguồn",

    contact_title: "Liên hệ",
    contact_address: "Địa chỉ",
    contact_phone: "Điện thoại trực ban",
    contact_email: "Thư điện tử",
    contact_hours: "Giờ tiếp dân",
    contact_closed: "Nghỉ",
    contact_time_zone: "Giờ Việt Nam (UTC+7).",
    contact_channels: "Kênh chính thức",
    contact_channels_warning: "Chỉ tin các kênh dưới đây. Trang giả mạo công an thường đòi tiền hoặc mã OTP: đừng làm theo.",
    contact_parent_agency: "Trực thuộc",
    channel_website: "Trang web",
    channel_hotline: "Điện thoại",

    emergency_title: "Khẩn cấp",
    emergency_body: "Gọi 113 khi cần công an giúp ngay. Cuộc gọi miễn phí, mọi lúc.",
    emergency_call: "Gọi 113",

    sample_data_notice: "Đây là dữ liệu mẫu để trình diễn, không phải thông tin của một trụ sở thật.",

    not_found_title: "Không tìm thấy trang",
    not_found_body: "Địa chỉ này không có trong ứng dụng. Có thể đường dẫn bị gõ sai hoặc đã cũ.",
    back_home: "Về trang chủ",

    error_title: "Đã xảy ra lỗi",
    error_body: "Phần này không hiển thị được. Những gì bạn đã nhập vẫn được giữ. Hãy thử lại hoặc về trang chủ.",
    data_error_title: "Không đọc được dữ liệu của trụ sở",
    data_error_help: "Người quản trị cần sửa tệp dữ liệu nêu trên. Những phần khác của ứng dụng vẫn dùng được.",
    retry: "Thử lại",

    offline_notice: "Đang ngoại tuyến: ứng dụng dùng dữ liệu đã lưu trên máy.",

    weekdays: ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"],
};
