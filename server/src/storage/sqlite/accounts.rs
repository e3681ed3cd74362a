//! Users, sessions and sign-in throttling, in SQLite.

use super::{SqliteStorage, SqliteUnit};
use crate::storage::rows::{ServiceLinkRow, SessionRow, UserRow, assemble_users, database_error, write_error};
use recheck_app::domain::account::{Email, NewUser, User};
use recheck_app::storage::{
    AccountStore, AccountWrites, Purged, SessionRecord, StorageError, StorageResult, StoredPassword, ThrottleRule,
};
use sqlx::SqliteConnection;
use sqlx::types::Json;
use uuid::Uuid;

/// Everyone (ordered by name), or the one user with `email` or `id`.
async fn users_matching(
    connection: &mut SqliteConnection,
    email: Option<&str>,
    id: Option<Uuid>,
) -> StorageResult<Vec<User>> {
    let rows = sqlx::query_as::<_, UserRow>(
        "SELECT id, email, name, roles, disabled, password_change_required FROM users \
         WHERE (?1 IS NULL OR email = ?1) AND (?2 IS NULL OR id = ?2) ORDER BY lower(name), id",
    )
    .bind(email)
    .bind(id)
    .fetch_all(&mut *connection)
    .await
    .map_err(database_error)?;
    // Looking up one user fetches only their services; listing fetches everyone's.
    let looking_up_one = email.is_some() || id.is_some();
    if looking_up_one && rows.is_empty() {
        return Ok(Vec::new());
    }
    let one_user = if looking_up_one { rows.first().map(|row| row.id) } else { None };
    let links = sqlx::query_as::<_, ServiceLinkRow>(
        "SELECT link.user_id AS owner_id, link.service_id FROM user_services link \
         JOIN services s ON s.id = link.service_id WHERE ?1 IS NULL OR link.user_id = ?1 ORDER BY lower(s.name), s.id",
    )
    .bind(one_user)
    .fetch_all(connection)
    .await
    .map_err(database_error)?;
    assemble_users(rows, links)
}

async fn one_user(connection: &mut SqliteConnection, id: Uuid) -> StorageResult<User> {
    users_matching(connection, None, Some(id)).await?.pop().ok_or(StorageError::NotFound)
}

async fn link_services(connection: &mut SqliteConnection, user_id: Uuid, service_ids: &[Uuid]) -> StorageResult<()> {
    for service_id in service_ids {
        sqlx::query("INSERT INTO user_services (user_id, service_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING")
            .bind(user_id)
            .bind(service_id)
            .execute(&mut *connection)
            .await
            .map_err(write_error)?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl AccountStore for SqliteStorage {
    async fn user(&self, id: Uuid) -> StorageResult<User> {
        one_user(&mut *self.connection().await?, id).await
    }

    async fn users(&self) -> StorageResult<Vec<User>> {
        users_matching(&mut *self.connection().await?, None, None).await
    }

    async fn user_credentials(&self, email: &Email) -> StorageResult<Option<(User, StoredPassword)>> {
        let mut connection = self.connection().await?;
        let Some(user) = users_matching(&mut connection, Some(email.as_str()), None).await?.pop() else {
            return Ok(None);
        };
        let (hash, expires_at_ms): (String, Option<i64>) =
            sqlx::query_as("SELECT password_hash, password_expires_at_ms FROM users WHERE id = ?1")
                .bind(user.id)
                .fetch_one(&mut *connection)
                .await
                .map_err(database_error)?;
        let change_required = user.password_change_required;
        Ok(Some((user, StoredPassword { hash, change_required, expires_at_ms })))
    }

    async fn create_session(&self, session: &SessionRecord) -> StorageResult<bool> {
        let inserted = sqlx::query(
            "INSERT INTO sessions (id, data, expires_at_ms, user_id) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (id) DO NOTHING",
        )
        .bind(&session.id)
        .bind(&session.data)
        .bind(session.expires_at_ms)
        .bind(session.user_id)
        .execute(&self.pool)
        .await
        .map_err(database_error)?
        .rows_affected();
        Ok(inserted == 1)
    }

    async fn save_session(&self, session: &SessionRecord) -> StorageResult<()> {
        sqlx::query(
            "INSERT INTO sessions (id, data, expires_at_ms, user_id) VALUES (?1, ?2, ?3, ?4) \
             ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires_at_ms = excluded.expires_at_ms, \
             user_id = excluded.user_id",
        )
        .bind(&session.id)
        .bind(&session.data)
        .bind(session.expires_at_ms)
        .bind(session.user_id)
        .execute(&self.pool)
        .await
        .map_err(database_error)?;
        Ok(())
    }

    async fn load_session(&self, id: &str, now_ms: i64) -> StorageResult<Option<SessionRecord>> {
        let row = sqlx::query_as::<_, SessionRow>(
            "SELECT id, data, expires_at_ms, user_id FROM sessions WHERE id = ?1 AND expires_at_ms > ?2",
        )
        .bind(id)
        .bind(now_ms)
        .fetch_optional(&self.pool)
        .await
        .map_err(database_error)?;
        Ok(row.map(SessionRecord::from))
    }

    async fn extend_session(&self, id: &str, expires_at_ms: i64) -> StorageResult<()> {
        sqlx::query("UPDATE sessions SET expires_at_ms = ?2 WHERE id = ?1")
            .bind(id)
            .bind(expires_at_ms)
            .execute(&self.pool)
            .await
            .map_err(database_error)?;
        Ok(())
    }

    async fn delete_session(&self, id: &str) -> StorageResult<()> {
        sqlx::query("DELETE FROM sessions WHERE id = ?1").bind(id).execute(&self.pool).await.map_err(database_error)?;
        Ok(())
    }

    async fn withdraw_login_attempt(&self, key: &str, at_ms: i64) -> StorageResult<()> {
        sqlx::query(
            "DELETE FROM login_failures WHERE rowid = \
             (SELECT rowid FROM login_failures WHERE throttle_key = ?1 AND occurred_at_ms = ?2 LIMIT 1)",
        )
        .bind(key)
        .bind(at_ms)
        .execute(&self.pool)
        .await
        .map_err(database_error)?;
        Ok(())
    }

    async fn clear_login_failures(&self, key: &str) -> StorageResult<()> {
        sqlx::query("DELETE FROM login_failures WHERE throttle_key = ?1")
            .bind(key)
            .execute(&self.pool)
            .await
            .map_err(database_error)?;
        Ok(())
    }

    async fn purge_lapsed(&self, now_ms: i64, failures_before_ms: i64) -> StorageResult<Purged> {
        let sessions = sqlx::query("DELETE FROM sessions WHERE expires_at_ms <= ?1")
            .bind(now_ms)
            .execute(&self.pool)
            .await
            .map_err(database_error)?;
        let failures = sqlx::query("DELETE FROM login_failures WHERE occurred_at_ms < ?1")
            .bind(failures_before_ms)
            .execute(&self.pool)
            .await
            .map_err(database_error)?;
        Ok(Purged { sessions: sessions.rows_affected(), login_failures: failures.rows_affected() })
    }
}

#[async_trait::async_trait]
impl AccountWrites for SqliteUnit {
    async fn insert_user(&mut self, user: &NewUser, password: &StoredPassword) -> StorageResult<User> {
        sqlx::query(
            "INSERT INTO users (id, email, name, password_hash, password_change_required, roles, \
                password_expires_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )
        .bind(user.id)
        .bind(user.email.as_str())
        .bind(user.name.as_str())
        .bind(&password.hash)
        .bind(password.change_required)
        .bind(Json(&user.roles))
        .bind(password.expires_at_ms)
        .execute(&mut *self.tx)
        .await
        .map_err(write_error)?;
        link_services(&mut self.tx, user.id, &user.service_ids).await?;
        Ok(User::from_new(user, false, password.change_required))
    }

    async fn user_for_update(&mut self, id: Uuid) -> StorageResult<User> {
        one_user(&mut self.tx, id).await
    }

    async fn update_user(&mut self, user: &NewUser, disabled: bool) -> StorageResult<User> {
        let change_required: bool = sqlx::query_scalar(
            "UPDATE users SET email = ?2, name = ?3, roles = ?4, disabled = ?5 WHERE id = ?1 \
                                RETURNING password_change_required",
        )
        .bind(user.id)
        .bind(user.email.as_str())
        .bind(user.name.as_str())
        .bind(Json(&user.roles))
        .bind(disabled)
        .fetch_one(&mut *self.tx)
        .await
        .map_err(write_error)?;
        sqlx::query("DELETE FROM user_services WHERE user_id = ?1")
            .bind(user.id)
            .execute(&mut *self.tx)
            .await
            .map_err(database_error)?;
        link_services(&mut self.tx, user.id, &user.service_ids).await?;
        Ok(User::from_new(user, disabled, change_required))
    }

    async fn set_password(&mut self, user_id: Uuid, password: &StoredPassword) -> StorageResult<()> {
        sqlx::query(
            "UPDATE users SET password_hash = ?2, password_change_required = ?3, password_expires_at_ms = ?4 \
             WHERE id = ?1",
        )
        .bind(user_id)
        .bind(&password.hash)
        .bind(password.change_required)
        .bind(password.expires_at_ms)
        .execute(&mut *self.tx)
        .await
        .map_err(database_error)?;
        Ok(())
    }

    async fn end_sessions_of(&mut self, user_id: Uuid, keep: Option<&str>) -> StorageResult<()> {
        sqlx::query("DELETE FROM sessions WHERE user_id = ?1 AND id IS NOT ?2")
            .bind(user_id)
            .bind(keep)
            .execute(&mut *self.tx)
            .await
            .map_err(database_error)?;
        Ok(())
    }

    async fn reserve_login_attempt(&mut self, rules: &[ThrottleRule], at_ms: i64) -> StorageResult<Vec<usize>> {
        let mut keys: Vec<&str> = rules.iter().map(|rule| rule.key.as_str()).collect();
        keys.sort_unstable();
        keys.dedup();
        // The unit began IMMEDIATE: it holds the write lock, so no other attempt counts meanwhile.
        let mut full = Vec::new();
        for (index, rule) in rules.iter().enumerate() {
            let failures: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM login_failures WHERE throttle_key = ?1 AND occurred_at_ms > ?2",
            )
            .bind(&rule.key)
            .bind(at_ms - rule.window_ms)
            .fetch_one(&mut *self.tx)
            .await
            .map_err(database_error)?;
            if failures >= i64::from(rule.limit) {
                full.push(index);
            }
        }
        if !full.is_empty() {
            return Ok(full);
        }
        for key in keys {
            sqlx::query("INSERT INTO login_failures (throttle_key, occurred_at_ms) VALUES (?1, ?2)")
                .bind(key)
                .bind(at_ms)
                .execute(&mut *self.tx)
                .await
                .map_err(database_error)?;
        }
        Ok(full)
    }
}
