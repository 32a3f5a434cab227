//! An emulator built for a test guards its control endpoints with a token of its own
//! wherever they are guarded (under SigV4, or off loopback), and says which, so a test
//! never has to invent one; one opened as a standalone server's is (`open`) uses only
//! the `control_token` setting.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod raw_http;

use cjh_emulator::{AuthMode, Credential, Emulator, EmulatorBuilder};
use raw_http::{Connection, addr_of};

fn signed() -> EmulatorBuilder {
    Emulator::builder()
        .auth(AuthMode::Sigv4)
        .credential(Credential::new("AKIDONE", "secret", "111122223333"))
}

/// The status of `POST /_cjh/reset` with these extra header lines.
async fn reset_status(emulator: &Emulator, extra: &str) -> u16 {
    let mut connection = Connection::open(&addr_of(&emulator.start().await.unwrap())).await;
    connection.send("/_cjh/reset", None, extra, b"").await;
    connection.answer().await.unwrap().status
}

#[tokio::test]
async fn under_sigv4_a_built_emulator_admits_its_own_token_and_nobody_without_it() {
    let emulator = signed().build();
    let token = emulator.control_token().expect("a generated token");
    assert!(token.len() >= 32, "{token}");
    assert_eq!(reset_status(&emulator, "").await, 403);
    assert_eq!(
        reset_status(&emulator, "Authorization: Bearer wrong\r\n").await,
        403
    );
    let bearer = format!("Authorization: Bearer {token}\r\n");
    assert_eq!(reset_status(&emulator, &bearer).await, 200);
}

#[tokio::test]
async fn two_built_emulators_never_share_a_token() {
    let (one, two) = (signed().build(), signed().build());
    assert_ne!(one.control_token(), two.control_token());
    assert!(!format!("{one:?}").contains(&one.control_token().unwrap()));
}

#[tokio::test]
async fn on_loopback_without_sigv4_the_endpoints_stay_open_and_no_token_is_needed() {
    let emulator = Emulator::builder().build();
    assert_eq!(emulator.control_token(), None);
    assert_eq!(reset_status(&emulator, "").await, 200);
}

#[tokio::test]
async fn a_token_in_the_settings_wins_over_a_generated_one() {
    let emulator = signed().control_token(Some("chosen".into())).build();
    assert_eq!(emulator.control_token().as_deref(), Some("chosen"));
    assert_eq!(
        reset_status(&emulator, "Authorization: Bearer chosen\r\n").await,
        200
    );
}

#[tokio::test]
async fn an_emulator_opened_as_a_server_is_generates_no_token_and_stays_closed() {
    let (emulator, _) = signed().open().unwrap();
    assert_eq!(emulator.control_token(), None);
    assert_eq!(reset_status(&emulator, "").await, 403);
}

#[test]
fn off_loopback_a_built_emulator_guards_with_its_own_token_and_an_opened_one_refuses() {
    let host: std::net::IpAddr = "0.0.0.0".parse().unwrap();
    let built = Emulator::builder().host(host).build();
    assert!(built.control_token().is_some());
    assert!(built.control_access().is_ok());
    let (opened, _) = Emulator::builder().host(host).open().unwrap();
    assert!(
        opened.control_access().is_err(),
        "no token, not chosen open"
    );
}
