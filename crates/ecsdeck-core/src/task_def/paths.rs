//! Access by JSON pointer (`/containerDefinitions/0/healthCheck/interval`), for the form's
//! nested fields and lists. Writes create the objects on the way and keep the JSON type a
//! field already has.

use super::TaskDefDocument;
use serde_json::{Map, Value};

/// The JSON type a form field writes when the document does not have the field yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarKind {
    /// A string (`cpu` at task level, `image`, `networkMode`).
    Text,
    /// An integer when the text is one (`containerPort`, `memory` of a container).
    Int,
    /// `true` / `false`.
    Bool,
}

fn tokens(pointer: &str) -> Vec<String> {
    pointer
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// What `text` becomes in a field of `kind` whose current value is `current`.
fn scalar(text: &str, kind: ScalarKind, current: Option<&Value>) -> Value {
    let as_int = || text.trim().parse::<i64>().ok().map(Value::from);
    let as_bool = || text.trim().parse::<bool>().ok().map(Value::from);
    match current {
        Some(Value::String(_)) => Value::from(text),
        Some(Value::Number(_)) => as_int().unwrap_or_else(|| Value::from(text)),
        Some(Value::Bool(_)) => as_bool().unwrap_or_else(|| Value::from(text)),
        _ => match kind {
            ScalarKind::Text => Value::from(text),
            // Not a number yet (the user is typing): kept as text so nothing is lost.
            ScalarKind::Int => as_int().unwrap_or_else(|| Value::from(text)),
            ScalarKind::Bool => as_bool().unwrap_or_else(|| Value::from(text)),
        },
    }
}

/// `key` as one pointer token (`/` and `~` escaped).
pub fn pointer_token(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// The value as the form shows it.
pub fn value_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

impl TaskDefDocument {
    /// The value at `pointer`.
    pub fn at(&self, pointer: &str) -> Option<&Value> {
        let mut tokens = tokens(pointer).into_iter();
        let first = tokens.next()?;
        let mut current = self.root.get(&first)?;
        for token in tokens {
            current = match current {
                Value::Object(map) => map.get(&token)?,
                Value::Array(list) => list.get(token.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(current)
    }

    /// The scalar at `pointer` as text ("" when absent).
    pub fn text_at(&self, pointer: &str) -> String {
        self.at(pointer).map(value_text).unwrap_or_default()
    }

    /// Sets (Some) or removes (None) the value at `pointer`, creating objects on the way.
    /// False when the path runs through something that is not an object or a list.
    pub fn set_at(&mut self, pointer: &str, value: Option<Value>) -> bool {
        let tokens = tokens(pointer);
        set_in_map(&mut self.root, &tokens, value)
    }

    /// Sets a scalar from form text; empty text removes the field.
    pub fn set_text_at(&mut self, pointer: &str, text: &str, kind: ScalarKind) -> bool {
        if text.is_empty() {
            return self.set_at(pointer, None);
        }
        let value = scalar(text, kind, self.at(pointer));
        self.set_at(pointer, Some(value))
    }

    /// The list at `pointer` (empty when absent).
    pub fn list_at(&self, pointer: &str) -> &[Value] {
        self.at(pointer)
            .and_then(Value::as_array)
            .map_or(&[], Vec::as_slice)
    }

    /// Appends `item` to the list at `pointer`, creating the list.
    pub fn push_at(&mut self, pointer: &str, item: Value) -> bool {
        let mut list = self.list_at(pointer).to_vec();
        list.push(item);
        self.set_at(pointer, Some(Value::Array(list)))
    }

    /// Removes item `index` of the list at `pointer`; an emptied list is removed.
    pub fn remove_at(&mut self, pointer: &str, index: usize) -> bool {
        let mut list = self.list_at(pointer).to_vec();
        if index >= list.len() {
            return false;
        }
        list.remove(index);
        if list.is_empty() {
            self.set_at(pointer, None)
        } else {
            self.set_at(pointer, Some(Value::Array(list)))
        }
    }

    /// Moves item `from` of the list at `pointer` to position `to`.
    pub fn move_item(&mut self, pointer: &str, from: usize, to: usize) -> bool {
        let mut list = self.list_at(pointer).to_vec();
        if from >= list.len() || to >= list.len() {
            return false;
        }
        let item = list.remove(from);
        list.insert(to, item);
        self.set_at(pointer, Some(Value::Array(list)))
    }

    /// Renames key `from` of the object at `pointer` to `to`, keeping its place; refused
    /// (false) when `to` is taken or empty.
    pub fn rename_key_at(&mut self, pointer: &str, from: &str, to: &str) -> bool {
        let Some(Value::Object(object)) = self.at(pointer) else {
            return false;
        };
        if to.is_empty() || object.contains_key(to) || !object.contains_key(from) {
            return false;
        }
        let renamed: Map<String, Value> = object
            .iter()
            .map(|(k, v)| (if k == from { to } else { k }.to_owned(), v.clone()))
            .collect();
        self.set_at(pointer, Some(Value::Object(renamed)))
    }

    /// A list of strings (`command`, `entryPoint`, `requiresCompatibilities`).
    pub fn strings_at(&self, pointer: &str) -> Vec<String> {
        self.list_at(pointer).iter().map(value_text).collect()
    }

    /// Sets a list of strings; an empty list removes the field.
    pub fn set_strings_at(&mut self, pointer: &str, items: &[String]) -> bool {
        if items.is_empty() {
            return self.set_at(pointer, None);
        }
        let list = items.iter().map(|s| Value::from(s.as_str())).collect();
        self.set_at(pointer, Some(Value::Array(list)))
    }
}

fn set_in_map(map: &mut Map<String, Value>, tokens: &[String], value: Option<Value>) -> bool {
    let Some((first, rest)) = tokens.split_first() else {
        return false;
    };
    if rest.is_empty() {
        match value {
            Some(value) => {
                if map.get(first) != Some(&value) {
                    map.insert(first.clone(), value);
                }
            }
            None => {
                map.shift_remove(first);
            }
        }
        return true;
    }
    if value.is_none() && !map.contains_key(first) {
        return true;
    }
    let removing = value.is_none();
    let child = map
        .entry(first.clone())
        .or_insert_with(|| Value::Object(Map::new()));
    let done = set_in_value(child, rest, value);
    // Clearing the last field of an object clears the object (`healthCheck`, `options`).
    if removing && child.as_object().is_some_and(Map::is_empty) {
        map.shift_remove(first);
    }
    done
}

fn set_in_value(target: &mut Value, tokens: &[String], value: Option<Value>) -> bool {
    match target {
        Value::Object(map) => set_in_map(map, tokens, value),
        Value::Array(list) => {
            let Some((first, rest)) = tokens.split_first() else {
                return false;
            };
            let Some(index) = first.parse::<usize>().ok().filter(|i| *i < list.len()) else {
                return false;
            };
            if rest.is_empty() {
                match value {
                    Some(value) => list[index] = value,
                    None => {
                        list.remove(index);
                    }
                }
                true
            } else {
                set_in_value(&mut list[index], rest, value)
            }
        }
        _ => false,
    }
}
