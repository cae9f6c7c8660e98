//! The reactor's unit tests. Every test that runs a loop runs it within a
//! bound ([`within_bound`]), and the timer simulation counts its runs: a bug
//! that keeps a loop going makes its test fail, instead of hanging the test
//! binary.

use super::*;

#[path = "../../tests/support/bounded.rs"]
mod bounded;
use bounded::within_bound;

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

/// A PUSH/PULL pair over inproc, the PULL bound.
fn pair(context: &zmq::Context, name: &str) -> (zmq::Socket, zmq::Socket) {
    let pull = context.socket(zmq::PULL).unwrap();
    pull.bind(&format!("inproc://reactor-{name}")).unwrap();
    let push = context.socket(zmq::PUSH).unwrap();
    push.connect(&format!("inproc://reactor-{name}")).unwrap();
    (push, pull)
}

/// More timer runs than any simulation here needs: reaching it means the
/// timers never finish.
const MOST_SIMULATED_RUNS: usize = 10_000;

/// Plays the timers forward without sleeping: jumps to each due time and runs
/// what is due there, as `run` does. Returns the (label, due offset) of each
/// run; fails past [`MOST_SIMULATED_RUNS`].
fn simulate(timers: &mut Timers<'_, Vec<u64>>, base: Instant) -> Vec<(TimerId, Duration)> {
    let mut ran = Vec::new();
    while let Some(now) = timers.next_due() {
        let round = timers.next_sequence;
        while let Some(id) = timers.pop_due(now, round) {
            ran.push((id, now - base));
            timers.reschedule(id, now);
        }
        assert!(
            ran.len() <= MOST_SIMULATED_RUNS,
            "the timers were still due after {} runs",
            ran.len()
        );
    }
    ran
}

fn no_op<'s>() -> TimerHandler<'s, Vec<u64>> {
    Box::new(|_, _| Ok(()))
}

#[test]
fn timers_run_in_due_order_each_its_number_of_times() {
    let mut timers = Timers::default();
    let base = Instant::now();
    let every3 = timers.add_at(base, ms(3), Runs::Times(3), no_op());
    let every5 = timers.add_at(base, ms(5), Runs::Times(2), no_op());
    let once7 = timers.add_at(base, ms(7), Runs::Times(1), no_op());
    let ran = simulate(&mut timers, base);
    assert_eq!(
        ran,
        [
            (every3, ms(3)),
            (every5, ms(5)),
            (every3, ms(6)),
            (once7, ms(7)),
            (every3, ms(9)),
            (every5, ms(10)),
        ]
    );
    assert!(timers.is_empty());
}

#[test]
fn equal_due_times_run_in_the_order_the_timers_were_added() {
    let mut timers = Timers::default();
    let base = Instant::now();
    let ids: Vec<_> = (0..5)
        .map(|_| timers.add_at(base, ms(4), Runs::Times(1), no_op()))
        .collect();
    let ran: Vec<_> = simulate(&mut timers, base)
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert_eq!(ran, ids);
}

#[test]
fn a_thousand_timers_run_in_due_order() {
    let mut timers = Timers::default();
    let base = Instant::now();
    // Intervals 1..=1000 µs × 7, in a scrambled order of adding.
    let mut expected: Vec<(TimerId, Duration)> = (0..1000u64)
        .map(|i| {
            let interval = Duration::from_micros(7 * ((i * 7919) % 1000 + 1));
            (
                timers.add_at(base, interval, Runs::Times(2), no_op()),
                interval,
            )
        })
        .flat_map(|(id, interval)| [(id, interval), (id, interval * 2)])
        .collect();
    expected.sort_by_key(|&(id, due)| (due, id));
    let ran = simulate(&mut timers, base);
    assert_eq!(ran.len(), 2000);
    // Ties (a timer's second run meeting another's first) go to the entry
    // scheduled first; compare due times, then each timer's own runs.
    let dues: Vec<Duration> = ran.iter().map(|&(_, due)| due).collect();
    assert!(dues.windows(2).all(|w| w[0] <= w[1]), "out of order");
    let mut sorted = ran.clone();
    sorted.sort_by_key(|&(id, due)| (due, id));
    assert_eq!(sorted, expected);
}

#[test]
fn a_thousand_timers_in_a_running_reactor_run_in_due_order() {
    within_bound(|| {
        let mut reactor: Reactor<'_, Vec<u64>> = Reactor::new();
        let base = Instant::now();
        for i in 0..1000u64 {
            // A permutation of 1..=1000, × 10 µs: all due within 10 ms.
            let rank = (i * 7919) % 1000 + 1;
            reactor.control.timers.add_at(
                base,
                Duration::from_micros(10 * rank),
                Runs::Times(1),
                Box::new(move |ranks: &mut Vec<u64>, _| {
                    ranks.push(rank);
                    Ok(())
                }),
            );
        }
        let mut ranks = Vec::new();
        reactor.run(&mut ranks).unwrap();
        assert_eq!(ranks, (1..=1000).collect::<Vec<_>>());
    });
}

#[test]
fn next_due_keeps_the_phase_and_skips_missed_ticks() {
    let base = Instant::now();
    // On time: exactly one interval after the previous due time (no drift
    // from a handler that ran 3 ms late).
    assert_eq!(next_due(base, ms(10), base + ms(3)), base + ms(10));
    // 25 ms late: the ticks at 10 and 20 are skipped, the phase is kept.
    assert_eq!(next_due(base, ms(10), base + ms(25)), base + ms(30));
    // Exactly on a tick: that tick is not "ahead", the next one is.
    assert_eq!(next_due(base, ms(10), base + ms(20)), base + ms(30));
    assert_eq!(next_due(base, Duration::ZERO, base + ms(5)), base + ms(5));
}

#[test]
fn a_late_timer_does_not_catch_up_in_a_burst() {
    let mut timers = Timers::default();
    let base = Instant::now();
    let id = timers.add_at(base, ms(10), Runs::Forever, no_op());
    // The loop comes back only at 45 ms: one run, then due at 50, not at 20.
    assert_eq!(
        timers.pop_due(base + ms(45), timers.next_sequence),
        Some(id)
    );
    timers.reschedule(id, base + ms(45));
    assert_eq!(timers.next_due(), Some(base + ms(50)));
}

#[test]
fn a_timer_of_three_times_runs_three_times_then_the_loop_ends() {
    within_bound(|| {
        let mut runs = 0;
        let mut reactor = Reactor::new();
        reactor.times(3, ms(1), |runs: &mut u32, _| {
            *runs += 1;
            Ok(())
        });
        reactor.run(&mut runs).unwrap();
        assert_eq!(runs, 3);
        assert_eq!(reactor.timers(), 0);
    });
}

#[test]
fn single_shot_timers_run_in_due_order_in_a_running_reactor() {
    within_bound(|| {
        let mut order = Vec::new();
        let mut reactor = Reactor::new();
        for interval in [30, 10, 20] {
            reactor.times(1, ms(interval), move |order: &mut Vec<u64>, _| {
                order.push(interval);
                Ok(())
            });
        }
        reactor.run(&mut order).unwrap();
        assert_eq!(order, [10, 20, 30]);
    });
}

#[derive(Default)]
struct Cancelling {
    canceller: Option<TimerId>,
    victim: Option<TimerId>,
    canceller_runs: u32,
    victim_runs: u32,
    victim_runs_when_cancelled: u32,
}

#[test]
fn a_handler_cancels_another_timer_and_itself() {
    within_bound(|| {
        let mut state = Cancelling::default();
        let mut reactor = Reactor::new();
        // The victim would run every millisecond for ever.
        state.victim = Some(reactor.every(ms(1), |s: &mut Cancelling, _| {
            s.victim_runs += 1;
            Ok(())
        }));
        state.canceller = Some(reactor.every(ms(3), |s: &mut Cancelling, control| {
            s.canceller_runs += 1;
            if s.canceller_runs == 1 {
                control.cancel_timer(s.victim.unwrap());
                s.victim_runs_when_cancelled = s.victim_runs;
            }
            if s.canceller_runs == 3 {
                control.cancel_timer(s.canceller.unwrap());
            }
            Ok(())
        }));
        // Both timers gone: the loop ends by itself.
        reactor.run(&mut state).unwrap();
        assert_eq!(state.canceller_runs, 3);
        assert_eq!(state.victim_runs, state.victim_runs_when_cancelled);
        assert_eq!(reactor.timers(), 0);
    });
}

#[test]
fn a_timer_cancelled_before_the_loop_never_runs() {
    within_bound(|| {
        let mut runs = 0;
        let mut reactor = Reactor::new();
        let id = reactor.every(ms(1), |runs: &mut u32, _| {
            *runs += 1;
            Ok(())
        });
        reactor.cancel_timer(id);
        reactor.cancel_timer(id); // twice: harmless
        reactor.run(&mut runs).unwrap();
        assert_eq!(runs, 0);
    });
}

#[test]
fn a_handler_adds_a_timer() {
    within_bound(|| {
        let mut log = Vec::new();
        let mut reactor = Reactor::new();
        reactor.times(1, ms(1), |log: &mut Vec<&str>, control| {
            log.push("first");
            control.times(2, ms(1), |log: &mut Vec<&str>, _| {
                log.push("added");
                Ok(())
            });
            Ok(())
        });
        reactor.run(&mut log).unwrap();
        assert_eq!(log, ["first", "added", "added"]);
    });
}

#[test]
fn stop_from_a_timer_ends_the_loop_at_once() {
    within_bound(|| {
        let mut runs = (0, 0);
        let mut reactor = Reactor::new();
        reactor.every(ms(1), |runs: &mut (u32, u32), control| {
            runs.0 += 1;
            if runs.0 % 5 == 0 {
                control.stop();
            }
            Ok(())
        });
        reactor.run(&mut runs).unwrap();
        assert_eq!(runs.0, 5);
        // The timer is still there: a second run goes on where it stopped.
        assert_eq!(reactor.timers(), 1);
        reactor.run(&mut runs).unwrap();
        assert_eq!(runs.0, 10);
    });
}

#[test]
fn a_handler_error_ends_the_loop_with_that_error() {
    within_bound(|| {
        let mut reactor = Reactor::new();
        reactor.every(ms(1), |_: &mut (), _| Err(lab::Error::failed("boom")));
        assert_eq!(reactor.run(&mut ()), Err(lab::Error::failed("boom")));
    });
}

#[test]
fn a_reader_receives_each_message_and_stops_the_loop() {
    within_bound(|| {
        let context = zmq::Context::new();
        let (push, pull) = pair(&context, "reader");
        for n in 0..5 {
            push.send(&format!("m{n}"), 0).unwrap();
        }
        let mut got = Vec::new();
        let mut reactor = Reactor::new();
        reactor.on_readable(&pull, |got: &mut Vec<String>, socket, control| {
            got.push(lab::recv_message(socket)?.to_string());
            if got.len() == 5 {
                control.stop();
            }
            Ok(())
        });
        reactor.run(&mut got).unwrap();
        assert_eq!(got, [r#""m0""#, r#""m1""#, r#""m2""#, r#""m3""#, r#""m4""#]);
    });
}

#[test]
fn every_readable_socket_gets_its_turn_in_one_poll() {
    within_bound(|| {
        let context = zmq::Context::new();
        let (busy_push, busy) = pair(&context, "busy");
        let (quiet_push, quiet) = pair(&context, "quiet");
        for _ in 0..100 {
            busy_push.send("work", 0).unwrap();
        }
        quiet_push.send("stop", 0).unwrap();
        let mut busy_count = 0;
        let mut reactor = Reactor::new();
        reactor.on_readable(&busy, |count: &mut u32, socket, _| {
            lab::recv_message(socket)?;
            *count += 1;
            Ok(())
        });
        reactor.on_readable(&quiet, |_: &mut u32, socket, control| {
            lab::recv_message(socket)?;
            control.stop();
            Ok(())
        });
        reactor.run(&mut busy_count).unwrap();
        // One message from the busy socket, then the quiet one in the same turn.
        assert_eq!(busy_count, 1);
    });
}

/// `stop` from a reader ends the loop before any other reader runs, even one
/// whose socket is ready in the same turn: its message waits for the next
/// `run`.
#[test]
fn stop_from_a_reader_keeps_the_next_ready_reader_from_running() {
    within_bound(|| {
        let context = zmq::Context::new();
        let (first_push, first) = pair(&context, "stop-first");
        let (second_push, second) = pair(&context, "stop-second");
        first_push.send("stop", 0).unwrap();
        second_push.send("wait", 0).unwrap();
        // Both are ready before the loop starts: its first turn finds both.
        for socket in [&first, &second] {
            assert_eq!(socket.poll(zmq::POLLIN, 0).unwrap(), 1);
        }
        let mut ran = Vec::new();
        let mut reactor = Reactor::new();
        for (socket, name) in [(&first, "first"), (&second, "second")] {
            reactor.on_readable(socket, move |ran: &mut Vec<&str>, socket, control| {
                lab::recv_message(socket)?;
                ran.push(name);
                control.stop();
                Ok(())
            });
        }
        reactor.run(&mut ran).unwrap();
        assert_eq!(ran, ["first"]);
        // The second reader's message is still there, for the next run.
        reactor.run(&mut ran).unwrap();
        assert_eq!(ran, ["first", "second"]);
    });
}

#[test]
fn a_reader_that_removes_itself_is_not_called_again() {
    within_bound(|| {
        let context = zmq::Context::new();
        let (push, pull) = pair(&context, "remove");
        for _ in 0..5 {
            push.send("x", 0).unwrap();
        }
        let mut count = (0, None);
        let mut reactor = Reactor::new();
        let id = reactor.on_readable(
            &pull,
            |state: &mut (u32, Option<ReaderId>), socket, control| {
                lab::recv_message(socket)?;
                state.0 += 1;
                if state.0 == 2 {
                    control.remove_reader(state.1.unwrap());
                }
                Ok(())
            },
        );
        count.1 = Some(id);
        // Nothing left to wait for once the reader is gone: the loop ends.
        reactor.run(&mut count).unwrap();
        assert_eq!(count.0, 2);
        assert_eq!(reactor.readers(), 0);
    });
}

#[test]
fn remove_reader_from_outside_leaves_the_others() {
    let context = zmq::Context::new();
    let (_push_a, a) = pair(&context, "outside-a");
    let (_push_b, b) = pair(&context, "outside-b");
    let mut reactor: Reactor<'_, ()> = Reactor::new();
    let first = reactor.on_readable(&a, |_, _, _| Ok(()));
    reactor.on_readable(&b, |_, _, _| Ok(()));
    reactor.remove_reader(first);
    assert_eq!(reactor.readers(), 1);
}

#[test]
fn a_timer_of_zero_times_never_runs() {
    within_bound(|| {
        let mut runs = 0;
        let mut reactor = Reactor::new();
        reactor.times(0, ms(1), |runs: &mut u32, _| {
            *runs += 1;
            Ok(())
        });
        // Nothing to wait for: the loop ends at once.
        assert_eq!(reactor.timers(), 0);
        reactor.run(&mut runs).unwrap();
        assert_eq!(runs, 0);
    });
}

/// Two timers due at the same instant: the first stops the loop, and the
/// second, which that round did not reach, runs in the next `run`.
#[test]
fn stop_from_a_timer_leaves_the_timers_due_with_it_for_the_next_run() {
    within_bound(|| {
        let mut reactor: Reactor<'_, Vec<&str>> = Reactor::new();
        let base = Instant::now();
        let timers = &mut reactor.control.timers;
        timers.add_at(
            base,
            ms(1),
            Runs::Times(1),
            Box::new(|log: &mut Vec<&str>, control| {
                log.push("stops");
                control.stop();
                Ok(())
            }),
        );
        timers.add_at(
            base,
            ms(1),
            Runs::Times(1),
            Box::new(|log: &mut Vec<&str>, _| {
                log.push("waits");
                Ok(())
            }),
        );
        let mut log = Vec::new();
        reactor.run(&mut log).unwrap();
        assert_eq!(log, ["stops"]);
        assert_eq!(reactor.timers(), 1);
        reactor.run(&mut log).unwrap();
        assert_eq!(log, ["stops", "waits"]);
    });
}

/// A reader's handler starts watching a second socket, whose message is
/// already waiting: the new reader is polled from the next turn on, after
/// the readers registered before it.
#[test]
fn a_reader_starts_watching_another_socket_from_the_next_turn() {
    within_bound(|| {
        let context = zmq::Context::new();
        let (first_push, first) = pair(&context, "adds-first");
        let (second_push, second) = pair(&context, "adds-second");
        first_push.send("a1", 0).unwrap();
        first_push.send("a2", 0).unwrap();
        second_push.send("b", 0).unwrap();
        for socket in [&first, &second] {
            assert_eq!(socket.poll(zmq::POLLIN, 0).unwrap(), 1);
        }
        let second = &second;
        let mut log = Vec::new();
        let mut reactor = Reactor::new();
        reactor.on_readable(&first, move |log: &mut Vec<String>, socket, control| {
            log.push(lab::recv_message(socket)?.to_string());
            if log.len() == 1 {
                control.on_readable(second, |log: &mut Vec<String>, socket, control| {
                    log.push(lab::recv_message(socket)?.to_string());
                    control.stop();
                    Ok(())
                });
            }
            Ok(())
        });
        reactor.run(&mut log).unwrap();
        // Turn 1: a1 (and the new reader); turn 2: a2, then b.
        assert_eq!(log, [r#""a1""#, r#""a2""#, r#""b""#]);
        assert_eq!(reactor.readers(), 2);
    });
}

/// A reactor with a timer alone: the timer starts watching a socket, and the
/// loop, which had nothing else to wait for, goes on serving it.
#[test]
fn a_timer_starts_watching_a_socket() {
    within_bound(|| {
        let context = zmq::Context::new();
        let (push, pull) = pair(&context, "timer-adds");
        push.send("late", 0).unwrap();
        let pull = &pull;
        let mut got = Vec::new();
        let mut reactor = Reactor::new();
        reactor.times(1, ms(1), move |_: &mut Vec<String>, control| {
            control.on_readable(pull, |got: &mut Vec<String>, socket, control| {
                got.push(lab::recv_message(socket)?.to_string());
                control.stop();
                Ok(())
            });
            Ok(())
        });
        reactor.run(&mut got).unwrap();
        assert_eq!(got, [r#""late""#]);
    });
}

/// A reader added and removed by handlers of the same turn is never polled.
#[test]
fn a_reader_added_and_removed_in_one_turn_never_runs() {
    within_bound(|| {
        let context = zmq::Context::new();
        let (push, pull) = pair(&context, "added-removed");
        push.send("never read", 0).unwrap();
        let pull = &pull;
        let mut runs = 0;
        let mut reactor = Reactor::new();
        reactor.times(1, ms(1), move |_: &mut u32, control| {
            let id = control.on_readable(pull, |runs: &mut u32, socket, _| {
                lab::recv_message(socket)?;
                *runs += 1;
                Ok(())
            });
            control.remove_reader(id);
            Ok(())
        });
        // Time enough for a reader left behind to read its message.
        reactor.times(1, ms(20), |_, control| {
            control.stop();
            Ok(())
        });
        reactor.run(&mut runs).unwrap();
        assert_eq!((runs, reactor.readers()), (0, 0));
    });
}

/// Runs `body` with a PULL socket of a context that `zmq_ctx_shutdown` shut
/// down: every later call on the socket fails with `ETERM` (the socket stays
/// open until `body` returns). The zmq crate has no shutdown, hence zmq-sys.
#[allow(unsafe_code)]
fn with_a_socket_of_a_shut_down_context(body: impl FnOnce(&zmq::Socket)) {
    // SAFETY: zmq_ctx_new has no precondition; null means it failed.
    let context = unsafe { zmq_sys::zmq_ctx_new() };
    assert!(!context.is_null(), "zmq_ctx_new failed");
    // SAFETY: `context` is a live context; null means it failed.
    let raw = unsafe { zmq_sys::zmq_socket(context, zmq_sys::ZMQ_PULL as std::os::raw::c_int) };
    assert!(!raw.is_null(), "zmq_socket failed");
    // SAFETY: `raw` is a socket that nothing else owns or closes: the
    // `Socket` closes it when dropped, before the context is terminated.
    let socket = unsafe { zmq::Socket::from_raw(raw) };
    // SAFETY: `context` is live; shutting it down closes nothing.
    assert_eq!(unsafe { zmq_sys::zmq_ctx_shutdown(context) }, 0);
    body(&socket);
    drop(socket);
    // SAFETY: the context's only socket is closed, so zmq_ctx_term returns
    // (it is retried on EINTR only); `context` is not used after it.
    while unsafe { zmq_sys::zmq_ctx_term(context) } != 0
        && zmq::Error::from_raw(unsafe { zmq_sys::zmq_errno() }) == zmq::Error::EINTR
    {}
}

#[test]
fn a_failed_poll_ends_the_loop_with_its_error() {
    within_bound(|| {
        with_a_socket_of_a_shut_down_context(|socket| {
            let mut reactor = Reactor::new();
            reactor.on_readable(socket, |_: &mut (), socket, _| {
                lab::recv_message(socket).map(drop)
            });
            // Were the failure taken for "nothing ready", the loop would go
            // on until this timer stopped it, with Ok(()).
            reactor.times(1, ms(20), |_, control| {
                control.stop();
                Ok(())
            });
            assert_eq!(
                reactor.run(&mut ()),
                Err(lab::Error::Failed(format!(
                    "cannot poll: {}",
                    zmq::Error::ETERM
                )))
            );
        });
    });
}

/// One socket keeps a hundred messages queued, another's context is shut
/// down: the failure ends the loop in its first turn, before the busy socket
/// is served at all, rather than once the busy socket runs dry.
#[test]
fn a_failed_socket_ends_the_loop_even_while_another_is_busy() {
    within_bound(|| {
        let context = zmq::Context::new();
        let (push, busy) = pair(&context, "busy-beside-failed");
        for _ in 0..100 {
            push.send("work", 0).unwrap();
        }
        with_a_socket_of_a_shut_down_context(|failed| {
            let mut served = 0;
            let mut reactor = Reactor::new();
            reactor.on_readable(&busy, |served: &mut u32, socket, _| {
                lab::recv_message(socket)?;
                *served += 1;
                Ok(())
            });
            reactor.on_readable(failed, |_, socket, _| lab::recv_message(socket).map(drop));
            assert_eq!(
                reactor.run(&mut served),
                Err(lab::Error::Failed(format!(
                    "cannot poll: {}",
                    zmq::Error::ETERM
                )))
            );
            assert_eq!(served, 0);
        });
    });
}

/// This thread's CPU time (user + system) so far, from /proc: other tests
/// running in parallel in this process do not count.
fn thread_cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").unwrap();
    // Fields after the command name (which is in parentheses): utime is the
    // 14th field of the line, stime the 15th, in clock ticks of 1/100 s.
    let after_name = &stat[stat.rfind(')').unwrap() + 2..];
    let fields: Vec<&str> = after_name.split(' ').collect();
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    Duration::from_millis(ticks * 10)
}

#[test]
fn an_idle_loop_sleeps_instead_of_spinning() {
    within_bound(|| {
        let context = zmq::Context::new();
        let (_push, pull) = pair(&context, "idle");
        let mut reactor = Reactor::new();
        // A silent socket, a far-off timer that never comes, and one that stops
        // the loop after a second of idling.
        reactor.on_readable(&pull, |_: &mut (), socket, _| {
            lab::recv_message(socket).map(drop)
        });
        // The clock starts before the timer is added: the timer counts its
        // second from `times`, so starting later could measure less.
        let started = Instant::now();
        reactor.every(Duration::from_secs(3600), |_, _| Ok(()));
        reactor.times(1, Duration::from_secs(1), |_, control| {
            control.stop();
            Ok(())
        });
        let cpu_before = thread_cpu_time();
        reactor.run(&mut ()).unwrap();
        let wall = started.elapsed();
        let cpu = thread_cpu_time() - cpu_before;
        assert!(wall >= Duration::from_secs(1));
        // A spinning loop would use about all of the second; allow 5 %.
        assert!(cpu * 20 < wall, "{cpu:?} of CPU in {wall:?}");
    });
}
