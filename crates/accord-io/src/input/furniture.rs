//! Page furniture that pages do not mark up as such, for [`super::html`]:
//! lists of links ("Most Popular", teaser rails, "more from this section"),
//! short labels repeated down the page ("From the section US & Canada"),
//! and the article body a page gives in its JSON-LD.
//!
//! - **Link lists**: a list, table, `div` or `section` with at least three
//!   links, half or more of whose text is link text, is a list of other
//!   pages, not article text. Text lengths are counted once for the whole
//!   page, bottom up, so the cost stays linear however deep the page. So is
//!   a rail of teaser cards: three or more child elements of one class
//!   (not paragraphs), nearly all holding a link.
//! - **Repeated labels**: a paragraph of at most eight words that occurs
//!   three times or more in the text is a label, and all its occurrences go.
//! - **JSON-LD**: `articleBody` replaces the text read from the markup when
//!   it holds at least half as many words (shorter, it is a summary), and
//!   `datePublished` gives the date when no `<meta>` does.

use std::collections::HashMap;

use ego_tree::{NodeId, NodeRef};
use scraper::node::Element;
use scraper::{Html, Node};
use serde_json::Value;

/// Elements that a link list is judged on.
const LIST_TAGS: &[&str] = &["ul", "ol", "dl", "table", "div", "section"];

#[derive(Clone, Copy, Default)]
struct Count {
    /// Characters of text (white space not counted).
    text: usize,
    /// Of which inside links.
    link_text: usize,
    /// Links.
    links: usize,
}

/// Text and link-text lengths of every element of a page.
pub struct LinkDensity {
    counts: HashMap<NodeId, Count>,
}

impl LinkDensity {
    /// Count the page once, bottom up.
    pub fn of(doc: &Html) -> LinkDensity {
        let nodes: Vec<_> = doc.tree.root().descendants().collect();
        let mut counts: HashMap<NodeId, Count> = HashMap::new();
        // In reverse document order every node comes after its descendants.
        for n in nodes.iter().rev() {
            let mut c = counts.get(&n.id()).copied().unwrap_or_default();
            match n.value() {
                Node::Text(t) => c.text += t.chars().filter(|c| !c.is_whitespace()).count(),
                Node::Element(e) if matches!(e.name(), "script" | "style" | "template") => {
                    c = Count::default();
                }
                Node::Element(e) if e.name() == "a" && e.attr("href").is_some() => {
                    c.link_text = c.text;
                    c.links += 1;
                }
                _ => {}
            }
            if c.text == 0 && c.links == 0 {
                continue;
            }
            counts.insert(n.id(), c);
            if let Some(p) = n.parent() {
                let up = counts.entry(p.id()).or_default();
                up.text += c.text;
                up.link_text += c.link_text;
                up.links += c.links;
            }
        }
        LinkDensity { counts }
    }

    /// True when the element `e` (at `node`) is a list of links: mostly
    /// link text, or a rail of teaser cards (at least three child elements
    /// of one class, other than paragraphs, nearly all of them holding a
    /// link).
    pub fn is_link_list(&self, node: NodeRef<'_, Node>, e: &Element) -> bool {
        if !LIST_TAGS.contains(&e.name()) {
            return false;
        }
        let Some(c) = self.counts.get(&node.id()) else {
            return false;
        };
        if c.links < 3 {
            return false;
        }
        if c.link_text * 2 >= c.text {
            return true;
        }
        let mut by_class: HashMap<&str, (usize, usize)> = HashMap::new();
        for child in node.children() {
            let Node::Element(ce) = child.value() else {
                continue;
            };
            let Some(class) = ce.attr("class").map(str::trim).filter(|c| !c.is_empty()) else {
                continue;
            };
            if ce.name() == "p" {
                continue;
            }
            let slot = by_class.entry(class).or_default();
            slot.0 += 1;
            if self.counts.get(&child.id()).is_some_and(|k| k.links > 0) {
                slot.1 += 1;
            }
        }
        by_class
            .values()
            .any(|&(all, linked)| linked >= 3 && linked * 10 >= all * 8)
    }
}

/// Remove short paragraphs that occur three times or more.
pub fn drop_repeated(blocks: &mut Vec<String>) {
    let short = |b: &str| b.split_whitespace().count() <= 8;
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for b in blocks.iter().filter(|b| short(b)) {
        *seen.entry(b.as_str()).or_default() += 1;
    }
    let labels: Vec<String> = seen
        .into_iter()
        .filter(|&(_, n)| n >= 3)
        .map(|(b, _)| b.to_string())
        .collect();
    if !labels.is_empty() {
        blocks.retain(|b| !labels.contains(b));
    }
}

/// The first string value of `key` in the JSON-LD objects (searched depth
/// first, through arrays and `@graph`), trimmed and not empty.
pub fn json_ld_str(json_ld: &[Value], key: &str) -> Option<String> {
    fn find(v: &Value, key: &str) -> Option<String> {
        match v {
            Value::Object(o) => {
                if let Some(Value::String(s)) = o.get(key)
                    && !s.trim().is_empty()
                {
                    return Some(s.trim().to_string());
                }
                o.values().find_map(|x| find(x, key))
            }
            Value::Array(a) => a.iter().find_map(|x| find(x, key)),
            _ => None,
        }
    }
    json_ld.iter().find_map(|v| find(v, key))
}

/// The JSON-LD `articleBody` as paragraphs, when it is the article rather
/// than a summary of it (see the module documentation).
pub fn json_ld_body(json_ld: &[Value], blocks: &[String]) -> Option<Vec<String>> {
    let body = json_ld_str(json_ld, "articleBody")?;
    let words = |s: &str| s.split_whitespace().count();
    let have: usize = blocks.iter().map(|b| words(b)).sum();
    if words(&body) * 2 < have {
        return None;
    }
    let paras: Vec<String> = body
        .split('\n')
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect();
    (!paras.is_empty()).then_some(paras)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_labels_go() {
        let mut b: Vec<String> = [
            "Story one.",
            "From the section US",
            "Story two.",
            "From the section US",
            "x",
            "From the section US",
        ]
        .map(String::from)
        .to_vec();
        drop_repeated(&mut b);
        assert_eq!(b, ["Story one.", "Story two.", "x"]);
    }

    #[test]
    fn json_ld_values() {
        let v: Vec<Value> = vec![
            serde_json::json!({"@graph": [{"@type": "WebPage"}, {"@type": "NewsArticle", "datePublished": "2015-07-24T05:36:09+01:00", "articleBody": "One two three.\n\nFour five."}]}),
        ];
        assert_eq!(
            json_ld_str(&v, "datePublished").as_deref(),
            Some("2015-07-24T05:36:09+01:00")
        );
        assert_eq!(
            json_ld_body(&v, &["a b c d e f".into()]).unwrap(),
            ["One two three.", "Four five."]
        );
        assert!(json_ld_body(&v, &["a b c d e f g h i j k l".into()]).is_none());
    }
}
