//! The real `App` driven through egui_kittest (AccessKit queries, clicks, keys), over a
//! backend that answers from model-level fixtures (no network). One image snapshot per
//! main screen, rendered in software.

use crate::support;

use ecsdeck::App;
use ecsdeck::model::{ClusterTab, ErrorKind, ResourceKey, Route, TaskScope};
use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use support::fixture_backend::{self, FixtureBackend, SANDBOX_CLUSTER};
use support::fixtures::cluster_arn;

fn harness(backend: &FixtureBackend) -> Harness<'static, App> {
    support::harness::app_harness(backend, None)
}

fn route(harness: &Harness<'_, App>) -> Route {
    harness.state().model().route.clone()
}

fn prod_services() -> Route {
    Route::Cluster {
        cluster: cluster_arn("prod"),
        tab: ClusterTab::Services,
    }
}

fn open_prod(harness: &mut Harness<'_, App>) {
    harness.get_by_label("prod").click();
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    assert_eq!(route(harness), prod_services());
}

#[test]
fn clusters_are_listed_and_a_click_and_enter_open_one() {
    let backend = FixtureBackend::new();
    let mut harness = harness(&backend);
    for name in ["prod", "staging", "dev"] {
        harness.get_by_label(name);
    }
    harness.get_by_label_contains("fetched 0s ago");
    harness.get_by_label("prod").click();
    harness.run();
    // The detail pane of the selected cluster.
    harness.get_by_label("Open services ›");
    harness.get_by_label("Container Insights");
    support::harness::snapshot(&mut harness, "clusters");
    harness.key_press(Key::Enter);
    harness.run();
    assert_eq!(route(&harness), prod_services());
    harness.get_by_label("checkout-api");
}

#[test]
fn arrow_keys_move_the_selection_and_escape_goes_up() {
    let backend = FixtureBackend::new();
    let mut harness = harness(&backend);
    harness.key_press(Key::ArrowDown);
    harness.key_press(Key::ArrowDown);
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    assert_eq!(
        route(&harness).cluster(),
        Some(cluster_arn("staging").as_str())
    );
    harness.key_press(Key::Escape);
    harness.run();
    assert_eq!(route(&harness), Route::Clusters);
    // Backspace goes up too.
    open_prod(&mut harness);
    harness.key_press(Key::Backspace);
    harness.run();
    assert_eq!(route(&harness), Route::Clusters);
}

#[test]
fn service_detail_shows_configuration_deployments_and_events() {
    let backend = FixtureBackend::new();
    let mut harness = harness(&backend);
    open_prod(&mut harness);
    harness.get_by_label("checkout-api").click();
    harness.run();
    for section in [
        "Network",
        "Deployment configuration",
        "Deployments (2)",
        "Events (3)",
    ] {
        harness.get_by_label_contains(section);
    }
    harness.get_by_label("on, with rollback");
    harness.get_by_label_contains("has started 2 tasks");
    harness.get_by_label("ECS deployment ecs-svc/4000000000000000000 in progress.");
    support::harness::snapshot_themes(&mut harness, "services_detail");
}

#[test]
fn filter_narrows_the_list_and_sort_orders_it() {
    let backend = FixtureBackend::new();
    let mut harness = harness(&backend);
    open_prod(&mut harness);
    harness.key_press(Key::Slash);
    harness.run();
    harness
        .get_by_role_and_label(Role::TextInput, "Filter")
        .type_text("pay");
    harness.run();
    harness.get_by_label("payments-api");
    harness.get_by_label("payments-api-1");
    assert!(harness.query_by_label("checkout-api").is_none());
    harness.get_by_label_contains("2 of 24 rows");
    // Clear and sort by name, ascending then descending.
    harness
        .get_by_role_and_label(Role::TextInput, "Filter")
        .focus();
    harness.run();
    harness.key_press(Key::Escape);
    harness.run();
    assert!(harness.query_by_label("checkout-api").is_some());
    harness.get_by_label("Name").click();
    harness.run();
    let top = |h: &Harness<'_, App>, name: &str| h.get_by_label(name).rect().top();
    assert!(top(&harness, "auth-service") < top(&harness, "cart-service"));
    harness.get_by_label("Name ▲").click();
    harness.run();
    harness.get_by_label("Name ▼");
}

#[test]
fn tasks_of_a_service_with_container_detail() {
    let backend = FixtureBackend::new();
    let mut harness = harness(&backend);
    open_prod(&mut harness);
    harness.get_by_label("checkout-api").click();
    harness.run();
    harness.get_by_label("Tasks ›").click();
    harness.run();
    let cluster = cluster_arn("prod");
    assert!(matches!(route(&harness), Route::Service { .. }));
    assert_eq!(
        backend.loads_of(&ResourceKey::Tasks(TaskScope::service(
            &cluster,
            "checkout-api"
        ))),
        1
    );
    harness.key_press(Key::Home);
    harness.run();
    // A service's page lists its stopped tasks first, with the reason and container exit
    // codes: in the table's "Why stopped" column and in the detail pane.
    harness.get_by_label("Why stopped");
    assert_eq!(
        harness
            .query_all_by_label_contains("Task failed ELB health checks")
            .count(),
        2
    );
    harness.get_by_label("datadog-agent");
    harness.get_by_label("exit code 137");
    support::harness::snapshot_themes(&mut harness, "tasks_detail");
    harness.key_press(Key::Enter);
    harness.run();
    assert!(matches!(route(&harness), Route::Task { .. }));
    harness.get_by_label_contains("OutOfMemoryError");
    // The breadcrumb leads back to the cluster.
    harness.get_by_label("prod").click();
    harness.run();
    assert_eq!(route(&harness), prod_services());
}

#[test]
fn container_instances_tab() {
    let backend = FixtureBackend::new();
    let mut harness = harness(&backend);
    open_prod(&mut harness);
    harness.get_by_label("Container instances").click();
    harness.run();
    harness.get_by_label("mi-0123456789abcdef0");
    harness.get_by_label("EXTERNAL");
    harness.get_by_label("✖ disconnected");
    harness.key_press(Key::Home);
    harness.run();
    harness.get_by_label_contains("of 4096 units free");
    support::harness::snapshot(&mut harness, "instances");
}

#[test]
fn expired_credentials_show_a_banner_with_the_fix_and_retry_clears_it() {
    let backend = FixtureBackend::new();
    backend.credentials_expired.set(true);
    let mut harness = harness(&backend);
    harness.get_by_label_contains("Credentials for profile platform are missing or expired");
    harness.get_by_label("aws sso login --profile platform");
    harness.get_by_label_contains("ListClusters failed: ExpiredTokenException");
    harness.get_by_label_contains("5c4b5f2e-0d5e-4a4b-9d3e-8f1f7d5e6a7b");
    support::harness::snapshot(&mut harness, "credentials_banner");
    backend.credentials_expired.set(false);
    harness.get_by_label("Retry").click();
    harness.run();
    // Retry re-reads credentials (fresh SDK clients), not just the same cached ones.
    assert!(
        backend
            .sent
            .borrow()
            .contains(&ecsdeck::model::WorkerCommand::ResetClients)
    );
    assert!(
        harness
            .query_by_label_contains("missing or expired")
            .is_none()
    );
    harness.get_by_label("prod");
}

#[test]
fn f5_and_ctrl_r_reload_what_is_on_screen() {
    let backend = FixtureBackend::new();
    let mut harness = harness(&backend);
    assert_eq!(backend.loads_of(&ResourceKey::Clusters), 1);
    harness.key_press(Key::F5);
    harness.run();
    assert_eq!(backend.loads_of(&ResourceKey::Clusters), 2);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::R);
    harness.run();
    assert_eq!(backend.loads_of(&ResourceKey::Clusters), 3);
    harness.get_by_label("⟳ Refresh").click();
    harness.run();
    assert_eq!(backend.loads_of(&ResourceKey::Clusters), 4);
}

#[test]
fn auto_refresh_pauses_from_the_status_bar_and_resumes_by_shortcut() {
    let backend = FixtureBackend::new();
    let mut harness = harness(&backend);
    harness.get_by_label("Auto-refresh").click();
    harness.run();
    assert!(!harness.state().model().policy.auto_refresh);
    assert!(!harness.state().current_settings().policy.auto_refresh);
    harness.key_press_modifiers(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::R);
    harness.run();
    assert!(harness.state().model().policy.auto_refresh);
}

#[test]
fn switching_profile_reloads_and_is_saved() {
    let backend = FixtureBackend::new();
    let mut harness = harness(&backend);
    open_prod(&mut harness);
    harness
        .get_by_role_and_label(Role::ComboBox, "Profile")
        .click();
    harness.run();
    harness.get_by_label("sandbox").click();
    harness.run();
    let model = harness.state().model();
    assert_eq!(model.connection.profile.as_deref(), Some("sandbox"));
    assert_eq!(model.route, Route::Clusters);
    assert_eq!(model.generation, 1);
    assert_eq!(
        harness
            .state()
            .current_settings()
            .connection
            .profile
            .as_deref(),
        Some("sandbox")
    );
    assert!(
        backend
            .sent
            .borrow()
            .contains(&ecsdeck::model::WorkerCommand::CancelAll)
    );
    // The new profile's clusters replace the old ones.
    harness.get_by_label(SANDBOX_CLUSTER);
    assert!(harness.query_by_label("staging").is_none());
}

#[test]
fn a_cluster_deleted_while_viewed_shows_the_error_above_the_last_data() {
    let backend = FixtureBackend::new();
    let mut harness = harness(&backend);
    open_prod(&mut harness);
    backend.failures.borrow_mut().insert(
        ResourceKey::Services(cluster_arn("prod")),
        fixture_backend::service_error(
            "ListServices",
            "ClusterNotFoundException",
            "Cluster not found.",
            ErrorKind::NotFound,
        ),
    );
    harness.key_press(Key::F5);
    harness.run();
    harness.get_by_label("ListServices failed: ClusterNotFoundException");
    harness.get_by_label("Cluster not found.");
    harness.get_by_label_contains("It may have been deleted");
    harness.get_by_label_contains("0f6b1a2c-3d4e-5f60-7182-93a4b5c6d7e8");
    // The last good list stays visible, with its age.
    harness.get_by_label("checkout-api");
    assert!(harness.state().model().credentials_error.is_none());
}

#[test]
fn access_denied_on_one_call_leaves_the_rest_working() {
    let backend = FixtureBackend::new();
    backend.failures.borrow_mut().insert(
        ResourceKey::Instances(cluster_arn("prod")),
        fixture_backend::service_error(
            "ListContainerInstances",
            "AccessDeniedException",
            "User: arn:aws:sts::123456789012:assumed-role/ReadOnly/me is not authorized to perform: ecs:ListContainerInstances",
            ErrorKind::AccessDenied,
        ),
    );
    let mut harness = harness(&backend);
    open_prod(&mut harness);
    harness.get_by_label("Container instances").click();
    harness.run();
    harness.get_by_label("ListContainerInstances failed: AccessDeniedException");
    harness.get_by_label_contains("not allowed to make this call");
    harness.get_by_label("Tasks").click();
    harness.run();
    harness.get_by_label("Services").click();
    harness.run();
    harness.get_by_label("checkout-api");
}

#[test]
fn each_top_level_tab_goes_home_from_any_depth() {
    let backend = FixtureBackend::new();
    let mut harness = harness(&backend);
    open_prod(&mut harness);
    harness.get_by_label("checkout-api").click();
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    assert!(matches!(route(&harness), Route::Service { .. }));
    // The Clusters tab is the selected one here, and still goes to the cluster list.
    tab(&harness, "Clusters").click();
    harness.run();
    assert_eq!(route(&harness), Route::Clusters);
    // Task definitions from a family goes to the family list.
    // The tab comes first; the family list's heading has the same words.
    tab(&harness, "Task definitions").click();
    harness.run();
    assert_eq!(route(&harness), Route::TaskDefinitions);
    harness
        .state_mut()
        .apply(ecsdeck::model::Action::Navigate(Route::Family {
            family: "checkout-api".into(),
        }));
    harness.run();
    // The tab comes first; the family list's heading has the same words.
    tab(&harness, "Task definitions").click();
    harness.run();
    assert_eq!(route(&harness), Route::TaskDefinitions);
    // From the cluster's own tabs too (prod is still the selected cluster).
    tab(&harness, "Clusters").click();
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    assert_eq!(route(&harness), prod_services());
    tab(&harness, "Clusters").click();
    harness.run();
    assert_eq!(route(&harness), Route::Clusters);
}

fn tab<'h>(harness: &'h Harness<'_, App>, label: &'h str) -> egui_kittest::Node<'h> {
    harness.get_all_by_label(label).next().expect("the tab")
}
