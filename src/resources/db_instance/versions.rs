//! Which engine version a new database gets: the newest of the pinned long-term line
//! RDS lists, else the pinned version itself; and the engine family its parameter group
//! takes.

use crate::engine::Ctx;
use crate::plan::Engine;

/// Versions used when the list of engine versions cannot be read (moto answers that call
/// with an error for MariaDB). Both are long-term-support lines on RDS.
pub const PINNED_MARIADB: &str = "10.11.10";
pub const PINNED_MYSQL: &str = "8.0.40";

/// The engine family of the pinned versions, for the parameter group.
pub fn family(engine: Engine) -> String {
    let pinned = match engine {
        Engine::Mariadb => PINNED_MARIADB,
        Engine::Mysql => PINNED_MYSQL,
    };
    let line = pinned.rsplit_once('.').map(|(l, _)| l).unwrap_or(pinned);
    format!("{}{line}", engine_name(engine))
}

pub(super) fn engine_name(e: Engine) -> &'static str {
    match e {
        Engine::Mariadb => "mariadb",
        Engine::Mysql => "mysql",
    }
}

/// The newest version of the pinned major line, or the pinned version itself.
pub(super) async fn version(cx: &Ctx, engine: Engine) -> String {
    let pinned = match engine {
        Engine::Mariadb => PINNED_MARIADB,
        Engine::Mysql => PINNED_MYSQL,
    };
    let line = pinned.rsplit_once('.').map(|(l, _)| l).unwrap_or(pinned);
    let listed =
        cx.aws
            .rds
            .describe_db_engine_versions()
            .engine(engine_name(engine))
            .engine_version(line)
            .customize()
            // A failing version list is not worth the full retry budget: the pinned version
            // is a fine answer.
            .config_override(aws_sdk_rds::config::Builder::default().retry_config(
                aws_sdk_rds::config::retry::RetryConfig::standard().with_max_attempts(2),
            ))
            .send()
            .await;
    let newest = listed.ok().and_then(|o| {
        o.db_engine_versions()
            .iter()
            .filter_map(|v| v.engine_version())
            .filter(|v| v.starts_with(&format!("{line}.")))
            .max_by_key(|v| {
                v.split('.')
                    .map(|n| n.parse::<u32>().unwrap_or(0))
                    .collect::<Vec<_>>()
            })
            .map(str::to_string)
    });
    newest.unwrap_or_else(|| pinned.to_string())
}
