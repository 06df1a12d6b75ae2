use super::*;
use proptest::prelude::*;

#[test]
fn the_three_forms() {
    assert_eq!(
        TaskDefRef::parse("web-api_2"),
        Ok(TaskDefRef::Family("web-api_2".into()))
    );
    assert_eq!(
        TaskDefRef::parse(" web:42\n"),
        Ok(TaskDefRef::Revision {
            family: "web".into(),
            revision: 42
        })
    );
    let arn = "arn:aws-us-gov:ecs:us-gov-west-1:123456789012:task-definition/web:7";
    let parsed = TaskDefRef::parse(arn).unwrap();
    assert_eq!(parsed.family(), "web");
    assert_eq!(parsed.revision(), Some(7));
    assert_eq!(parsed.to_string(), arn);
}

#[test]
fn each_mistake_is_named() {
    let error = |text: &str| TaskDefRef::parse(text).unwrap_err().to_string();
    assert!(error("").contains("empty"));
    assert!(error("web:0").contains("\"0\" is not a revision"));
    assert!(error("web:+3").contains("is not a revision"));
    assert!(error("web:latest").contains("is not a revision"));
    assert!(error("web:99999999999").contains("is not a revision"));
    assert!(error("my web").contains("\"my web\" is not a family name"));
    assert!(error(&"x".repeat(256)).contains("…\" is not a family name"));
    assert!(error("web:1:2").contains("is not a revision"));
    assert!(
        error("arn:aws:ecs:us-east-1:123456789012:service/prod/web")
            .contains("not a task definition")
    );
    assert!(
        error("arn:aws:ecr:us-east-1:123456789012:task-definition/web:1")
            .contains("not an ECS ARN")
    );
    assert!(error("arn:aws:ecs:us-east-1:1234:task-definition/web:1").contains("12 digits"));
    assert!(
        error("arn:aws:ecs:us-east-1:123456789012:task-definition/web").contains("no revision")
    );
    assert!(error("arn:aws").contains("too few parts"));
}

/// Valid references of each form.
fn any_ref() -> impl Strategy<Value = TaskDefRef> {
    let family = "[A-Za-z0-9_-]{1,40}";
    prop_oneof![
        family.prop_map(TaskDefRef::Family),
        (family, 1u32..).prop_map(|(family, revision)| TaskDefRef::Revision { family, revision }),
        (
            "aws(-[a-z]{2,6}){0,2}",
            "[a-z]{2}(-[a-z]+)?-[0-9]",
            "[0-9]{12}",
            family,
            1u32..
        )
            .prop_map(
                |(partition, region, account, family, revision)| TaskDefRef::Arn {
                    partition,
                    region,
                    account,
                    family,
                    revision
                }
            ),
    ]
}

proptest! {
    #[test]
    fn a_reference_written_out_parses_back_to_itself(reference in any_ref()) {
        prop_assert_eq!(TaskDefRef::parse(&reference.to_string()), Ok(reference));
    }

    /// Whatever is typed: no panic, and what is accepted writes out to the same reference
    /// (`web:007` is `web:7`).
    #[test]
    fn any_text_is_refused_or_written_out_the_same(
        text in "\\PC{0,80}|[a-z]{1,4}:0*[0-9]{1,3}|arn:[a-z0-9:/_-]{0,60}"
    ) {
        if let Ok(reference) = TaskDefRef::parse(&text) {
            prop_assert_eq!(TaskDefRef::parse(&reference.to_string()), Ok(reference));
        }
    }
}
