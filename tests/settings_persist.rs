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

/// The app as it starts with settings in eframe's storage only (an older version's, or no
/// config directory).
fn restore(storage: &MemoryStorage, flags: &StartOverrides) -> App {
    restore_from(storage, flags, None)
}

/// The app as it starts with its settings file at `path`.
fn restore_from(
    storage: &MemoryStorage,
    flags: &StartOverrides,
    path: Option<std::path::PathBuf>,
) -> App {
    let mut cc = eframe::CreationContext::_new_kittest(egui::Context::default());
    cc.storage = Some(storage);
    App::new_in(&cc, flags, path).expect("app")
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
        session_manager_plugin: Some("/tmp/demo/session-manager-plugin".into()),
        open_service: None,
        transient: false,
    };
    let overridden = restore(&storage, &flags);
    assert!(overridden.model().read_only(), "--read-only turns it on");
    assert!(
        !overridden.current_settings().read_only,
        "--read-only holds for this run and is not saved"
    );
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
    // The demo's plugin serves this run only: the saved path (none) stays.
    assert_eq!(
        overridden.model().policy.session_manager_plugin.as_deref(),
        Some("/tmp/demo/session-manager-plugin")
    );
    assert_eq!(
        overridden.current_settings().policy.session_manager_plugin,
        None
    );
    // A flag that is not given keeps the saved value.
    assert_eq!(
        overridden.model().connection.endpoint_url.as_deref(),
        Some("http://127.0.0.1:4566")
    );
}

/// A fleet row's own window: it starts on the service, on the row's profile and region, and
/// saves nothing (the main window's settings stay as they are).
#[test]
fn a_transient_window_starts_on_its_service_and_saves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("settings.json");
    let storage = MemoryStorage::default();
    let cluster = "arn:aws:ecs:eu-west-1:222222222222:cluster/staging";
    let service = "arn:aws:ecs:eu-west-1:222222222222:service/staging/web";
    let flags = StartOverrides {
        profile: Some("staging".into()),
        region: Some("eu-west-1".into()),
        open_service: Some((cluster.into(), service.into())),
        transient: true,
        ..StartOverrides::default()
    };
    let mut app = restore_from(&storage, &flags, Some(path.clone()));
    assert_eq!(
        app.model().route,
        ecsdeck::model::Route::Service {
            cluster: cluster.into(),
            service: service.into(),
        }
    );
    let mut written = MemoryStorage::default();
    eframe::App::save(&mut app, &mut written);
    assert!(written.0.is_empty());
    assert!(!path.exists(), "no settings file written");
}

#[test]
fn the_settings_file_is_written_whole_and_an_unreadable_one_starts_read_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ecsdeck").join("settings.json");
    let storage = MemoryStorage::default();
    let mut app = restore_from(&storage, &StartOverrides::default(), Some(path.clone()));
    assert!(!app.model().read_only());
    app.apply(Action::SetReadOnly(true));
    let mut sink = MemoryStorage::default();
    eframe::App::save(&mut app, &mut sink);
    // On exit the file thread finishes its writes before the process ends.
    eframe::App::on_exit(&mut app, None);
    assert!(
        sink.0.is_empty(),
        "settings go to the file, not eframe's storage"
    );
    let saved = Settings::parse(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert!(saved.read_only);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let restored = restore_from(&storage, &StartOverrides::default(), Some(path.clone()));
    assert!(restored.model().read_only());
    assert!(restored.model().change_rules.settings_unreadable.is_none());

    // Cut short by a crash or a full disk: not defaults with read-only off.
    std::fs::write(&path, r#"{"region":"eu-west-1","read_only":fal"#).unwrap();
    let mut broken = restore_from(&storage, &StartOverrides::default(), Some(path.clone()));
    let why = broken.model().change_rules.settings_unreadable.clone();
    assert!(
        why.as_deref()
            .is_some_and(|w| w.contains("not valid settings")),
        "{why:?}"
    );
    assert!(broken.model().read_only(), "started read-only");
    let kept = dir.path().join("ecsdeck").join("settings.json.unreadable");
    assert_eq!(
        std::fs::read_to_string(&kept).unwrap(),
        r#"{"region":"eu-west-1","read_only":fal"#,
        "the unreadable file is kept for the user"
    );
    eframe::App::save(&mut broken, &mut sink);
    eframe::App::on_exit(&mut broken, None);
    let rewritten = Settings::parse(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert!(
        rewritten.read_only,
        "saved read-only until the user says otherwise"
    );
}
