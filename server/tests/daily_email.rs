//! The daily email, sent through a local SMTP server the test starts: each person who acts on
//! warnings gets one email a day from the sending time, listing the warnings new to them and the
//! overdue reviews they see; a second instance on the same database sends nothing while the
//! first holds the lease; an email the SMTP server refuses is tried again, and the others are sent.

mod support;

use lettre::{AsyncSmtpTransport, Tokio1Executor};
use recheck_app::domain::check::{start_of_day_in_zone, wall_time_in_zone};
use recheck_app::domain::wall_clock::CalendarDate;
use recheck_server::daily_email::{MailSettings, send_due};
use std::sync::{Arc, Mutex};
use support::TestDatabase;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// One message as the SMTP server received it.
#[derive(Clone, Debug)]
struct Received {
    to: Vec<String>,
    data: String,
}

/// A small SMTP server on a free local port that keeps what it is sent, refusing any recipient
/// whose address holds `refuse`.
async fn smtp_server(refuse: Option<&'static str>) -> (u16, Arc<Mutex<Vec<Received>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let inbox = Arc::new(Mutex::new(Vec::new()));
    let kept = inbox.clone();
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else { return };
            let kept = kept.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 localhost ESMTP test\r\n").await.unwrap();
                let mut to = Vec::new();
                while let Ok(Some(line)) = lines.next_line().await {
                    let command = line.to_ascii_uppercase();
                    let answer: &[u8] = if command.starts_with("EHLO") || command.starts_with("HELO") {
                        b"250 localhost\r\n"
                    } else if command.starts_with("MAIL FROM") {
                        to.clear();
                        b"250 OK\r\n"
                    } else if command.starts_with("RCPT TO") {
                        if refuse.is_some_and(|refused| line.contains(refused)) {
                            b"550 No such mailbox here\r\n"
                        } else {
                            to.push(line[8..].trim().to_owned());
                            b"250 OK\r\n"
                        }
                    } else if command == "DATA" {
                        write.write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n").await.unwrap();
                        let mut data = String::new();
                        while let Ok(Some(line)) = lines.next_line().await {
                            if line == "." {
                                break;
                            }
                            data.push_str(&line);
                            data.push('\n');
                        }
                        // Quoted-printable soft line breaks joined up again, so the tests can read the text.
                        let data = data.replace("=\n", "");
                        kept.lock().unwrap().push(Received { to: to.clone(), data });
                        b"250 Queued\r\n"
                    } else if command == "QUIT" {
                        let _ = write.write_all(b"221 Bye\r\n").await;
                        return;
                    } else {
                        b"250 OK\r\n"
                    };
                    write.write_all(answer).await.unwrap();
                }
            });
        }
    });
    (port, inbox)
}

fn settings(port: u16) -> MailSettings {
    MailSettings::from_parts(
        Some(&format!("smtp://127.0.0.1:{port}")),
        Some("Recheck <recheck@meadowbank.example>"),
        Some("https://recheck.meadowbank.example/"),
        "07:00",
    )
    .unwrap()
    .expect("an SMTP server is set")
}

/// The day after the clock's own, on UK time.
fn tomorrow(database: &TestDatabase) -> CalendarDate {
    wall_time_in_zone("Europe/London", database.storage.now_ms()).date().plus_days(1)
}

/// Sets the clock to `hour`:`minute` UK time on `day`.
fn set_clock(database: &TestDatabase, day: CalendarDate, hour: i64, minute: i64) {
    let midnight = start_of_day_in_zone("Europe/London", day).unwrap();
    database.clock.set(midnight + (hour * 60 + minute) * 60_000);
}

fn mailer(settings: &MailSettings) -> AsyncSmtpTransport<Tokio1Executor> {
    settings.mailer().unwrap()
}

async fn each_person_who_acts_on_warnings_gets_one_email_a_day(database: TestDatabase) {
    recheck_server::demo::load(database.storage.as_ref(), true).await.unwrap();
    let storage = database.storage.clone();
    let (port, inbox) = smtp_server(None).await;
    let settings = settings(port);
    let mailer = mailer(&settings);

    // Before the sending time, nothing.
    let day = tomorrow(&database);
    set_clock(&database, day, 6, 59);
    assert_eq!(send_due(&storage, &mailer, &settings, "instance a").await.unwrap(), 0);
    assert!(inbox.lock().unwrap().is_empty());

    // From seven, the deputy and registered managers and the quality lead, once each.
    set_clock(&database, day, 7, 5);
    let sent = send_due(&storage, &mailer, &settings, "instance a").await.unwrap();
    let received = inbox.lock().unwrap().clone();
    assert_eq!(sent, received.len());
    let mut recipients: Vec<String> = received.iter().flat_map(|message| message.to.clone()).collect();
    recipients.sort();
    assert_eq!(
        recipients,
        [
            "<amara.okafor@meadowbank.example>",
            "<helen.okoro@meadowbank.example>",
            "<olu.adeyemi@meadowbank.example>",
            "<rachel.ingram@meadowbank.example>",
        ]
    );
    let helen = received.iter().find(|message| message.to[0].contains("helen.okoro")).unwrap();
    assert!(helen.data.contains("Subject: Recheck: "), "{}", helen.data);
    assert!(helen.data.contains("New warnings since your last email"), "{}", helen.data);
    assert!(helen.data.contains("Hana Kimura had 2 weak checks"), "{}", helen.data);
    assert!(helen.data.contains("https://recheck.meadowbank.example/warnings"), "{}", helen.data);
    assert!(helen.data.contains("Reviews overdue"), "{}", helen.data);
    assert!(helen.data.contains("Practice review at Larch House"), "{}", helen.data);
    assert!(!helen.data.contains("Brookside"), "only her own service: {}", helen.data);
    assert!(!received.iter().any(|message| message.to[0].contains("callum.reid")), "shift leaders get none");

    // A second instance on the same database sends nothing while the first holds the lease, even
    // to someone whose email is due; the first sends it at its next round, and nothing more today.
    let larch = storage.organisation.services().await.unwrap().into_iter().find(|s| s.name == "Larch House").unwrap();
    let newcomer = recheck_app::domain::account::NewUser::new(
        recheck_app::domain::account::Email::parse("new.deputy@meadowbank.example").unwrap(),
        recheck_app::domain::text::Name::parse("Name", "Nia Deputy").unwrap(),
        vec![recheck_app::domain::access::Role::DeputyManager],
        vec![larch.id],
    )
    .unwrap();
    let by = recheck_app::domain::audit::Author::system("test");
    storage.add_user(newcomer, &recheck_app::auth::own_password("a long enough password"), &by).await.unwrap();
    let other = database.reopen().await;
    assert_eq!(send_due(&other, &mailer, &settings, "instance b").await.unwrap(), 0);
    set_clock(&database, day, 7, 10);
    assert_eq!(send_due(&storage, &mailer, &settings, "instance a").await.unwrap(), 1);
    set_clock(&database, day, 18, 0);
    assert_eq!(send_due(&storage, &mailer, &settings, "instance a").await.unwrap(), 0);
    assert_eq!(inbox.lock().unwrap().len(), sent + 1);

    // The next day, none of the warnings already sent is listed again; the overdue reviews are.
    // (A day on, the records may raise a warning of their own, such as someone reaching three
    // months without an observation: that one is new.)
    database.clock.advance_ms(14 * 3_600_000);
    let next_day = send_due(&other, &mailer, &settings, "instance b").await.unwrap();
    assert!(next_day > 0);
    let received = inbox.lock().unwrap().clone();
    let helen_again = received.iter().rev().find(|message| message.to[0].contains("helen.okoro")).unwrap();
    assert!(helen_again.data.contains("Reviews overdue"), "{}", helen_again.data);
    let again = unfolded(&helen_again.data);
    let first = unfolded(&helen.data);
    let already_sent = first
        .split("New warnings since your last email:")
        .nth(1)
        .and_then(|rest| rest.split("Acknowledge or dismiss").next())
        .unwrap_or_default()
        .lines()
        .filter(|line| line.starts_with("- "))
        .collect::<Vec<_>>();
    assert!(already_sent.iter().any(|line| line.contains("Hana Kimura")), "{first}");
    for line in already_sent {
        assert!(!again.contains(line), "sent again: {line}\n{again}");
    }
}

/// A quoted-printable body with its soft line breaks taken out, so that a line reads whole.
fn unfolded(data: &str) -> String {
    data.replace("=\r\n", "").replace("=\n", "")
}

async fn an_email_the_smtp_server_refuses_is_tried_again_and_the_others_are_sent(database: TestDatabase) {
    recheck_server::demo::load(database.storage.as_ref(), true).await.unwrap();
    let storage = database.storage.clone();
    let (port, inbox) = smtp_server(Some("amara.okafor")).await;
    let refusing = settings(port);
    let day = tomorrow(&database);
    set_clock(&database, day, 7, 30);
    assert_eq!(send_due(&storage, &mailer(&refusing), &refusing, "instance a").await.unwrap(), 3, "all but Amara");
    assert!(!inbox.lock().unwrap().iter().any(|message| message.to[0].contains("amara")));
    let (port, inbox) = smtp_server(None).await;
    let working = settings(port);
    set_clock(&database, day, 7, 35);
    assert_eq!(send_due(&storage, &mailer(&working), &working, "instance a").await.unwrap(), 1);
    assert!(inbox.lock().unwrap()[0].to[0].contains("amara.okafor"));
}

#[test]
fn the_daily_email_is_off_without_an_smtp_server_and_its_settings_are_checked() {
    assert!(MailSettings::from_parts(None, None, None, "07:00").unwrap().is_none());
    assert!(MailSettings::from_parts(Some(" "), None, None, "07:00").unwrap().is_none());
    let url = Some("smtp://127.0.0.1:2525");
    let error = MailSettings::from_parts(url, None, Some("https://r.example"), "07:00").unwrap_err();
    assert!(error.contains("RECHECK_MAIL_FROM"), "{error}");
    let error = MailSettings::from_parts(url, Some("not an address"), Some("https://r.example"), "07:00").unwrap_err();
    assert!(error.contains("not an email address"), "{error}");
    let error = MailSettings::from_parts(url, Some("r@r.example"), None, "07:00").unwrap_err();
    assert!(error.contains("RECHECK_PUBLIC_URL"), "{error}");
    let error = MailSettings::from_parts(url, Some("r@r.example"), Some("https://r.example"), "7 am").unwrap_err();
    assert!(error.contains("24-hour clock"), "{error}");
    let error = MailSettings::from_parts(Some("gopher://x"), Some("r@r.example"), Some("https://r.example"), "07:00");
    assert!(error.unwrap_err().contains("SMTP address"));
}

on_both_backends!(
    each_person_who_acts_on_warnings_gets_one_email_a_day,
    an_email_the_smtp_server_refuses_is_tried_again_and_the_others_are_sent
);
