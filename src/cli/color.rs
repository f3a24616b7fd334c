//! `--color auto|always|never` (SPEC §11.1): the one place that decides whether output is
//! coloured. `auto` colours only a terminal, and not when `NO_COLOR` is set to anything
//! but the empty string (<https://no-color.org>) or `TERM` is `dumb`; the flag wins over
//! the environment, as in ripgrep and fd.

use std::ffi::{OsStr, OsString};

use clap::ValueEnum;

/// When to colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub(crate) enum ColorWhen {
    /// Only on a terminal, and without `NO_COLOR` (or `TERM=dumb`).
    #[default]
    Auto,
    /// Always, whatever the output and the environment.
    Always,
    /// Never.
    Never,
}

impl ColorWhen {
    /// Returns true if and only if output to a stream that is (or is not) a terminal is
    /// coloured, with `var` reading the environment.
    pub(crate) fn enabled(self, terminal: bool, var: impl Fn(&str) -> Option<OsString>) -> bool {
        match self {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto => {
                terminal
                    && var("NO_COLOR").is_none_or(|v| v.is_empty())
                    && var("TERM").is_none_or(|t| t != "dumb")
            }
        }
    }

    /// Whether standard output is coloured.
    pub(crate) fn stdout(self) -> bool {
        use std::io::IsTerminal;
        self.enabled(std::io::stdout().is_terminal(), |name| std::env::var_os(name))
    }

    /// clap's own colour (help, usage errors) for the same choice.
    pub(crate) fn clap(self) -> clap::ColorChoice {
        match self {
            ColorWhen::Auto => clap::ColorChoice::Auto,
            ColorWhen::Always => clap::ColorChoice::Always,
            ColorWhen::Never => clap::ColorChoice::Never,
        }
    }

    /// The `--color` of a command line before it is parsed, so that clap's help and usage
    /// errors follow it too: the last `--color WHEN` or `--color=WHEN` wins, as clap reads
    /// it; `None` when there is none, or its value is not a choice (clap then says so).
    pub(crate) fn given<I: IntoIterator<Item = OsString>>(args: I) -> Option<ColorWhen> {
        let mut found = None;
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            if arg == "--" {
                break;
            }
            let value = match arg.to_str().and_then(|a| a.strip_prefix("--color")) {
                Some("") => args.next(),
                Some(rest) => match rest.strip_prefix('=') {
                    Some(value) => Some(OsString::from(value)),
                    None => continue,
                },
                None => continue,
            };
            found = value.as_deref().and_then(OsStr::to_str).and_then(|v| ColorWhen::from_str(v, false).ok());
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<OsString> + 'a {
        move |name| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| OsString::from(v))
    }

    #[test]
    fn auto_colours_a_terminal_without_no_color() {
        #[track_caller]
        fn case(when: ColorWhen, terminal: bool, vars: &[(&str, &str)], expected: bool) {
            assert_eq!(when.enabled(terminal, env(vars)), expected, "{when:?} {terminal} {vars:?}");
        }
        case(ColorWhen::Auto, true, &[], true);
        case(ColorWhen::Auto, false, &[], false);
        case(ColorWhen::Auto, true, &[("NO_COLOR", "1")], false);
        // An empty NO_COLOR is unset (no-color.org).
        case(ColorWhen::Auto, true, &[("NO_COLOR", "")], true);
        case(ColorWhen::Auto, true, &[("TERM", "dumb")], false);
        case(ColorWhen::Auto, true, &[("TERM", "xterm-256color")], true);
        // The flag wins over the environment and the stream.
        case(ColorWhen::Always, false, &[("NO_COLOR", "1"), ("TERM", "dumb")], true);
        case(ColorWhen::Never, true, &[], false);
    }

    #[test]
    fn the_flag_is_found_before_parsing_and_the_last_one_wins() {
        #[track_caller]
        fn case(args: &[&str], expected: Option<ColorWhen>) {
            assert_eq!(ColorWhen::given(args.iter().map(OsString::from)), expected, "{args:?}");
        }
        case(&["ketacalc", "list"], None);
        case(&["ketacalc", "list", "--color", "never"], Some(ColorWhen::Never));
        case(&["ketacalc", "--color=always", "list"], Some(ColorWhen::Always));
        case(&["ketacalc", "--color=always", "list", "--color", "never"], Some(ColorWhen::Never));
        case(&["ketacalc", "list", "--color", "Always"], None);
        case(&["ketacalc", "list", "--color"], None);
        case(&["ketacalc", "batch", "--", "--color=never"], None);
        case(&["ketacalc", "list", "--colour=never"], None);
    }
}
