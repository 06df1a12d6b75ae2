//! The canonical form two task definitions are compared in: server-managed fields dropped,
//! AWS defaults removed, numbers-as-text unified, and the lists ECS treats as sets turned into
//! maps keyed by what identifies an item (containers by name, environment by variable, ports
//! by `port/protocol`, …), so order and defaults never show up as changes.

use super::task_def::{SERVER_MANAGED, TaskDefDocument, value_text};
use super::task_def_validate::{cpu_units, memory_mib};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// A node of the canonical tree; it borrows from the document it was made from, so building
/// one copies almost nothing.
#[derive(Clone, Debug, PartialEq)]
pub enum Node<'a> {
    /// A string, number or boolean.
    Scalar(Cow<'a, Value>),
    /// A JSON object: fields addressed as `.field`, in document order.
    Object(Vec<(Cow<'a, str>, Node<'a>)>),
    /// A list ECS treats as a set, keyed by identity: items addressed as `[key]`, sorted.
    Keyed(BTreeMap<Cow<'a, str>, Node<'a>>),
    /// An ordered list: items addressed as `[index]`.
    List(Vec<Node<'a>>),
}

impl<'a> Node<'a> {
    /// Back to JSON, for showing a value.
    pub fn to_value(&self) -> Value {
        match self {
            Self::Scalar(v) => v.as_ref().clone(),
            Self::Object(fields) => Value::Object(
                fields
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_value()))
                    .collect(),
            ),
            Self::Keyed(items) => Value::Object(
                items
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_value()))
                    .collect(),
            ),
            Self::List(items) => Value::Array(items.iter().map(Node::to_value).collect()),
        }
    }

    /// A scalar that is not in the document.
    pub fn owned(value: Value) -> Self {
        Self::Scalar(Cow::Owned(value))
    }

    /// A field of an object node.
    pub fn field(&self, key: &str) -> Option<&Node<'a>> {
        match self {
            Self::Object(fields) => fields.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

/// How the items of a keyed list are identified, and what their value is.
enum Key {
    /// The item's `field` names it; the rest of the item is its value.
    Field(&'static str),
    /// `name` → `value` pairs (environment, tags, extra hosts): the value is one scalar.
    Pair(&'static str, &'static str),
    /// Port mappings: `containerPort/protocol` (or the range).
    Port,
}

/// Task-level keys whose lists are keyed.
fn task_list_key(key: &str) -> Option<Key> {
    Some(match key {
        "volumes" => Key::Field("name"),
        "tags" => Key::Pair("key", "value"),
        "placementConstraints" => Key::Field("expression"),
        "inferenceAccelerators" => Key::Field("deviceName"),
        _ => return None,
    })
}

/// Container-level keys whose lists are keyed.
fn container_list_key(key: &str) -> Option<Key> {
    Some(match key {
        "environment" => Key::Pair("name", "value"),
        "secrets" => Key::Pair("name", "valueFrom"),
        "portMappings" => Key::Port,
        "mountPoints" => Key::Field("containerPath"),
        "volumesFrom" => Key::Field("sourceContainer"),
        "dependsOn" => Key::Pair("containerName", "condition"),
        "ulimits" => Key::Field("name"),
        "extraHosts" => Key::Pair("hostname", "ipAddress"),
        "environmentFiles" => Key::Field("value"),
        "resourceRequirements" => Key::Pair("type", "value"),
        "systemControls" => Key::Pair("namespace", "value"),
        _ => return None,
    })
}

/// The identity of `item` in the keyed list `list` (task-level, or a container's when
/// `in_container`), as the diff names it (`LOG_LEVEL`, `8080/tcp`, `data`), with the fields
/// that make up that identity and value (a path into them names the item itself). None: not
/// a keyed list, or an item without its identity.
pub(crate) fn item_identity(
    list: &str,
    in_container: bool,
    item: &Value,
) -> Option<(String, Vec<&'static str>)> {
    let key = if in_container {
        container_list_key(list)
    } else {
        task_list_key(list)
    }?;
    let object = item.as_object()?;
    let (id, fields) = match key {
        Key::Pair(name, value) => (text_of(get(object, name)).into_owned(), vec![name, value]),
        Key::Field(field) => (text_of(get(object, field)).into_owned(), vec![field]),
        Key::Port => (port(object, None).0.into_owned(), Vec::new()),
    };
    (!id.is_empty()).then_some((id, fields))
}

/// Lists of strings where order does not matter.
const STRING_SETS: &[&str] = &[
    "requiresCompatibilities",
    "links",
    "dnsServers",
    "dnsSearchDomains",
    "dockerSecurityOptions",
];

fn container_default(key: &str, value: &Value) -> bool {
    matches!(
        (key, value),
        ("essential", Value::Bool(true))
            | (
                "readonlyRootFilesystem"
                    | "privileged"
                    | "interactive"
                    | "pseudoTerminal"
                    | "disableNetworking",
                Value::Bool(false)
            )
    ) || (key == "cpu" && number_of(value) == Some(0))
}

fn number_of(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// True for values that mean "nothing": null, "", [], {}.
fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

/// `map[key]` by a linear scan: items of these lists have a handful of keys, and scanning them
/// is several times cheaper than hashing the key (this runs for every environment variable).
fn get<'a>(map: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    map.iter().find(|(k, _)| k.as_str() == key).map(|(_, v)| v)
}

/// A value as text, borrowed when it is a string.
fn text_of(value: Option<&Value>) -> Cow<'_, str> {
    match value {
        Some(Value::String(s)) => Cow::Borrowed(s.as_str()),
        Some(other) => Cow::Owned(value_text(other)),
        None => Cow::Borrowed(""),
    }
}

/// An object's fields as a node, leaving out `skip` (without copying the object first).
fn plain_object<'a>(map: &'a Map<String, Value>, skip: &[&str]) -> Option<Node<'a>> {
    let fields: Vec<(Cow<'a, str>, Node<'a>)> = map
        .iter()
        .filter(|(k, _)| !skip.contains(&k.as_str()))
        .filter_map(|(k, v)| plain(v).map(|n| (Cow::Borrowed(k.as_str()), n)))
        .collect();
    (!fields.is_empty()).then_some(Node::Object(fields))
}

/// A generic JSON value as a node (no keyed lists below this point).
fn plain(value: &Value) -> Option<Node<'_>> {
    if is_empty(value) {
        return None;
    }
    Some(match value {
        Value::Object(map) => return plain_object(map, &[]),
        Value::Array(items) => Node::List(items.iter().filter_map(plain).collect()),
        // Numbers written as text compare as numbers.
        Value::String(s) => match s.trim().parse::<i64>() {
            Ok(n) if n.to_string() == s.trim() => Node::owned(Value::from(n)),
            _ => Node::Scalar(Cow::Borrowed(value)),
        },
        other => Node::Scalar(Cow::Borrowed(other)),
    })
}

fn keyed<'a>(items: &'a [Value], key: &Key, network_mode: Option<&str>) -> Option<Node<'a>> {
    let mut out = BTreeMap::new();
    for (index, item) in items.iter().enumerate() {
        let Some(object) = item.as_object() else {
            continue;
        };
        let (id, node) = match key {
            Key::Pair(name, value) => {
                let id = text_of(get(object, name));
                let node = get(object, value)
                    .and_then(plain)
                    .unwrap_or_else(|| Node::owned(Value::from("")));
                (id, node)
            }
            Key::Field(field) => {
                let id = text_of(get(object, field));
                let rest = plain_object(object, &[field]).unwrap_or(Node::Object(Vec::new()));
                (id, rest)
            }
            Key::Port => port(object, network_mode),
        };
        // Items without an identity keep their position, so none is lost.
        let id = if id.is_empty() {
            Cow::Owned(format!("#{index}"))
        } else {
            id
        };
        out.insert(id, node);
    }
    (!out.is_empty()).then_some(Node::Keyed(out))
}

fn port<'a>(
    object: &'a Map<String, Value>,
    network_mode: Option<&str>,
) -> (Cow<'a, str>, Node<'a>) {
    let protocol = get(object, "protocol")
        .map(value_text)
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| "tcp".to_owned())
        .to_ascii_lowercase();
    let container_port = get(object, "containerPort").and_then(number_of);
    let id = match (container_port, get(object, "containerPortRange")) {
        (Some(p), _) => format!("{p}/{protocol}"),
        (None, Some(range)) => format!("{}/{protocol}", value_text(range)),
        (None, None) => String::new(),
    };
    // What ECS assumes when hostPort is left out: the container port under awsvpc and host,
    // a dynamic port (0) under bridge.
    let host_port = get(object, "hostPort").and_then(number_of);
    let implied = match network_mode {
        Some("awsvpc" | "host") => container_port,
        _ => Some(0),
    };
    let skip: &[&str] = if host_port.is_some() && host_port == implied {
        &[
            "containerPort",
            "containerPortRange",
            "protocol",
            "hostPort",
        ]
    } else {
        &["containerPort", "containerPortRange", "protocol"]
    };
    (
        Cow::Owned(id),
        plain_object(object, skip).unwrap_or(Node::Object(Vec::new())),
    )
}

fn string_set(items: &[Value]) -> Option<Node<'_>> {
    let map: BTreeMap<Cow<'_, str>, Node<'_>> = items
        .iter()
        .map(|item| text_of(Some(item)))
        .filter(|s| !s.is_empty())
        .map(|t| (t, Node::owned(Value::Bool(true))))
        .collect();
    (!map.is_empty()).then_some(Node::Keyed(map))
}

fn container<'a>(object: &'a Map<String, Value>, network_mode: Option<&str>) -> Node<'a> {
    let mut fields = Vec::new();
    for (key, value) in object {
        if key == "name" || container_default(key, value) {
            continue;
        }
        let node = match (container_list_key(key), value) {
            (Some(list_key), Value::Array(items)) => keyed(items, &list_key, network_mode),
            (None, Value::Array(items)) if STRING_SETS.contains(&key.as_str()) => string_set(items),
            _ => plain(value),
        };
        if let Some(node) = node {
            fields.push((Cow::Borrowed(key.as_str()), node));
        }
    }
    Node::Object(fields)
}

/// The canonical form of a task definition.
pub fn normalise(doc: &TaskDefDocument) -> Node<'_> {
    let root = doc.as_map();
    let network_mode = root.get("networkMode").and_then(Value::as_str);
    let mut fields = Vec::new();
    for (key, value) in root {
        if SERVER_MANAGED.contains(&key.as_str()) {
            continue;
        }
        let node = match (key.as_str(), value) {
            ("containerDefinitions", Value::Array(items)) => {
                let containers: BTreeMap<Cow<'_, str>, Node<'_>> = items
                    .iter()
                    .enumerate()
                    .filter_map(|(i, item)| {
                        let object = item.as_object()?;
                        let name = text_of(get(object, "name"));
                        let name = if name.is_empty() {
                            Cow::Owned(format!("#{i}"))
                        } else {
                            name
                        };
                        Some((name, container(object, network_mode)))
                    })
                    .collect();
                (!containers.is_empty()).then_some(Node::Keyed(containers))
            }
            ("cpu", v) => cpu_units(&value_text(v))
                .map(|u| Node::owned(Value::from(u)))
                .or_else(|| plain(v)),
            ("memory", v) => memory_mib(&value_text(v))
                .map(|m| Node::owned(Value::from(m)))
                .or_else(|| plain(v)),
            (key, Value::Array(items)) => match task_list_key(key) {
                Some(list_key) => keyed(items, &list_key, network_mode),
                None if STRING_SETS.contains(&key) => string_set(items),
                None => plain(value),
            },
            _ => plain(value),
        };
        if let Some(node) = node {
            // `containers` reads better in paths than `containerDefinitions`.
            let name = if key == "containerDefinitions" {
                "containers"
            } else {
                key
            };
            fields.push((Cow::Borrowed(name), node));
        }
    }
    Node::Object(fields)
}
