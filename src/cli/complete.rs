//! `ketacalc completions SHELL` (SPEC §11, §11.1): clap_complete's script for the commands,
//! options and their values, and for bash, zsh and fish the formula ids of `batch`, `label`
//! and `show`, from the formulary the command would use.
//!
//! The scripts ask the program itself, `ketacalc __ids [--formulas DIR]` (a hidden
//! command, [`super::args::IdsArgs`]), with the `--formulas DIR` already on the line; the program reads
//! `$KETACALC_FORMULAS` from the shell's environment, else lists the built-in formulary.
//! So the ids are always those of the formulary as it is at that moment, and each shell
//! needs only to find `--formulas` and whether the word is the command's first operand.
//! (clap_complete's dynamic completion would do the asking, but it is behind an
//! `unstable-dynamic` feature, and its completers see only the word being completed, not
//! `--formulas` earlier on the line.)

use clap::CommandFactory;
use clap_complete::Shell;

use super::args::full;

/// The commands whose operand is a formula.
const WITH_FORMULA: [&str; 3] = ["batch", "label", "show"];

/// The completion script of `shell`.
pub(crate) fn script(shell: Shell) -> String {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut full::Args::command(), "ketacalc", &mut out);
    let clap = String::from_utf8_lossy(&out).into_owned();
    match shell {
        Shell::Bash => format!("{clap}\n{}", bash()),
        Shell::Zsh => zsh(&clap),
        Shell::Fish => format!("{clap}\n{}", fish()),
        _ => clap,
    }
}

/// Every option of the commands with a formula that takes a value (`--quantity`, `-o`,
/// the global `--color`), as the shell sees them: `--long` and `-s`.
fn options_with_values() -> Vec<String> {
    let cmd = full::Args::command();
    let mut out: Vec<String> = Vec::new();
    let subs = cmd.get_subcommands().filter(|s| WITH_FORMULA.contains(&s.get_name()));
    for arg in cmd.get_arguments().chain(subs.flat_map(|s| s.get_arguments())) {
        if arg.is_positional() || !arg.get_action().takes_values() {
            continue;
        }
        let names = arg.get_long().map(|l| format!("--{l}")).into_iter();
        for name in names.chain(arg.get_short().map(|s| format!("-{s}"))) {
            if !out.contains(&name) {
                out.push(name);
            }
        }
    }
    out
}

/// The bash function that adds the ids to clap's completions, and its registration.
fn bash() -> String {
    format!(
        r#"# Formula ids for `{cmds}` (ketacalc completions): `ketacalc __ids` lists the
# formulary the command would use, the `--formulas DIR` on the line, else
# $KETACALC_FORMULAS, else the built-in one. Bash splits `--opt=value` at `=`.
_ketacalc_with_ids() {{
    _ketacalc "$@"
    local cur="${{COMP_WORDS[COMP_CWORD]}}" i word command="" operands=0 formulas=""
    [[ "$cur" == -* ]] && return 0
    for (( i = 1; i < COMP_CWORD; i++ )); do
        word="${{COMP_WORDS[i]}}"
        case "$word" in
            --formulas)
                if [[ "${{COMP_WORDS[i+1]}}" == "=" ]]; then (( i++ )); fi
                (( i++ ))
                formulas="${{COMP_WORDS[i]}}"
                ;;
            --formulas=*)
                formulas="${{word#--formulas=}}"
                ;;
            {with_values})
                if [[ "${{COMP_WORDS[i+1]}}" == "=" ]]; then (( i++ )); fi
                (( i++ ))
                ;;
            "=")
                (( i++ ))
                ;;
            -*)
                ;;
            *)
                if [[ -z "$command" ]]; then command="$word"; else (( operands++ )); fi
                ;;
        esac
    done
    # The word being completed is the value of an option, or a later operand.
    (( i > COMP_CWORD || operands > 0 )) && return 0
    [[ "${{COMP_WORDS[COMP_CWORD-1]}}" == "=" ]] && return 0
    case "$command" in
        {cmds_pattern}) ;;
        *) return 0 ;;
    esac
    formulas="${{formulas/#\~/$HOME}}"
    local ids
    ids="$("${{COMP_WORDS[0]}}" __ids ${{formulas:+--formulas "$formulas"}} 2>/dev/null)"
    COMPREPLY=( $(compgen -W "$ids" -- "$cur") )
}}

if [[ "${{BASH_VERSINFO[0]}}" -eq 4 && "${{BASH_VERSINFO[1]}}" -ge 4 || "${{BASH_VERSINFO[0]}}" -gt 4 ]]; then
    complete -F _ketacalc_with_ids -o nosort -o bashdefault -o default ketacalc
else
    complete -F _ketacalc_with_ids -o bashdefault -o default ketacalc
fi
"#,
        cmds = WITH_FORMULA.join("`, `"),
        cmds_pattern = WITH_FORMULA.join("|"),
        with_values = options_with_values().join("|"),
    )
}

/// clap's zsh script, with the formula operand completed by ids as well as files.
fn zsh(clap: &str) -> String {
    const OPERAND: &str = ":formula -- A formula id, or a path to a `.toml` file:_default'";
    const FUNCTION: &str = r#"(( $+functions[_ketacalc_formula_ids] )) ||
_ketacalc_formula_ids() {
    # The ids of the formulary the command would use (`ketacalc __ids`), and files.
    # `words` holds the subcommand's words here: the program is the line's first word.
    local -a ids dir
    local program=${${(z)BUFFER}[1]} formulas=${opt_args[--formulas]}
    [[ -n $formulas ]] && dir=(--formulas ${~formulas})
    ids=( ${(f)"$(${~program} __ids $dir 2>/dev/null)"} )
    _alternative 'ids:formula id:compadd -a ids' 'files:formula file:_files'
}

"#;
    let with_ids =
        clap.replace(OPERAND, ":formula -- A formula id, or a path to a `.toml` file:_ketacalc_formula_ids'");
    match with_ids.rfind("if [ \"$funcstack[1]\" = \"_ketacalc\" ]") {
        Some(at) => {
            let (head, tail) = with_ids.split_at(at);
            format!("{head}{FUNCTION}{tail}")
        }
        None => format!("{with_ids}\n{FUNCTION}"),
    }
}

/// The fish functions and the completion of the formula operand.
fn fish() -> String {
    let with_values = options_with_values().join(" ");
    format!(
        r#"# Formula ids for `{cmds}` (ketacalc completions): `ketacalc __ids` lists the
# formulary the command would use, the `--formulas DIR` on the line, else
# $KETACALC_FORMULAS, else the built-in one.
function __fish_ketacalc_formula_operand
    # True while the command is one of `{cmds}` and its formula is not given yet.
    set -l tokens (commandline -opc)
    set -l with_values {with_values}
    set -l command
    set -l skip 0
    for token in $tokens[2..-1]
        if test $skip -eq 1
            set skip 0
        else if contains -- $token $with_values
            set skip 1
        else if string match -q -- '-*' $token
            continue
        else if test -z "$command"
            set command $token
        else
            return 1
        end
    end
    test $skip -eq 0; and contains -- "$command" {cmds_list}
end

function __fish_ketacalc_formula_ids
    set -l tokens (commandline -opc)
    set -l formulas
    for i in (seq (count $tokens))
        if test "$tokens[$i]" = --formulas; and test $i -lt (count $tokens)
            set formulas $tokens[(math $i + 1)]
        else if string match -q -- '--formulas=*' $tokens[$i]
            set formulas (string replace -- --formulas= '' $tokens[$i])
        end
    end
    if test -n "$formulas"
        $tokens[1] __ids --formulas (string replace -r '^~' $HOME -- $formulas) 2>/dev/null
    else
        $tokens[1] __ids 2>/dev/null
    end
end

complete -c ketacalc -n "__fish_ketacalc_formula_operand" -a "(__fish_ketacalc_formula_ids)" -d 'formula id'
"#,
        cmds = WITH_FORMULA.join("`, `"),
        cmds_list = WITH_FORMULA.join(" "),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_options_with_values_are_those_of_the_definitions() {
        let options = options_with_values();
        for o in ["--color", "--formulas", "--quantity", "--assay", "--format", "-o", "--output", "--weight"]
        {
            assert!(options.contains(&o.to_string()), "{o}: {options:?}");
        }
        for flag in ["--explain", "--help", "-h", "--deny-warnings"] {
            assert!(!options.contains(&flag.to_string()), "{flag}");
        }
    }

    #[test]
    fn zsh_completes_the_formula_operand_of_each_command_with_ids() {
        let script = script(Shell::Zsh);
        assert_eq!(script.matches(":_ketacalc_formula_ids'").count(), WITH_FORMULA.len(), "{script}");
        assert!(!script.contains("file:_default'"), "{script}");
        let function = script.find("_ketacalc_formula_ids() {").unwrap_or(usize::MAX);
        assert!(function < script.rfind("compdef _ketacalc ketacalc").unwrap_or(0));
    }
}
