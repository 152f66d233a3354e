//! Permission rules, `[[settings.permissions]]`: how a coding agent's request to use a tool is
//! answered without a person. Each rule names a tool (exactly, or `*` for any), a `pattern` on
//! the tool's input, and a `decision` (`allow`, `deny` or `ask`); the first rule that matches
//! wins, and a request no rule matches is asked. A pattern is a glob over the whole input: `*`
//! stands for any run of characters (none included), every other character for itself, so
//! `rm -rf*` matches inputs that start with `rm -rf` and `*rm -rf*` any that contain it; no
//! pattern matches any input.

use super::resolve::{Result, Source};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use toml::Spanned;

/// One `[[settings.permissions]]` table as written.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PermissionRuleFile {
    /// The tool's name as the agent's CLI gives it (`Bash`, `Read`, `Edit`), or `*` for any.
    #[schemars(with = "String")]
    pub tool: Spanned<String>,
    /// A glob on the tool's input (`*` is any run of characters); none matches any input.
    #[schemars(with = "Option<String>")]
    pub pattern: Option<Spanned<String>>,
    /// What to answer.
    #[schemars(with = "PermissionDecision")]
    pub decision: Spanned<String>,
}

/// A checked rule, as the resolved workflow (and a recording's header) holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PermissionRule {
    pub tool: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    pub decision: PermissionDecision,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PermissionDecision {
    /// Allow the call once (the request's option 1).
    Allow,
    /// Deny it (the request's option 3); the agent is told and goes on.
    Deny,
    /// Leave it to a person, as with no rule.
    Ask,
}

impl PermissionRule {
    pub fn matches(&self, tool: &str, input: &str) -> bool {
        (self.tool == "*" || self.tool == tool)
            && self.pattern.as_deref().is_none_or(|p| glob(p, input))
    }
}

/// The answer the rules give to a request to use `tool` with `input`: the first matching
/// rule's, or `ask`.
pub fn decide(rules: &[PermissionRule], tool: &str, input: &str) -> PermissionDecision {
    rules
        .iter()
        .find(|r| r.matches(tool, input))
        .map_or(PermissionDecision::Ask, |r| r.decision)
}

/// Checks the written rules, each error at its line.
pub(super) fn resolve_rules(
    rules: &[PermissionRuleFile],
    src: &Source,
) -> Result<Vec<PermissionRule>> {
    rules.iter().map(|r| resolve_rule(r, src)).collect()
}

fn resolve_rule(r: &PermissionRuleFile, src: &Source) -> Result<PermissionRule> {
    let tool = r.tool.get_ref().trim();
    if tool.is_empty() {
        return Err(src.err(
            r.tool.span(),
            "`tool` is empty; name a tool such as \"Bash\", or \"*\" for any",
        ));
    }
    if let Some(p) = r.pattern.as_ref().filter(|p| p.get_ref().is_empty()) {
        return Err(src.err(
            p.span(),
            "`pattern` is empty; leave it out to match any input",
        ));
    }
    let decision = match r.decision.get_ref().as_str() {
        "allow" => PermissionDecision::Allow,
        "deny" => PermissionDecision::Deny,
        "ask" => PermissionDecision::Ask,
        other => {
            return Err(src.err(
                r.decision.span(),
                format!("`decision` is \"allow\", \"deny\" or \"ask\", not \"{other}\""),
            ));
        }
    };
    Ok(PermissionRule {
        tool: tool.to_string(),
        pattern: r.pattern.as_ref().map(|p| p.get_ref().clone()),
        decision,
    })
}

/// Whether `text` is matched as a whole by `pattern`, where `*` is any run of characters.
fn glob(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let middle: Vec<&str> = parts.collect();
    let Some((last, middle)) = middle.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_glob_matches_the_whole_input_with_stars_for_any_run() {
        assert!(glob("rm -rf*", "rm -rf /tmp/x"));
        assert!(!glob("rm -rf*", "sudo rm -rf /"));
        assert!(glob("*rm -rf*", "sudo rm -rf /"));
        assert!(glob("cargo test", "cargo test"));
        assert!(!glob("cargo test", "cargo test --all"));
        assert!(glob("*.rs", "src/lib.rs"));
        assert!(!glob("*.rs", "src/lib.rs.bak"));
        assert!(glob("a*b*c", "a-b-b-c"));
        assert!(!glob("ab*ba", "aba"), "the two ends may not overlap");
        assert!(glob("*", ""));
    }

    fn rule(tool: &str, pattern: Option<&str>, decision: PermissionDecision) -> PermissionRule {
        PermissionRule {
            tool: tool.into(),
            pattern: pattern.map(Into::into),
            decision,
        }
    }

    #[test]
    fn the_first_matching_rule_wins_and_no_match_asks() {
        use PermissionDecision::*;
        let rules = [
            rule("*", Some("*rm -rf*"), Deny),
            rule("Read", None, Allow),
            rule("Grep", None, Allow),
            rule("Bash", None, Ask),
        ];
        assert_eq!(decide(&rules, "Bash", "rm -rf target"), Deny);
        assert_eq!(decide(&rules, "Read", "src/lib.rs"), Allow);
        assert_eq!(
            decide(&rules, "Grep", "rm -rf"),
            Deny,
            "the deny rule comes first"
        );
        assert_eq!(decide(&rules, "Bash", "cargo test"), Ask);
        assert_eq!(decide(&rules, "Write", "notes.md"), Ask, "no rule: ask");
        assert_eq!(
            decide(&rules, "read", "src/lib.rs"),
            Ask,
            "tool names are exact"
        );
    }
}
