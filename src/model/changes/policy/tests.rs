use super::*;

fn rules() -> ChangeRules {
    ChangeRules {
        patterns: vec!["*prod*".into()],
        ..ChangeRules::default()
    }
}

#[test]
fn the_effective_profile_is_the_named_one_then_the_environment_then_default() {
    assert_eq!(effective_profile(Some("dev"), Some("prod-admin")), "dev");
    assert_eq!(effective_profile(None, Some("prod-admin")), "prod-admin");
    assert_eq!(
        effective_profile(Some(""), Some("prod-admin")),
        "prod-admin"
    );
    assert_eq!(effective_profile(None, None), "default");
    assert_eq!(effective_profile(None, Some("")), "default");
}

#[test]
fn a_pattern_matches_the_profile_from_the_environment() {
    let mut rules = rules();
    rules.env_profile = Some("prod-admin".into());
    let refusal = decide(&rules, None).unwrap_err();
    assert_eq!(
        refusal,
        Refusal::Pattern {
            profile: "prod-admin".into(),
            pattern: "*prod*".into()
        }
    );
    assert_eq!(
        refusal.to_string(),
        "read-only: profile prod-admin matches read-only pattern *prod*"
    );
    assert_eq!(decide(&rules, Some("dev")), Ok(()));
}

#[test]
fn read_write_overrides_saved_patterns_and_unreadable_settings_but_not_the_flag() {
    let mut rules = rules();
    rules.saved_read_only = true;
    rules.settings_unreadable = Some("truncated".into());
    assert!(matches!(
        decide(&rules, Some("prod")),
        Err(Refusal::SettingsUnreadable(_))
    ));
    rules.read_write = true;
    assert_eq!(decide(&rules, Some("prod")), Ok(()));
    rules.forced_read_only = true;
    let refusal = decide(&rules, Some("dev")).unwrap_err();
    assert_eq!(refusal, Refusal::Flag);
    assert!(!refusal.can_override());
}

#[test]
fn the_saved_setting_refuses_any_profile() {
    let mut rules = rules();
    rules.saved_read_only = true;
    assert_eq!(decide(&rules, Some("dev")), Err(Refusal::Saved));
    assert!(Refusal::Saved.can_override());
}

#[test]
fn saved_policy_reads_the_settings_and_refuses_what_is_not_settings() {
    assert_eq!(
        SavedPolicy::from_settings_text(None).unwrap(),
        SavedPolicy::default()
    );
    let saved = SavedPolicy::from_settings_text(Some(
        r#"{"read_only":true,"read_only_profiles":["live-*"],"region":"eu-west-1"}"#,
    ))
    .unwrap();
    assert!(saved.read_only);
    assert_eq!(saved.read_only_profiles, ["live-*"]);
    for bad in ["", "{\"read_only\":tr", "[]", "{\"read_only\":\"yes\"}"] {
        assert!(
            SavedPolicy::from_settings_text(Some(bad)).is_err(),
            "{bad:?} must not read as settings"
        );
    }
}
