//! What the recorder keeps on the device, one set per signed-in person (several people may share
//! a tablet, and a check must reach the server under its own observer's session), and the
//! device's clock and time zones.

use crate::domain::outbox::Outbox;
use crate::domain::recording::{Draft, RecentChoices, Reference};
use crate::domain::wall_clock::WallTime;
use gloo_storage::{LocalStorage, Storage};
use serde::Serialize;
use serde::de::DeserializeOwned;
use uuid::Uuid;
use wasm_bindgen::JsCast;
use web_sys::js_sys::{self, Array, Date, Intl, Object, Reflect};

/// One person's records on this device.
#[derive(Clone)]
pub struct Device {
    user: String,
}

impl Device {
    pub fn new(user: String) -> Device {
        Device { user }
    }

    fn key(&self, what: &str) -> String {
        format!("recheck.{}.{what}", self.user)
    }

    /// What is kept under `what`, or the default when nothing is. A value this release cannot
    /// read (written by another release) is first copied aside under `….unreadable`, so that
    /// writing afresh never destroys checks that exist nowhere else.
    fn load<T: DeserializeOwned + Default>(&self, what: &str) -> T {
        let key = self.key(what);
        match LocalStorage::get(&key) {
            Ok(value) => value,
            Err(gloo_storage::errors::StorageError::SerdeError(_)) => {
                if let Ok(Some(raw)) = LocalStorage::raw().get_item(&key) {
                    let _ = LocalStorage::raw().set_item(&format!("{key}.unreadable.{}", now_ms()), &raw);
                }
                T::default()
            }
            Err(_) => T::default(),
        }
    }

    /// The id of the person whose records these are.
    pub fn user(&self) -> &str {
        &self.user
    }

    /// Writes `value`; false when the browser would not keep it (storage full or blocked).
    fn store<T: Serialize>(&self, what: &str, value: &T) -> bool {
        LocalStorage::set(self.key(what), value).is_ok()
    }

    pub fn outbox(&self) -> Outbox {
        self.load("outbox")
    }

    pub fn keep_outbox(&self, outbox: &Outbox) -> bool {
        self.store("outbox", outbox)
    }

    pub fn reference(&self) -> Reference {
        self.load("reference")
    }

    pub fn keep_reference(&self, reference: &Reference) {
        self.store("reference", reference);
    }

    pub fn recent(&self) -> RecentChoices {
        self.load("recent")
    }

    pub fn keep_recent(&self, recent: &RecentChoices) {
        self.store("recent", recent);
    }

    pub fn draft(&self) -> Option<Draft> {
        self.load("draft")
    }

    pub fn keep_draft(&self, draft: Option<&Draft>) {
        match draft {
            Some(draft) => {
                self.store("draft", draft);
            }
            None => LocalStorage::delete(self.key("draft")),
        }
    }
}

/// This browser's id, made once: the server keeps it with each check to trace where it came from.
pub fn device_id() -> String {
    const KEY: &str = "recheck.device";
    LocalStorage::get::<String>(KEY).unwrap_or_else(|_| {
        let id = Uuid::new_v4().to_string();
        let _ = LocalStorage::set(KEY, &id);
        id
    })
}

pub fn now_ms() -> i64 {
    Date::now() as i64
}

/// A new check id: UUIDv7, so ids sort by when the check was begun.
pub fn new_check_id() -> Uuid {
    let now = now_ms();
    let timestamp = uuid::Timestamp::from_unix(uuid::NoContext, (now / 1000) as u64, (now % 1000) as u32 * 1_000_000);
    Uuid::new_v7(timestamp)
}

/// A zone's UTC offset (minutes east) at a moment, from the browser's own time zone data. An
/// unknown zone falls back to the device's zone.
pub struct ZoneClock {
    format: Option<Intl::DateTimeFormat>,
}

impl ZoneClock {
    pub fn new(time_zone: &str) -> ZoneClock {
        let options = Object::new();
        for (key, value) in [
            ("timeZone", time_zone),
            ("hourCycle", "h23"),
            ("year", "numeric"),
            ("month", "numeric"),
            ("day", "numeric"),
            ("hour", "numeric"),
            ("minute", "numeric"),
        ] {
            let _ = Reflect::set(&options, &key.into(), &value.into());
        }
        // An unknown zone makes the constructor throw; constructing through Reflect catches it.
        let format = Reflect::get(&js_sys::global(), &"Intl".into())
            .and_then(|intl| Reflect::get(&intl, &"DateTimeFormat".into()))
            .ok()
            .and_then(|constructor| constructor.dyn_into::<js_sys::Function>().ok())
            .and_then(|constructor| Reflect::construct(&constructor, &Array::of2(&"en-GB".into(), &options)).ok())
            .and_then(|format| format.dyn_into::<Intl::DateTimeFormat>().ok());
        ZoneClock { format }
    }

    pub fn offset_at(&self, utc_ms: i64) -> i64 {
        let date = Date::new(&(utc_ms as f64).into());
        let Some(format) = &self.format else {
            return -(date.get_timezone_offset() as i64);
        };
        let parts = format.format_to_parts(&date);
        let mut numbers = [0i64; 5];
        for part in parts.iter() {
            let kind = Reflect::get(&part, &"type".into()).ok().and_then(|kind| kind.as_string()).unwrap_or_default();
            let slot = match kind.as_str() {
                "year" => 0,
                "month" => 1,
                "day" => 2,
                "hour" => 3,
                "minute" => 4,
                _ => continue,
            };
            let value = Reflect::get(&part, &"value".into()).ok().and_then(|value| value.as_string());
            numbers[slot] = value.and_then(|value| value.parse().ok()).unwrap_or(0);
        }
        let wall = WallTime {
            year: numbers[0] as i32,
            month: numbers[1] as u8,
            day: numbers[2] as u8,
            hour: numbers[3] as u8,
            minute: numbers[4] as u8,
        };
        wall.offset_from(utc_ms)
    }

    pub fn now(&self) -> WallTime {
        WallTime::at(now_ms(), |at| self.offset_at(at))
    }
}
