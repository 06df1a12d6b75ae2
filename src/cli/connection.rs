//! The connection flags every mode shares, and how they resolve against the environment.

use crate::aws;
use crate::aws::config::default_region;
use crate::model::Connection;
use clap::Args;

/// Profile, region and endpoint flags, shared by the GUI and every subcommand.
#[derive(Debug, Clone, Default, Args)]
pub struct ConnectionArgs {
    /// AWS profile (default: AWS_PROFILE, then the default credential chain).
    #[arg(long, global = true)]
    pub profile: Option<String>,
    /// AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile's region, us-east-1).
    #[arg(long, global = true)]
    pub region: Option<String>,
    /// Endpoint URL override, e.g. http://127.0.0.1:5000 for LocalStack or moto.
    #[arg(long, global = true)]
    pub endpoint_url: Option<String>,
    /// Refuse every change to AWS: the GUI starts in read-only mode, and scale, deploy and
    /// rollback show their plan and stop.
    #[arg(long, global = true)]
    pub read_only: bool,
    /// GUI: lines a log tail keeps (default 1,000,000; remembered).
    #[arg(long, value_parser = clap::value_parser!(usize))]
    pub log_buffer_lines: Option<usize>,
}

impl ConnectionArgs {
    /// The connection these flags select, filling gaps from the environment and profile.
    pub fn resolve(&self) -> Connection {
        let profile = self
            .profile
            .clone()
            .or_else(|| std::env::var("AWS_PROFILE").ok().filter(|p| !p.is_empty()));
        let profile_region = || {
            let name = profile.as_deref().unwrap_or("default");
            aws::list_profiles(&aws::ProfileSource::default())
                .ok()?
                .into_iter()
                .find(|p| p.name == name)?
                .region
        };
        let region = self.region.clone().or_else(|| {
            let from_env = default_region();
            let env_set = std::env::var_os("AWS_REGION").is_some()
                || std::env::var_os("AWS_DEFAULT_REGION").is_some();
            if env_set {
                Some(from_env)
            } else {
                profile_region()
            }
        });
        Connection {
            profile,
            region: region.unwrap_or_else(default_region),
            endpoint_url: self.endpoint_url.clone(),
        }
    }
}
