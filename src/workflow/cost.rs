//! What a workflow says about money: `[settings.prices]`, per model the US dollars per million
//! input, cached and output tokens, used to price usage an agent reports without a cost; and
//! `[settings.budget]`, the most the run (`usd`) and each task (`task_usd`) may spend before a
//! person is asked. The file's shapes, their checks (a price or limit that is negative, not a
//! number or absurdly large is refused at its line) and the resolved values.

use super::resolve::{Result, Source};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use toml::Spanned;

/// The most a price may be, in US dollars per million tokens: anything above is a mistake.
const MAX_PRICE: f64 = 1_000.0;
/// The largest budget limit, in US dollars.
const MAX_BUDGET: f64 = 1_000_000.0;

/// A model's price, as written.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PriceFile {
    /// US dollars per million input tokens not read from the cache.
    #[schemars(with = "f64", range(min = 0, max = 1000))]
    pub input: Spanned<f64>,
    /// US dollars per million input tokens read from the cache (default: the input price).
    #[schemars(with = "Option<f64>", range(min = 0, max = 1000))]
    pub cached: Option<Spanned<f64>>,
    /// US dollars per million output tokens.
    #[schemars(with = "f64", range(min = 0, max = 1000))]
    pub output: Spanned<f64>,
}

/// The run's and each task's spending limits, as written.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BudgetFile {
    /// US dollars the whole run may spend before a person decides whether it goes on.
    #[schemars(with = "Option<f64>", range(min = 0, max = 1000000))]
    pub usd: Option<Spanned<f64>>,
    /// US dollars each task may spend before a person decides whether it goes on.
    #[schemars(with = "Option<f64>", range(min = 0, max = 1000000))]
    pub task_usd: Option<Spanned<f64>>,
}

/// A model's price in US dollars per million tokens.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Price {
    pub input: f64,
    pub cached: f64,
    pub output: f64,
}

impl Price {
    /// What `input` tokens (of which `cached` came from the cache) and `output` tokens cost.
    pub fn cost(&self, input: u64, cached: u64, output: u64) -> f64 {
        let cached = cached.min(input);
        ((input - cached) as f64 * self.input
            + cached as f64 * self.cached
            + output as f64 * self.output)
            / 1e6
    }
}

/// Spending limits in US dollars; none by default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Budget {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usd: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_usd: Option<f64>,
}

pub(super) fn resolve_prices(
    prices: &BTreeMap<String, PriceFile>,
    src: &Source,
) -> Result<BTreeMap<String, Price>> {
    let check = |name: &str, v: &Spanned<f64>| {
        let value = *v.get_ref();
        if value.is_finite() && (0.0..=MAX_PRICE).contains(&value) {
            return Ok(value);
        }
        Err(src.err(
            v.span(),
            format!(
                "price `{name}` is {value}; write US dollars per million tokens, from 0 to \
                 {MAX_PRICE}, e.g. `{name} = 1.25`"
            ),
        ))
    };
    prices
        .iter()
        .map(|(model, p)| {
            let input = check("input", &p.input)?;
            let price = Price {
                input,
                cached: p
                    .cached
                    .as_ref()
                    .map(|c| check("cached", c))
                    .transpose()?
                    .unwrap_or(input),
                output: check("output", &p.output)?,
            };
            Ok((model.clone(), price))
        })
        .collect()
}

pub(super) fn resolve_budget(budget: &BudgetFile, src: &Source) -> Result<Budget> {
    let check = |name: &str, v: &Option<Spanned<f64>>| {
        let Some(v) = v else { return Ok(None) };
        let value = *v.get_ref();
        if value.is_finite() && value > 0.0 && value <= MAX_BUDGET {
            return Ok(Some(value));
        }
        Err(src.err(
            v.span(),
            format!(
                "budget `{name}` is {value}; write a limit in US dollars above 0 and at most \
                 {MAX_BUDGET}, e.g. `{name} = 5.0`, or leave it out for no limit"
            ),
        ))
    };
    Ok(Budget {
        usd: check("usd", &budget.usd)?,
        task_usd: check("task_usd", &budget.task_usd)?,
    })
}
