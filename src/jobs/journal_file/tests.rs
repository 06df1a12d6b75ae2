use super::*;
use crate::model::connection::Connection;
use std::io::Write;
use std::time::{Duration, UNIX_EPOCH};

fn entry(id: u64) -> JournalEntry {
    let connection = Connection {
        profile: Some("dev".into()),
        region: "eu-west-1".into(),
        endpoint_url: Some("http://user:pw@127.0.0.1:5000".into()),
    };
    let mut entry = JournalEntry::of_cli(
        &connection,
        "UpdateService",
        "arn:aws:ecs:eu-west-1:1:service/c/s",
        "desired count 2 → 3",
        Ok("arn:aws:ecs:eu-west-1:1:service/c/s"),
        UNIX_EPOCH + Duration::from_secs(id),
    );
    entry.id = id;
    entry
}

#[test]
fn the_journal_is_private_and_a_cut_line_is_never_glued_to_the_next() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("ecsdeck");
    let path = dir.join("journal.jsonl");
    append(&path, &entry(1)).unwrap();
    // A crash (or a full disk) cut the next line short.
    {
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        file.write_all(br#"{"at":"1970-01-01T00:00:02Z","id":2,"via":"ap"#)
            .unwrap();
    }
    append(&path, &entry(3)).unwrap();
    append(&path, &entry(3)).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.lines().count(), 4, "{text}");
    let entries = read(&path).unwrap();
    let ids: Vec<u64> = entries.iter().map(|e| e.id).collect();
    assert_eq!(ids, [3, 3, 1], "newest first; the cut line is skipped");
    assert_eq!(entries[0].via, "cli");
    assert_eq!(
        entries[0].endpoint.as_deref(),
        Some("http://127.0.0.1:5000")
    );
    assert!(!text.contains("pw@"), "{text}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(&dir), 0o700);
    }
}

#[test]
fn an_unwritable_journal_is_an_error_not_a_silence() {
    let home = tempfile::tempdir().unwrap();
    // A directory where the file should be: every append fails.
    let path = home.path().join("journal.jsonl");
    std::fs::create_dir(&path).unwrap();
    assert!(append(&path, &entry(1)).is_err());
}
