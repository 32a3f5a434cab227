//! Runs one case against its family's server: the case, then a health check and the
//! state digest.

use std::sync::Arc;

use tokio::runtime::Runtime;
use tokio::sync::{Mutex, OnceCell};

use super::case::{Case, Expect, MessageRule};
use super::client;
use super::corpus::ExpectKind;
use super::server::Server;
use super::verdict;

/// A family of cases and the server they share.
pub(crate) struct Family {
    /// The corpus file's stem.
    pub(crate) stem: String,
    /// Whether its cases may run at once.
    pub(crate) parallel: bool,
    server: OnceCell<Server>,
    /// Held by each case of a family that runs one case at a time.
    one_at_a_time: Mutex<()>,
    runtime: Arc<Runtime>,
}

impl Family {
    pub(crate) fn new(stem: String, parallel: bool, runtime: &Arc<Runtime>) -> Arc<Family> {
        Arc::new(Family {
            stem,
            parallel,
            server: OnceCell::new(),
            one_at_a_time: Mutex::new(()),
            runtime: Arc::clone(runtime),
        })
    }

    /// Runs `case` on the family's server (started by the first case that runs).
    pub(crate) fn run(&self, case: &Case) -> Result<(), String> {
        self.runtime.block_on(async {
            let server = self.server.get_or_init(Server::start).await;
            let _turn = match self.parallel {
                true => None,
                false => Some(self.one_at_a_time.lock().await),
            };
            one(server, case).await
        })
    }
}

/// An expectation stated as "like this other request" becomes that request's answer.
fn resolve(server: &Server, expect: &Expect) -> Result<Expect, String> {
    let Some((target, body)) = &expect.like else {
        return Ok(expect.clone());
    };
    let reply = server.emulator.call_raw(Some(target), body);
    let (Some(code), Some(message)) = (reply.error_code(), reply.message()) else {
        return Err(format!(
            "the request it must answer like was served: {}",
            reply.body
        ));
    };
    Ok(Expect {
        kind: ExpectKind::AwsError,
        status: Some(reply.status),
        code: Some(code.to_owned()),
        message: MessageRule::Exactly(message.to_owned()),
        like: None,
    })
}

async fn one(server: &Server, case: &Case) -> Result<(), String> {
    let expect = resolve(server, &case.expect)?;
    let outcome = client::exchange(&server.addr, case).await?;
    verdict::judge(&expect, &outcome, case.is_head())?;
    server.check_unharmed(&case.label).await
}
