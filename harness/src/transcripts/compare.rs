//! When a fresh run says the same as a transcript: what is compared, and
//! what is not because it differs from run to run by nature.
//!
//! A demo runs several programs at once. Each program's own lines come in
//! the order it wrote them, and the demo's own lines (`--- …` narration and
//! exits) in the order the demo's code emits them; but how two programs'
//! lines interleave depends on the scheduler. So a transcript is compared as
//!
//! - its **command lines** (`$ …`), which must be the registry's;
//! - the **demo's lines** (every line that is not `[program] …`), in order;
//! - each **thread**: the lines of one run of one program (a program started
//!   again after its `--- <name> exited` line is a new run), in order.
//!
//! How the threads interleave is not compared. A lesson whose programs'
//! output varies by more than masked figures (which worker got a request,
//! how many updates came before a subscriber joined) says so with [`Rule`]s.

use std::collections::BTreeMap;

use regex::Regex;

/// A comparison rule of one transcript: where its output varies from run to
/// run by nature, beyond what the normaliser masks.
#[derive(Debug, Clone, Copy)]
pub enum Rule {
    /// Lines of programs whose label starts with `label` that match
    /// `pattern` form a thread of their own per value of the pattern's first
    /// group (say, one per socket a poller reads): the order between two such
    /// threads is timing.
    Split {
        /// The programs, by label prefix.
        label: &'static str,
        /// A pattern with one group.
        pattern: &'static str,
    },
    /// In a thread of a program whose label starts with `label`, a run of
    /// consecutive lines matching `pattern` counts as one: how many there
    /// are is timing (updates sent before a subscriber joined) or chance.
    Collapse {
        /// The programs, by label prefix.
        label: &'static str,
        /// The lines, by pattern.
        pattern: &'static str,
    },
    /// Programs whose labels start with `label` are compared as one pool:
    /// which of them printed a line is the load balancer's choice.
    Pool {
        /// The programs, by label prefix.
        label: &'static str,
    },
    /// Before comparing, `pattern` becomes `with`: a value that is chance
    /// but that the file shows as printed (which worker, which company).
    Blur {
        /// What varies.
        pattern: &'static str,
        /// What it is compared as.
        with: &'static str,
    },
}

/// A thread: the pool or program label, which run of it, and the key a
/// [`Rule::Split`] gave it (empty when none did).
type ThreadKey = (String, usize, String);

/// A transcript or a run, taken apart as compared.
#[derive(Debug, Default, PartialEq)]
struct Parts {
    commands: Vec<String>,
    demo: Vec<String>,
    threads: BTreeMap<ThreadKey, Vec<String>>,
}

/// Compiled rules.
struct Rules {
    splits: Vec<(&'static str, Regex)>,
    collapses: Vec<(&'static str, Regex)>,
    pools: Vec<&'static str>,
    blurs: Vec<(Regex, &'static str)>,
}

impl Rules {
    fn new(rules: &[Rule]) -> Result<Rules, String> {
        let compile = |pattern: &str| {
            Regex::new(pattern).map_err(|e| format!("bad pattern {pattern:?}: {e}"))
        };
        let mut compiled = Rules {
            splits: Vec::new(),
            collapses: Vec::new(),
            pools: Vec::new(),
            blurs: Vec::new(),
        };
        for rule in rules {
            match *rule {
                Rule::Split { label, pattern } => compiled.splits.push((label, compile(pattern)?)),
                Rule::Collapse { label, pattern } => {
                    compiled.collapses.push((label, compile(pattern)?))
                }
                Rule::Pool { label } => compiled.pools.push(label),
                Rule::Blur { pattern, with } => compiled.blurs.push((compile(pattern)?, with)),
            }
        }
        Ok(compiled)
    }

    fn blur(&self, text: &str) -> String {
        let mut text = text.to_string();
        for (pattern, with) in &self.blurs {
            text = pattern.replace_all(&text, *with).into_owned();
        }
        text
    }

    fn thread(&self, label: &str, run: usize, text: &str) -> ThreadKey {
        let pool = self.pools.iter().find(|pool| label.starts_with(**pool));
        let key = self
            .splits
            .iter()
            .filter(|(prefix, _)| label.starts_with(prefix))
            .find_map(|(_, pattern)| pattern.captures(text))
            .and_then(|captures| captures.get(1).map(|group| group.as_str().to_string()))
            .unwrap_or_default();
        match pool {
            Some(pool) => (format!("{pool}*"), 0, key),
            None => (label.to_string(), run, key),
        }
    }

    /// `lines` with each run of consecutive lines matching one collapse
    /// pattern of `label` replaced by one line naming the pattern.
    fn collapse(&self, label: &str, lines: Vec<String>) -> Vec<String> {
        let patterns: Vec<&Regex> = self
            .collapses
            .iter()
            .filter(|(prefix, _)| label.starts_with(prefix))
            .map(|(_, pattern)| pattern)
            .collect();
        let mut kept: Vec<String> = Vec::new();
        let mut last_run: Option<&Regex> = None;
        for line in lines {
            let pattern = patterns.iter().copied().find(|p| p.is_match(&line));
            match pattern {
                Some(pattern) if last_run.is_some_and(|last| last.as_str() == pattern.as_str()) => {
                }
                Some(pattern) => {
                    kept.push(format!("(one or more lines like /{}/)", pattern.as_str()));
                    last_run = Some(pattern);
                }
                None => {
                    kept.push(line);
                    last_run = None;
                }
            }
        }
        kept
    }
}

/// A labelled line `[label] text`, as a stage prints it (the label padded
/// to the stage's widest), taken apart.
pub fn labelled(line: &str) -> Option<(&str, &str)> {
    let rest = line.strip_prefix('[')?;
    let (label, text) = rest.split_once("] ")?;
    Some((label.trim(), text))
}

/// The program whose exit a demo line `--- <name> exited: …` announces.
fn exited(line: &str) -> Option<&str> {
    line.strip_prefix("--- ")?
        .split_once(" exited: ")
        .map(|(name, _)| name)
}

fn parts(lines: &[String], rules: &Rules) -> Parts {
    let mut parts = Parts::default();
    let mut runs: BTreeMap<String, usize> = BTreeMap::new();
    let mut threads: BTreeMap<ThreadKey, Vec<String>> = BTreeMap::new();
    for line in lines {
        let line = rules.blur(line);
        if let Some(command) = line.strip_prefix("$ ") {
            if parts.demo.is_empty() && threads.is_empty() {
                parts.commands.push(command.to_string());
                continue;
            }
        }
        match labelled(&line) {
            Some((label, text)) => {
                let run = runs.get(label).copied().unwrap_or(0);
                let key = rules.thread(label, run, text);
                threads.entry(key).or_default().push(text.to_string());
            }
            None => {
                if let Some(name) = exited(&line) {
                    *runs.entry(name.to_string()).or_default() += 1;
                }
                parts.demo.push(line);
            }
        }
    }
    parts.threads = threads
        .into_iter()
        .map(|(key, lines)| {
            let lines = rules.collapse(&key.0, lines);
            (key, lines)
        })
        .collect();
    parts
}

/// Why `fresh` (normalised lines of a new run) does not say what `stored`
/// (a transcript file's lines) says, or `None` when it does.
pub fn difference(stored: &[String], fresh: &[String], rules: &[Rule]) -> Option<String> {
    let rules = match Rules::new(rules) {
        Ok(rules) => rules,
        Err(why) => return Some(why),
    };
    let (stored, fresh) = (parts(stored, &rules), parts(fresh, &rules));
    if let Some(why) = first_difference("the commands", &stored.commands, &fresh.commands) {
        return Some(why);
    }
    if let Some(why) = first_difference(
        "the lines not labelled with a program",
        &stored.demo,
        &fresh.demo,
    ) {
        return Some(why);
    }
    let keys = stored.threads.keys().chain(fresh.threads.keys());
    let empty = Vec::new();
    for key in keys {
        let (label, run, split) = key;
        let what = format!(
            "the lines of {label}{}{}",
            if *run > 0 {
                format!(" (run {})", run + 1)
            } else {
                String::new()
            },
            if split.is_empty() {
                String::new()
            } else {
                format!(" that start {split:?}")
            }
        );
        let old = stored.threads.get(key).unwrap_or(&empty);
        let new = fresh.threads.get(key).unwrap_or(&empty);
        if let Some(why) = first_difference(&what, old, new) {
            return Some(why);
        }
    }
    None
}

fn first_difference(what: &str, stored: &[String], fresh: &[String]) -> Option<String> {
    let at = stored
        .iter()
        .zip(fresh)
        .position(|(old, new)| old != new)
        .or_else(|| (stored.len() != fresh.len()).then(|| stored.len().min(fresh.len())))?;
    let show = |lines: &[String]| {
        lines
            .get(at)
            .map_or_else(|| "nothing more".to_string(), |line| format!("{line:?}"))
    };
    Some(format!(
        "{what} differ at line {}: the transcript has {}, a fresh run printed {}",
        at + 1,
        show(stored),
        show(fresh)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(str::to_string).collect()
    }

    const HELLO: &str = "$ cargo run -p harness -- demo hello\n\
        [hello-server] bound tcp://127.0.0.1:<port>\n\
        [hello-server] Starting...\n\
        --- hello-server bound\n\
        [hello-client] Sending: 0\n\
        [hello-server] Received: hello\n\
        [hello-client] Received: world\n\
        --- hello-client exited: exit status: 0\n";

    #[test]
    fn another_interleaving_of_the_same_threads_is_the_same() {
        let other = HELLO.replace(
            "[hello-server] Starting...\n--- hello-server bound\n",
            "--- hello-server bound\n[hello-server] Starting...\n",
        );
        assert_eq!(difference(&lines(HELLO), &lines(&other), &[]), None);
    }

    #[test]
    fn a_changed_line_a_line_moved_to_another_program_or_run_is_caught() {
        let changed = HELLO.replace("Received: world", "Received: wordl");
        let why = difference(&lines(HELLO), &lines(&changed), &[]).unwrap_or_default();
        assert!(
            why.contains("the lines of hello-client differ at line 2"),
            "{why}"
        );
        let relabelled = HELLO.replace("[hello-server] Received", "[hello-client] Received");
        assert!(difference(&lines(HELLO), &lines(&relabelled), &[]).is_some());
        let later = format!("{HELLO}[hello-client] Sending: 0\n");
        let why = difference(&lines(HELLO), &lines(&later), &[]).unwrap_or_default();
        assert!(why.contains("hello-client (run 2)"), "{why}");
        let command = HELLO.replace("demo hello", "demo hullo");
        assert!(difference(&lines(HELLO), &lines(&command), &[]).is_some());
    }

    #[test]
    fn rules_relax_only_what_they_name() {
        let a = lines(
            "[p] starting\n[p] tick: a 1\n[p] tock: b 1\n[p] x\n[p] x\n[p] x\n[w-1] job c1\n",
        );
        let b = lines("[p] starting\n[p] tock: b 1\n[p] tick: a 1\n[p] x\n[w-2] job c1\n");
        let rules = [
            Rule::Split {
                label: "p",
                pattern: "^(tick|tock):",
            },
            Rule::Collapse {
                label: "p",
                pattern: "^x$",
            },
            Rule::Pool { label: "w-" },
        ];
        assert_eq!(difference(&a, &b, &rules), None);
        assert!(difference(&a, &b, &rules[..2]).is_some());
        assert!(difference(&a, &b, &rules[1..]).is_some());
        let blur = [Rule::Blur {
            pattern: r"\(w\d\)",
            with: "(w?)",
        }];
        let (c, d) = (lines("[c] world (w1)"), lines("[c] world (w2)"));
        assert_eq!(difference(&c, &d, &blur), None);
        assert!(difference(&c, &d, &[]).is_some());
    }
}
