//! HTML pages to article text: title, main text, date and canonical URL.
//!
//! The page is parsed with `scraper` (html5ever), which never fails: any
//! input, however malformed, yields a tree, and entities are already decoded
//! in it. [`extract`] then reads four things from that tree.
//!
//! - **Metadata** comes from `<meta>` and `<link>` in the whole document: the
//!   title from `og:title`, the date from `article:published_time` or a
//!   `date` / `pubdate` / `publish-date` meta, the URL from
//!   `<link rel=canonical>` or `og:url`. Values are kept as found (trimmed).
//! - **The root** of the main text is the first `<article>`, else `<main>`,
//!   else `[role=main]`, else `<body>`, else the whole document. A candidate
//!   inside page chrome (`nav`, `aside`, `footer`, hidden or
//!   `role=navigation`-like ancestors) is passed over, and so is a candidate
//!   whose text comes out empty, so a related-story card marked up as
//!   `<article>` does not hide the story itself.
//! - **Inside the root**, whole subtrees are skipped: non-content tags
//!   (`script`, `nav`, `header`, `footer`, `aside`, `form`, `figcaption`,
//!   ...), hidden elements (`hidden`, `aria-hidden="true"`, `display:none`),
//!   landmark roles that are not content, and elements whose `id` or `class`
//!   names boilerplate (`cookie-consent`, `related-links`, `shareBar`, ...).
//!   These rules apply to the root's descendants only, never to the root, so
//!   `<article class="article-header-and-body">` is still read.
//! - **Blocks**: block elements (`p`, `div`, `li`, `h1`-`h6`, `br`, ...)
//!   start a new paragraph; inline elements join their text with the text
//!   around them. White space (Unicode, so `&nbsp;` too) collapses to one
//!   space; empty paragraphs are dropped; paragraphs are joined with `"\n\n"`.
//!
//! # Fallback
//!
//! Site-wide class names are noisy (`<body class="has-cookie-banner">`,
//! `<div class="page has-sidebar">` wrapping everything) and some sites wrap
//! the whole page in one `<form>` (ASP.NET). When no root candidate yields any
//! text under the strict rules, the candidates are read again with the
//! `id`/`class` rule off and `<form>` kept.
//!
//! # Robustness
//!
//! The tree is walked with an explicit cursor (first child, next sibling,
//! parent), never by recursion, so a page nested a million elements deep
//! cannot overflow the stack. Output depends only on the input bytes.
//!
//! html5ever takes time quadratic in the nesting depth (its scope checks walk
//! the stack of open elements): 100,000 nested `<div>` took 28 s. So before
//! parsing, a linear scan of the tags ([`flatten_deep`]) counts the depth
//! (void elements, self-closing tags and the elements whose end tag may be
//! left out, such as `p` and `li`, not counted) and drops every tag opened
//! or closed deeper than [`MAX_DEPTH`], each replaced by a space: the text is
//! kept, flattened into the element at that depth. A page never that deep
//! is parsed as it is.

use super::furniture;
use scraper::node::Element;
use scraper::{ElementRef, Html, Node};

/// An article read from an HTML page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HtmlArticle {
    /// Page title: the `og:title` meta, else the first `<h1>` inside the main
    /// content, else `<title>`; white space collapsed.
    ///
    /// A site suffix after the last separator (` | `, ` - `, ` – `, ` — `,
    /// ` · `, ` :: `, ` » `) is removed from `og:title` and `<title>` when it
    /// equals `og:site_name`, or matches the host of the page URL
    /// (`Example News` for `www.examplenews.com`), ignoring case, spaces and
    /// punctuation. From `<title>` alone, a suffix after ` | ` of at most four
    /// words that is shorter than the headline is also removed, since a pipe
    /// in a headline itself is rare. Only one suffix is removed, and a site
    /// name in front of the headline is kept.
    pub title: Option<String>,
    /// Main text: paragraphs separated by `"\n\n"`, white space inside a
    /// paragraph collapsed to single spaces, trimmed. When the first paragraph
    /// repeats the title (ignoring case and white space), it is dropped.
    pub text: String,
    /// Publication date as found, not parsed: the `article:published_time`
    /// meta, else a `date`, `pubdate` or `publish-date` meta, else the
    /// `datetime` of the first `<time datetime>` in the main content, else of
    /// the first in the document.
    pub date: Option<String>,
    /// Canonical URL: `<link rel=canonical href>`, else the `og:url` meta; as
    /// written in the page (a relative URL is not resolved).
    pub url: Option<String>,
}

/// Tags nested deeper than this are dropped before parsing (see the module doc).
pub const MAX_DEPTH: usize = 512;

/// Elements without content or whose end tag may be left out: they do not
/// count towards the depth.
const UNCOUNTED: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "tbody",
    "thead", "tfoot", "colgroup", "rb", "rt", "rp", "rtc", "keygen", "frame",
];

/// Elements whose content is raw text, read up to their end tag.
const RAW_TEXT: &[&str] = &[
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "plaintext",
];

/// The page with every tag nested deeper than `max` replaced by a space, or
/// `None` when no tag is that deep. One pass over the bytes.
pub fn flatten_deep(html: &str, max: usize) -> Option<String> {
    let b = html.as_bytes();
    let mut depth = 0usize;
    // Byte ranges of the tags to drop.
    let mut drop: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while let Some(k) = memchr::memchr(b'<', &b[i..]) {
        let lt = i + k;
        let rest = &b[lt..];
        if rest.starts_with(b"<!--") {
            i = memchr::memmem::find(&b[lt + 4..], b"-->").map_or(b.len(), |e| lt + 4 + e + 3);
            continue;
        }
        if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
            i = memchr::memchr(b'>', &b[lt..]).map_or(b.len(), |e| lt + e + 1);
            continue;
        }
        let end_tag = rest.starts_with(b"</");
        let name_at = lt + if end_tag { 2 } else { 1 };
        if !b.get(name_at).is_some_and(u8::is_ascii_alphabetic) {
            i = lt + 1;
            continue;
        }
        let name_end = b[name_at..]
            .iter()
            .position(|c| c.is_ascii_whitespace() || matches!(c, b'/' | b'>'))
            .map_or(b.len(), |e| name_at + e);
        let name = html[name_at..name_end].to_ascii_lowercase();
        // The tag's end: the first `>` outside quoted attribute values.
        let mut j = name_end;
        let mut quote = None;
        while j < b.len() {
            match (quote, b[j]) {
                (None, b'>') => break,
                (None, q @ (b'"' | b'\'')) if !end_tag => quote = Some(q),
                (Some(q), c) if c == q => quote = None,
                _ => {}
            }
            j += 1;
        }
        let close = (j + 1).min(b.len());
        let self_closing = j > name_end && b[j - 1] == b'/';
        i = close;
        if end_tag {
            if UNCOUNTED.contains(&name.as_str()) {
                continue;
            }
            if depth > max {
                drop.push((lt, close));
            }
            depth = depth.saturating_sub(1);
            continue;
        }
        if RAW_TEXT.contains(&name.as_str()) {
            // A leaf: skip to its end tag (any case), whatever is inside.
            let needle = format!("</{name}");
            let mut at = close;
            let end_tag_at = loop {
                let Some(k) = memchr::memchr(b'<', &b[at..]) else {
                    break b.len();
                };
                let p = at + k;
                if b[p..(p + needle.len()).min(b.len())].eq_ignore_ascii_case(needle.as_bytes()) {
                    break p;
                }
                at = p + 1;
            };
            // Past its end tag, which is not counted either.
            i = memchr::memchr(b'>', &b[end_tag_at..]).map_or(b.len(), |e| end_tag_at + e + 1);
            continue;
        }
        if UNCOUNTED.contains(&name.as_str()) || self_closing {
            continue;
        }
        depth += 1;
        if depth > max {
            drop.push((lt, close));
        }
    }
    if drop.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(html.len());
    let mut from = 0;
    for (a, z) in drop {
        out.push_str(&html[from..a]);
        out.push(' ');
        from = z;
    }
    out.push_str(&html[from..]);
    Some(out)
}

/// Extract the article from an HTML document.
///
/// Never fails and never panics: a page without an article gives empty text
/// and `None` fields. See the [module documentation](self) for the rules.
pub fn extract(html: &str) -> HtmlArticle {
    let flat = flatten_deep(html, MAX_DEPTH);
    let doc = Html::parse_document(flat.as_deref().unwrap_or(html));
    let meta = Meta::read(&doc);

    let candidates = root_candidates(&doc);
    let links = furniture::LinkDensity::of(&doc);
    let mut chosen = None;
    'passes: for strict in [true, false] {
        for &root in &candidates {
            let blocks = collect_blocks(root, strict, &links);
            if !blocks.is_empty() {
                chosen = Some((root, blocks));
                break 'passes;
            }
        }
    }
    let root = chosen.as_ref().map_or(doc.root_element(), |(r, _)| *r);
    let mut blocks = chosen.map(|(_, b)| b).unwrap_or_default();

    let host = meta.url.as_deref().and_then(host_label);
    let site = meta.site_name.as_deref();
    let title = meta
        .title
        .as_deref()
        .map(|t| strip_site_suffix(&collapse(t), site, host.as_deref(), false))
        .filter(|t| !t.is_empty())
        .or_else(|| first_h1(root))
        .or_else(|| {
            let el = doc
                .root_element()
                .descendent_elements()
                .find(|e| e.value().name() == "title")?;
            let t = collapse(&el.text().collect::<String>());
            Some(strip_site_suffix(&t, site, host.as_deref(), true)).filter(|t| !t.is_empty())
        });

    furniture::drop_repeated(&mut blocks);
    if let Some(body) = furniture::json_ld_body(&meta.json_ld, &blocks) {
        blocks = body;
    }
    if let (Some(t), Some(first)) = (&title, blocks.first())
        && same_text(t, first)
    {
        blocks.remove(0);
    }

    let date = meta
        .date
        .or_else(|| furniture::json_ld_str(&meta.json_ld, "datePublished"))
        .or_else(|| first_time_datetime(root).or_else(|| first_time_datetime(doc.root_element())));

    HtmlArticle {
        title,
        text: blocks.join("\n\n"),
        date,
        url: meta.url,
    }
}

/// Values read from `<meta>` and `<link>` anywhere in the document.
#[derive(Default)]
struct Meta {
    title: Option<String>,
    site_name: Option<String>,
    date: Option<String>,
    url: Option<String>,
    /// The page's JSON-LD objects (`<script type="application/ld+json">`).
    json_ld: Vec<serde_json::Value>,
}

impl Meta {
    fn read(doc: &Html) -> Meta {
        let mut og_title = None;
        let mut site_name = None;
        let mut published = None;
        let mut named_date = None;
        let mut og_url = None;
        let mut canonical = None;
        let mut json_ld = Vec::new();
        for el in doc.root_element().descendent_elements() {
            let e = el.value();
            match e.name() {
                "meta" => {
                    let Some(content) = e.attr("content").map(str::trim).filter(|c| !c.is_empty())
                    else {
                        continue;
                    };
                    // Open Graph uses `property`, but many pages write `name`.
                    for key in [e.attr("property"), e.attr("name")].into_iter().flatten() {
                        let key = key.trim().to_ascii_lowercase();
                        let slot = match key.as_str() {
                            "og:title" => &mut og_title,
                            "og:site_name" => &mut site_name,
                            "og:url" => &mut og_url,
                            "article:published_time" => &mut published,
                            "date" | "pubdate" | "publish-date" => &mut named_date,
                            _ => continue,
                        };
                        // The first occurrence wins.
                        slot.get_or_insert_with(|| content.to_string());
                    }
                }
                "script"
                    if e.attr("type")
                        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json")) =>
                {
                    let raw: String = el.text().collect();
                    if let Ok(v) = serde_json::from_str(raw.trim()) {
                        json_ld.push(v);
                    }
                }
                "link" if canonical.is_none() => {
                    let is_canonical = e.attr("rel").is_some_and(|rel| {
                        rel.split_ascii_whitespace()
                            .any(|r| r.eq_ignore_ascii_case("canonical"))
                    });
                    if is_canonical {
                        canonical = e
                            .attr("href")
                            .map(str::trim)
                            .filter(|h| !h.is_empty())
                            .map(str::to_string);
                    }
                }
                _ => {}
            }
        }
        Meta {
            title: og_title,
            site_name: site_name.map(|s| collapse(&s)),
            date: published.or(named_date),
            url: canonical.or(og_url),
            json_ld,
        }
    }
}

/// Roots to try for the main text, in order of preference.
fn root_candidates(doc: &Html) -> Vec<ElementRef<'_>> {
    let top = doc.root_element();
    let mut article = None;
    let mut main = None;
    let mut role_main = None;
    let mut body = None;
    for el in top.descendent_elements() {
        let e = el.value();
        let slot = match e.name() {
            "article" => &mut article,
            "main" => &mut main,
            "body" => &mut body,
            _ if has_role(e, &["main"]) => &mut role_main,
            _ => continue,
        };
        if slot.is_none() && (e.name() == "body" || !in_chrome(el, None)) {
            *slot = Some(el);
        }
    }
    let mut out: Vec<ElementRef<'_>> = Vec::with_capacity(5);
    for el in [article, main, role_main, body, Some(top)]
        .into_iter()
        .flatten()
    {
        if !out.iter().any(|o| o.id() == el.id()) {
            out.push(el);
        }
    }
    out
}

/// Tags skipped with all their content.
const SKIP_TAGS: &[&str] = &[
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "iframe",
    "svg",
    "button",
    "select",
    "figcaption",
    "head",
    "title",
    "meta",
    "link",
    "object",
    "embed",
    "canvas",
    "textarea",
    "input",
    "option",
    "datalist",
    "dialog",
    "menu",
    "audio",
    "video",
];

/// Tags that start (and end) a paragraph.
const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dd",
    "dt",
    "blockquote",
    "section",
    "article",
    "main",
    "br",
    "hr",
    "tr",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "caption",
    "pre",
    "address",
    "figure",
    "details",
    "summary",
    "center",
    "body",
    "html",
];

/// Landmark roles that are never article text.
const SKIP_ROLES: &[&str] = &[
    "navigation",
    "banner",
    "complementary",
    "contentinfo",
    "search",
    "dialog",
    "alertdialog",
];

/// Tags that mark page chrome around a root candidate or a heading.
const CHROME_TAGS: &[&str] = &["nav", "aside", "footer", "template", "noscript", "dialog"];

/// Words in an `id` or `class` that name boilerplate. A class word matches
/// when it starts with one of these (`navbar`, `advertisement`, `breadcrumbs`).
const BOILERPLATE_WORDS: &[&str] = &[
    "cookie",
    "consent",
    "gdpr",
    "banner",
    "related",
    "share",
    "social",
    "newsletter",
    "subscribe",
    "breadcrumb",
    "menu",
    "nav",
    "promo",
    "advert",
    "sidebar",
    "footer",
    "header",
    "teaser",
    "byline",
    "popular",
    "trending",
    "recommend",
    "outbrain",
    "taboola",
];

/// Class words that must match exactly: as prefixes they would hit content
/// (`adjacent`, `commentary`).
const BOILERPLATE_EXACT: &[&str] = &["ad", "ads", "comment", "comments", "bio", "most"];

/// The text blocks under `root`, in document order.
///
/// `strict` turns on the `id`/`class` rule and the skipping of `<form>`.
fn collect_blocks(
    root: ElementRef<'_>,
    strict: bool,
    links: &furniture::LinkDensity,
) -> Vec<String> {
    let mut out = Blocks::default();
    let root_id = root.id();
    let mut next = root.first_child();
    while let Some(node) = next {
        let mut descend = false;
        match node.value() {
            Node::Text(t) => out.push_text(t),
            Node::Element(e)
                if !(skip_element(e, strict) || strict && links.is_link_list(node, e)) =>
            {
                out.open(e.name());
                descend = true;
            }
            _ => {}
        }
        if descend && let Some(child) = node.first_child() {
            next = Some(child);
            continue;
        }
        if descend && let Node::Element(e) = node.value() {
            out.close(e.name());
        }
        // Climb until a sibling is found, closing the elements left behind.
        let mut cur = node;
        next = loop {
            if let Some(sib) = cur.next_sibling() {
                break Some(sib);
            }
            match cur.parent() {
                Some(p) if p.id() != root_id => {
                    if let Node::Element(e) = p.value() {
                        out.close(e.name());
                    }
                    cur = p;
                }
                _ => break None,
            }
        };
    }
    out.finish()
}

/// True when `e` and everything under it is not article text.
fn skip_element(e: &Element, strict: bool) -> bool {
    let name = e.name();
    if SKIP_TAGS.contains(&name) && (strict || name != "form") {
        return true;
    }
    if hidden(e) || has_role(e, SKIP_ROLES) {
        return true;
    }
    strict
        && [e.attr("id"), e.attr("class")]
            .into_iter()
            .flatten()
            .any(names_boilerplate)
}

/// `hidden`, `aria-hidden="true"` or an inline `display:none`.
fn hidden(e: &Element) -> bool {
    // `hidden="until-found"` is collapsed but searchable content.
    e.attr("hidden")
        .is_some_and(|v| !v.trim().eq_ignore_ascii_case("until-found"))
        || e.attr("aria-hidden")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
        || e.attr("style").is_some_and(|s| {
            let s: String = s
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_ascii_lowercase();
            s.contains("display:none") || s.contains("visibility:hidden")
        })
}

/// True when the element's `role` has one of `roles` (ASCII case-insensitive).
fn has_role(e: &Element, roles: &[&str]) -> bool {
    e.attr("role").is_some_and(|r| {
        r.split_ascii_whitespace()
            .any(|t| roles.iter().any(|x| t.eq_ignore_ascii_case(x)))
    })
}

/// True when an `id` or `class` value names boilerplate.
///
/// The value is split into words at every character that is not a letter or
/// digit and at lower-to-upper case changes (`cookieBanner`), then each
/// lowercased word is compared with [`BOILERPLATE_WORDS`] (as prefixes) and
/// [`BOILERPLATE_EXACT`]. Whole words only: `masthead-title` and
/// `lead-paragraph` do not contain the word `ad`.
fn names_boilerplate(value: &str) -> bool {
    class_words(value).iter().any(|w| {
        BOILERPLATE_EXACT.contains(&w.as_str())
            || BOILERPLATE_WORDS.iter().any(|b| w.starts_with(b))
    })
}

/// Lowercase words of an attribute value (see [`names_boilerplate`]).
fn class_words(value: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in value.chars() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                words.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower && !cur.is_empty() {
            words.push(std::mem::take(&mut cur));
        }
        prev_lower = c.is_lowercase() || c.is_numeric();
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    words
}

/// True when an ancestor of `el` (below `stop`, if given) is page chrome.
fn in_chrome(el: ElementRef<'_>, stop: Option<ElementRef<'_>>) -> bool {
    let stop = stop.map(|s| s.id());
    let mut cur = el.parent();
    while let Some(p) = cur {
        if Some(p.id()) == stop {
            return false;
        }
        if let Node::Element(e) = p.value()
            && (CHROME_TAGS.contains(&e.name()) || hidden(e) || has_role(e, SKIP_ROLES))
        {
            return true;
        }
        cur = p.parent();
    }
    false
}

/// The text of the first `<h1>` under `root` that is not in page chrome.
fn first_h1(root: ElementRef<'_>) -> Option<String> {
    root.descendent_elements()
        .filter(|e| e.value().name() == "h1" && !in_chrome(*e, Some(root)))
        .map(|e| collapse(&e.text().collect::<String>()))
        .find(|t| !t.is_empty())
}

/// The `datetime` of the first `<time datetime>` under `root`.
fn first_time_datetime(root: ElementRef<'_>) -> Option<String> {
    root.descendent_elements()
        .filter(|e| e.value().name() == "time")
        .filter_map(|e| e.value().attr("datetime"))
        .map(str::trim)
        .find(|d| !d.is_empty())
        .map(str::to_string)
}

/// Paragraph builder: collapses white space and breaks at block elements.
#[derive(Default)]
struct Blocks {
    done: Vec<String>,
    cur: String,
    /// White space seen since the last character of `cur`.
    space: bool,
}

impl Blocks {
    fn push_text(&mut self, s: &str) {
        for c in s.chars() {
            if c.is_whitespace() {
                self.space = true;
            } else {
                if self.space && !self.cur.is_empty() {
                    self.cur.push(' ');
                }
                self.space = false;
                self.cur.push(c);
            }
        }
    }

    fn open(&mut self, tag: &str) {
        if BLOCK_TAGS.contains(&tag) {
            self.flush();
        } else if matches!(tag, "td" | "th" | "img") {
            // Table cells side by side read as separate words.
            self.space = true;
        }
    }

    fn close(&mut self, tag: &str) {
        self.open(tag);
    }

    fn flush(&mut self) {
        if !self.cur.is_empty() {
            self.done.push(std::mem::take(&mut self.cur));
        }
        self.space = false;
    }

    fn finish(mut self) -> Vec<String> {
        self.flush();
        self.done
    }
}

/// White space runs collapsed to one space, trimmed.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Equal ignoring case and white space.
fn same_text(a: &str, b: &str) -> bool {
    let mut x = a
        .split_whitespace()
        .flat_map(str::chars)
        .flat_map(char::to_lowercase);
    let mut y = b
        .split_whitespace()
        .flat_map(str::chars)
        .flat_map(char::to_lowercase);
    loop {
        match (x.next(), y.next()) {
            (None, None) => return true,
            (p, q) if p == q => {}
            _ => return false,
        }
    }
}

/// Letters and digits only, lowercased: `Example News` -> `examplenews`.
fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The site's name as its host spells it: `https://www.example-news.com/x`
/// -> `examplenews` (host without `www.` and the last label, squashed).
fn host_label(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = host.split(':').next()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    let name = host.rsplit_once('.').map_or(host, |(n, _)| n);
    Some(squash(name)).filter(|n| !n.is_empty())
}

/// Separators between a headline and a site name.
const TITLE_SEPARATORS: &[&str] = &[" | ", " - ", " – ", " — ", " · ", " :: ", " » "];

/// `title` without a trailing site name (see [`HtmlArticle::title`]).
/// `loose` enables the short-suffix-after-pipe rule, for `<title>`.
fn strip_site_suffix(title: &str, site: Option<&str>, host: Option<&str>, loose: bool) -> String {
    let Some((at, sep)) = TITLE_SEPARATORS
        .iter()
        .filter_map(|s| title.rfind(s).map(|i| (i, *s)))
        .max_by_key(|&(i, _)| i)
    else {
        return title.to_string();
    };
    let head = title[..at].trim();
    let tail = title[at + sep.len()..].trim();
    if head.is_empty() || tail.is_empty() {
        return title.to_string();
    }
    let t = squash(tail);
    let by_site = site.is_some_and(|s| !t.is_empty() && squash(s) == t);
    let by_host = host.is_some_and(|h| {
        // `Example News` for examplenews.com, or `example.com` itself.
        !t.is_empty()
            && (t == h
                || t.strip_prefix(h)
                    .is_some_and(|r| r.len() <= 4 && !r.is_empty()))
    });
    let words = |s: &str| s.split_whitespace().count();
    let by_pipe = loose && sep == " | " && words(tail) <= 4 && words(head) > words(tail);
    if by_site || by_host || by_pipe {
        head.to_string()
    } else {
        title.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NEWS_PAGE: &str = r#"<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>India, France sign space pact | Example News</title>
  <meta property="og:title" content="India, France sign space pact">
  <meta property="og:site_name" content="Example News">
  <meta property="article:published_time" content="2024-02-20T10:00:00+05:30">
  <link rel="canonical" href="https://www.examplenews.com/science/india-france-space-pact">
  <style>body { font-family: serif; }</style>
  <script>window.dataLayer = [];</script>
</head>
<body class="has-cookie-banner">
  <nav class="site-nav"><ul><li><a href="/">Home</a></li><li><a href="/science">Science</a></li></ul></nav>
  <div class="cookie-consent" role="dialog">We use cookies. <button>Accept</button></div>
  <header class="masthead"><a href="/">Example News</a><time datetime="2024-03-01">Today</time></header>
  <article class="article-header-and-body">
    <h1>India, France sign space pact</h1>
    <p>The <a href="/isro">Indian Space Research Organisation</a> and
       <em>CNES</em> signed an agreement on Tuesday.</p>
    <script>trackArticle("pact");</script>
    <style>.x { color: red; }</style>
    <p>The pact covers   <strong>joint</strong> missions,
       including <a href="/trishna">TRISHNA</a>.</p>
    <div class="related-links"><h2>Related</h2><a href="/a">Other story</a></div>
    <p>Officials said more work would follow.</p>
  </article>
  <aside><h2>Related stories</h2><ul><li><a href="/b">Mars plans</a></li></ul></aside>
  <footer><p>&copy; 2024 Example News</p></footer>
</body>
</html>"#;

    #[test]
    fn news_page() {
        let a = extract(NEWS_PAGE);
        assert_eq!(a.title.as_deref(), Some("India, France sign space pact"));
        assert_eq!(
            a.text,
            "The Indian Space Research Organisation and CNES signed an agreement on Tuesday.\n\n\
             The pact covers joint missions, including TRISHNA.\n\n\
             Officials said more work would follow."
        );
        assert_eq!(a.date.as_deref(), Some("2024-02-20T10:00:00+05:30"));
        assert_eq!(
            a.url.as_deref(),
            Some("https://www.examplenews.com/science/india-france-space-pact")
        );
    }

    #[test]
    fn body_without_article() {
        let html = r#"<html><head><title>ISRO and NASA meet - Space Daily</title>
            <meta property="og:url" content="https://spacedaily.example/x"></head><body>
            <nav><a href="/">Home</a> <a href="/news">News</a></nav>
            <p>ISRO and NASA met in Bengaluru.</p>
            <p>They discussed NISAR.</p>
            </body></html>"#;
        let a = extract(html);
        // The dash suffix matches the host `spacedaily.example`.
        assert_eq!(a.title.as_deref(), Some("ISRO and NASA meet"));
        assert_eq!(
            a.text,
            "ISRO and NASA met in Bengaluru.\n\nThey discussed NISAR."
        );
        assert_eq!(a.date, None);
        assert_eq!(a.url.as_deref(), Some("https://spacedaily.example/x"));
    }

    #[test]
    fn empty_and_garbage_do_not_panic() {
        assert_eq!(extract(""), HtmlArticle::default());
        let a = extract("<<<>>\u{0}&&&");
        assert_eq!(a.title, None);
        assert!(!a.text.contains("\n\n\n"));
        for junk in [
            "\u{feff}",
            "</p></div></article>",
            "<article><article><p>x",
            "<table><tr><td><p>a<td>b</table>",
            "<svg><p>in svg</p></svg><p>out</p>",
            "<template><p>t</p></template>",
            "<title>",
            "<meta property=og:title content>",
            "<a href=\"\u{0}\">\u{fffd}\u{0}</a>",
            "<frameset><frame></frameset>",
            "<math><mi><p>x</mi></math>",
        ] {
            let _ = extract(junk);
        }
    }

    #[test]
    fn deep_pages_are_flattened_in_linear_time() {
        let n = 100_000;
        let html = format!(
            "<html><body>{}<p>India and France signed an agreement.</p>{}</body></html>",
            "<div>".repeat(n),
            "</div>".repeat(n)
        );
        let t = std::time::Instant::now();
        assert_eq!(extract(&html).text, "India and France signed an agreement.");
        // Was 28 s; a debug build takes well under a second now.
        assert!(t.elapsed().as_secs() < 5, "{:?}", t.elapsed());
        // Shallow pages are parsed as they are.
        assert_eq!(flatten_deep("<div><p>a<b>x</b></div>", 3), None);
        assert_eq!(
            flatten_deep("<div><div><div>a</div></div></div>", 2).as_deref(),
            Some("<div><div> a </div></div>")
        );
        // Quoted `>`, comments and scripts do not confuse the count.
        let tricky = "<div title=\"a>b\"><!-- <div> --><script>if (a<b) {}</script>x</div>";
        assert_eq!(flatten_deep(tricky, 1), None);
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        // Deep enough to overflow a recursive walk on a test thread's stack.
        // (html5ever itself takes time quadratic in the depth, so not more.)
        let html = "<div>".repeat(20_000) + "deep";
        assert_eq!(extract(&html).text, "deep");
    }

    #[test]
    fn tag_soup_never_panics() {
        // A small deterministic generator (xorshift) of tag soup.
        let pieces = [
            "<p>",
            "</p>",
            "<div class=\"nav\">",
            "</div>",
            "<br>",
            "<article>",
            "</article>",
            "<script>",
            "</script>",
            "&amp;",
            "&#0;",
            "&#xD800;",
            "<!--",
            "-->",
            "<h1>",
            " x ",
            "Descôtes",
            "<time datetime=\"d\">",
            "<table>",
            "<td>",
            "<![CDATA[",
            "\u{0}",
            "<",
            ">",
            "\"",
            "<meta name=date content=1>",
            "<template>",
            "<select>",
            "<form>",
        ];
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..500 {
            let mut doc = String::new();
            for _ in 0..40 {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                doc.push_str(pieces[(state % pieces.len() as u64) as usize]);
            }
            let a = extract(&doc);
            assert_eq!(a, extract(&doc), "not deterministic on {doc:?}");
            assert!(
                a.text.is_empty() || a.text.split("\n\n").all(|b| !b.is_empty() && b.trim() == b),
                "{doc:?} -> {:?}",
                a.text
            );
        }
    }

    #[test]
    fn br_and_whitespace() {
        let html = "<article><p>  First\n\tline<br>second   line<br/><br>\n third </p>\
                    <p>a<span>b</span> <em>c</em>\u{a0} d</p><p> \n </p></article>";
        assert_eq!(
            extract(html).text,
            "First line\n\nsecond line\n\nthird\n\nab c d"
        );
    }

    #[test]
    fn entities_and_non_ascii() {
        let html = "<main><p>Descôtes &amp; Somanath &lt;CNES&gt; &mdash; ISRO&#8217;s \
                    &quot;Gaganyaan&quot; 宇宙</p></main>";
        assert_eq!(
            extract(html).text,
            "Descôtes & Somanath <CNES> — ISRO’s \"Gaganyaan\" 宇宙"
        );
    }

    #[test]
    fn title_falls_back_to_h1_then_title() {
        let h1 = "<title>T | Site</title><article><h1>Head  line</h1><p>Body.</p></article>";
        let a = extract(h1);
        assert_eq!(a.title.as_deref(), Some("Head line"));
        assert_eq!(a.text, "Body.");

        let t = "<title>Gaganyaan crew named | The Daily</title><p>Body.</p>";
        assert_eq!(extract(t).title.as_deref(), Some("Gaganyaan crew named"));

        // A dash in a headline is not a site separator without evidence.
        let t = "<title>Chandrayaan-3 lands - what next for ISRO</title><p>Body.</p>";
        assert_eq!(
            extract(t).title.as_deref(),
            Some("Chandrayaan-3 lands - what next for ISRO")
        );

        let t = "<meta property=og:site_name content='Space Wire'>\
                 <title>Pact signed - Space Wire</title>";
        assert_eq!(extract(t).title.as_deref(), Some("Pact signed"));
    }

    #[test]
    fn date_and_url_fallbacks() {
        let html = r#"<meta name="pubdate" content=" 2023-07-14 ">
            <meta property="og:url" content="https://x.example/og">
            <link rel="alternate canonical" href="https://x.example/c">
            <article><time datetime="2020-01-01">then</time><p>x</p></article>"#;
        let a = extract(html);
        assert_eq!(a.date.as_deref(), Some("2023-07-14"));
        assert_eq!(a.url.as_deref(), Some("https://x.example/c"));

        let html = r#"<header><time datetime="2024-05-01">today</time></header>
            <article><p>x <time datetime="2023-11-02T08:00Z">Nov 2</time></p></article>"#;
        assert_eq!(extract(html).date.as_deref(), Some("2023-11-02T08:00Z"));
    }

    #[test]
    fn skip_rules() {
        let html = r#"<article class="story-header-body">
            <p>Keep one.</p>
            <div id="cookieBanner">cookies</div>
            <div class="ad-slot">buy</div>
            <div class="lead-paragraph masthead-title">Keep two.</div>
            <div class="commentary">Keep three.</div>
            <div class="user-comments">no</div>
            <div aria-hidden="true">no</div>
            <div hidden>no</div>
            <div style="display: none">no</div>
            <div role="complementary">no</div>
            <figure><img src="x.jpg"><figcaption>caption</figcaption></figure>
            <ul><li>Item <b>one</b></li><li>Item two</li></ul>
            <table><tr><td>a</td><td>b</td></tr></table>
            </article>"#;
        assert_eq!(
            extract(html).text,
            "Keep one.\n\nKeep two.\n\nKeep three.\n\nItem one\n\nItem two\n\na b"
        );
    }

    #[test]
    fn root_choice_and_fallback() {
        // An <article> card inside an <aside> is not the story.
        let html = "<aside><article><p>Teaser</p></article></aside>\
                    <main><p>The story.</p></main>";
        assert_eq!(extract(html).text, "The story.");

        // An empty first <article> falls through to the next candidate.
        let html = "<article></article><div role=main><p>Role main.</p></div>";
        assert_eq!(extract(html).text, "Role main.");

        // Everything inside a class-matched wrapper or one page-wide <form>:
        // the relaxed pass still finds the text.
        let html = "<body><div class=\"page has-sidebar\"><p>Wrapped.</p></div></body>";
        assert_eq!(extract(html).text, "Wrapped.");
        let html = "<body><form id=aspnetForm><p>In form.</p></form></body>";
        assert_eq!(extract(html).text, "In form.");
    }

    #[test]
    fn class_words_split() {
        assert_eq!(
            class_words("cookieBanner ad-slot X_Y"),
            ["cookie", "banner", "ad", "slot", "x", "y"]
        );
        assert!(names_boilerplate("navbar"));
        assert!(names_boilerplate("advertisement"));
        assert!(!names_boilerplate("lead-paragraph"));
        assert!(!names_boilerplate("masthead"));
        assert!(!names_boilerplate("commentary"));
    }

    #[test]
    fn site_suffix() {
        assert_eq!(
            strip_site_suffix("A | Example News", Some("Example News"), None, false),
            "A"
        );
        assert_eq!(
            strip_site_suffix("A - Example News", None, Some("examplenews"), false),
            "A"
        );
        assert_eq!(
            strip_site_suffix("A - example.com", None, Some("example"), false),
            "A"
        );
        assert_eq!(strip_site_suffix("A | B", None, None, false), "A | B");
        assert_eq!(
            host_label("https://www.example-news.co/x?y").as_deref(),
            Some("examplenews")
        );
        assert_eq!(host_label("/relative/path"), None);
    }
}
