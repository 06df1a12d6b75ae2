//! The connection and refresh choices survive a restart: `App::save` writes them to eframe's
//! storage and `App::new` restores them, with command-line flags taking precedence.

use crate::support;

use ecsdeck::App;
use ecsdeck::app::StartOverrides;
use ecsdeck::app::settings::{STORAGE_KEY, Settings};
use ecsdeck::model::{Action, Connection};
use std::collections::HashMap;
use support::fixture_backend::{self, FixtureBackend};

#[derive(Default)]
struct MemoryStorage(HashMap<String, String>);

impl eframe::Storage for MemoryStorage {
    fn get_string(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned()
    }

    fn set_string(&mut self, key: &str, value: String) {
        self.0.insert(key.to_owned(), value);
    }

    fn remove_string(&mut self, key: &str) {
        self.0.remove(key);
    }

    fn flush(&mut self) {}
}

fn restore(storage: &MemoryStorage, flags: &StartOverrides) -> App {
    let mut cc = eframe::CreationContext::_new_kittest(egui::Context::default());
    cc.storage = Some(storage);
    App::new(&cc, flags).expect("app")
}

#[test]
fn settings_are_saved_and_restored_and_flags_override_them() {
    let mut app = App::with_backend(fixture_backend::settings(), Box::new(FixtureBackend::new()));
    app.apply(Action::SetConnection(Connection {
        profile: Some("sandbox".into()),
        region: "eu-west-1".into(),
        endpoint_url: Some("http://127.0.0.1:4566".into()),
    }));
    app.apply(Action::SetRefreshInterval(60));
    app.apply(Action::SetAutoRefresh(false));
    let mut storage = MemoryStorage::default();
    eframe::App::save(&mut app, &mut storage);

    let saved = Settings::from_json(storage.0.get(STORAGE_KEY).cloned().as_deref());
    assert_eq!(saved.connection.profile.as_deref(), Some("sandbox"));
    assert_eq!(saved.connection.region, "eu-west-1");
    assert_eq!(saved.policy.refresh_interval_secs, 60);
    assert!(!saved.policy.auto_refresh);
    let text = storage.0.get(STORAGE_KEY).cloned().unwrap_or_default();
    assert!(
        !text.to_lowercase().contains("secret") && !text.contains("aws_access_key"),
        "{text}"
    );

    let restored = restore(&storage, &StartOverrides::default());
    assert_eq!(
        restored.model().connection.profile.as_deref(),
        Some("sandbox")
    );
    assert_eq!(restored.model().connection.region, "eu-west-1");
    assert_eq!(
        restored.model().connection.endpoint_url.as_deref(),
        Some("http://127.0.0.1:4566")
    );
    assert_eq!(restored.model().policy.refresh_interval_secs, 60);
    assert!(!restored.model().policy.auto_refresh);

    let flags = StartOverrides {
        profile: Some("platform".into()),
        region: Some("ap-south-1".into()),
        endpoint_url: None,
        read_only: true,
        log_buffer_lines: Some(50_000),
    };
    let overridden = restore(&storage, &flags);
    assert!(overridden.model().read_only, "--read-only turns it on");
    assert_eq!(overridden.model().policy.log_buffer_lines, 50_000);
    assert_eq!(
        overridden.current_settings().policy.log_buffer_lines,
        50_000
    );
    assert_eq!(
        overridden.model().connection.profile.as_deref(),
        Some("platform")
    );
    assert_eq!(overridden.model().connection.region, "ap-south-1");
    // A flag that is not given keeps the saved value.
    assert_eq!(
        overridden.model().connection.endpoint_url.as_deref(),
        Some("http://127.0.0.1:4566")
    );
}
