//! What `rr-client` asks and `rr-worker` answers.
//!
//! The book's texts are `hello` and `world`. With several clients and
//! several workers behind a broker, a reply must show that it answers *this*
//! client's *this* request, and which worker made it: so a request is
//! `hello <client> <n>`, and its reply is `world <client> <n> (<worker>)` —
//! the request with `hello` turned into `world`, and the worker's name.

// ANCHOR: texts
/// The `n`th request of `client`: `hello <client> <n>`.
pub fn request(client: &str, n: u64) -> String {
    format!("hello {client} {n}")
}

/// The reply of `worker` to `request`: `hello …` becomes `world …`, and
/// ` (<worker>)` is added. A request that does not start with `hello` is
/// answered `world <request> (<worker>)`.
pub fn reply(request: &[u8], worker: &str) -> Vec<u8> {
    let mut reply = b"world".to_vec();
    match request.strip_prefix(b"hello") {
        Some(rest) => reply.extend_from_slice(rest),
        None if request.is_empty() => {}
        None => {
            reply.push(b' ');
            reply.extend_from_slice(request);
        }
    }
    reply.extend_from_slice(format!(" ({worker})").as_bytes());
    reply
}

/// True when `reply` is some worker's answer to `request`.
pub fn answers(reply: &[u8], request: &str) -> bool {
    let Some(rest) = request.strip_prefix("hello") else {
        return false;
    };
    let expected = format!("world{rest} (");
    reply.starts_with(expected.as_bytes()) && reply.ends_with(b")")
}
// ANCHOR_END: texts

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reply_names_the_request_and_the_worker() {
        let asked = request("c1", 3);
        assert_eq!(asked, "hello c1 3");
        let answered = reply(asked.as_bytes(), "w2");
        assert_eq!(answered, b"world c1 3 (w2)");
        assert!(answers(&answered, &asked));
    }

    #[test]
    fn another_clients_reply_does_not_answer() {
        let mine = request("c1", 3);
        assert!(!answers(&reply(b"hello c2 3", "w1"), &mine));
        assert!(!answers(&reply(b"hello c1 4", "w1"), &mine));
        assert!(!answers(b"world", &mine));
    }

    #[test]
    fn the_books_bare_hello_gets_world() {
        assert_eq!(reply(b"hello", "w1"), b"world (w1)");
        assert_eq!(reply(b"", "w1"), b"world (w1)");
        assert_eq!(reply(b"\xff", "w1"), b"world \xff (w1)");
    }
}
