//! The Wavy Messaging WhatsApp Groups API (to be completed).
