//! Positions computed before the page is written: the network's node
//! positions (a small force-directed layout) and the timeline's bins.
//!
//! The layout is deterministic: nodes start on a spiral in index order
//! (nodes are sorted by name), every step runs over them in that order,
//! and there is no randomness, so the same graph gives the same positions
//! byte for byte once formatted. Cost: `ITERATIONS × n²` for `n` nodes;
//! [`super::Limits::nodes`] bounds `n` (150 nodes: under 10 ms).

use super::data::{Edge, Node, Timeline, day_number, iso_date};

/// Width of the network drawing (SVG user units).
pub const WIDTH: f64 = 960.0;
/// Height of the network drawing.
pub const HEIGHT: f64 = 620.0;
/// Margins kept free around the nodes: room for labels beside and below.
const MARGIN_X: f64 = 120.0;
const MARGIN_Y: f64 = 50.0;
/// Pull toward the centre, per unit of distance and of `k`.
const GRAVITY: f64 = 0.02;
/// Steps of the force layout.
const ITERATIONS: usize = 400;

/// Give every node a radius (by mentions) and a position (by force layout).
pub fn network(nodes: &mut [Node], edges: &[Edge]) {
    let n = nodes.len();
    if n == 0 {
        return;
    }
    let max_mentions = nodes.iter().map(|n| n.mentions).max().unwrap_or(0).max(1) as f64;
    // Smaller circles when there are many, so that they do not cover each other.
    let grow = 18.0f64.min(300.0 / n as f64 + 4.0);
    for node in nodes.iter_mut() {
        node.r = 6.0 + grow * (node.mentions as f64 / max_mentions).sqrt();
    }
    // Spring strength per pair: several kinds between the same two nodes
    // pull as one spring, stronger with more documents.
    let mut springs: Vec<(usize, usize, f64)> = Vec::new();
    for e in edges {
        let (a, b) = (e.a.min(e.b), e.a.max(e.b));
        let w = 1.0 + (e.documents as f64).ln_1p();
        match springs.iter_mut().find(|s| s.0 == a && s.1 == b) {
            Some(s) => s.2 += w,
            None => springs.push((a, b, w)),
        }
    }
    let (w, h) = (WIDTH - 2.0 * MARGIN_X, HEIGHT - 2.0 * MARGIN_Y);
    let k = (w * h / n as f64).sqrt() * 0.6;
    let mut pos: Vec<(f64, f64)> = (0..n)
        .map(|i| {
            // A sunflower spiral: even spread, no two nodes on one spot.
            let r = (i as f64 + 0.5).sqrt() / (n as f64).sqrt() * w.min(h) / 2.0;
            let a = i as f64 * 2.399_963_229_728_653;
            (r * a.cos(), r * a.sin())
        })
        .collect();
    let mut disp = vec![(0.0f64, 0.0f64); n];
    let start = w.min(h) / 8.0;
    for step in 0..ITERATIONS {
        let temp = start * (1.0 - step as f64 / ITERATIONS as f64) + 0.5;
        disp.iter_mut().for_each(|d| *d = (0.0, 0.0));
        for i in 0..n {
            for j in (i + 1)..n {
                let (mut dx, mut dy) = (pos[i].0 - pos[j].0, pos[i].1 - pos[j].1);
                let mut d2 = dx * dx + dy * dy;
                if d2 < 1e-6 {
                    // Apart along a direction fixed by the indices.
                    dx = 0.1 * (1.0 + (i % 7) as f64);
                    dy = 0.1 * (1.0 + (j % 5) as f64);
                    d2 = dx * dx + dy * dy;
                }
                let f = k * k / d2;
                disp[i].0 += dx * f;
                disp[i].1 += dy * f;
                disp[j].0 -= dx * f;
                disp[j].1 -= dy * f;
            }
        }
        for &(a, b, s) in &springs {
            let (dx, dy) = (pos[a].0 - pos[b].0, pos[a].1 - pos[b].1);
            let d = (dx * dx + dy * dy).sqrt().max(1e-3);
            let f = d * s / k;
            disp[a].0 -= dx * f;
            disp[a].1 -= dy * f;
            disp[b].0 += dx * f;
            disp[b].1 += dy * f;
        }
        for i in 0..n {
            // Gravity keeps components that share no edge together.
            disp[i].0 -= pos[i].0 * GRAVITY * k;
            disp[i].1 -= pos[i].1 * GRAVITY * k;
            let len = (disp[i].0 * disp[i].0 + disp[i].1 * disp[i].1).sqrt();
            if len > 0.0 {
                let step = len.min(temp);
                pos[i].0 += disp[i].0 / len * step;
                pos[i].1 += disp[i].1 / len * step;
            }
        }
    }
    // Fit into the drawing, keeping the aspect ratio.
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for p in &pos {
        x0 = x0.min(p.0);
        x1 = x1.max(p.0);
        y0 = y0.min(p.1);
        y1 = y1.max(p.1);
    }
    let scale = (w / (x1 - x0).max(1.0)).min(h / (y1 - y0).max(1.0));
    let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
    for (node, p) in nodes.iter_mut().zip(&pos) {
        node.x = round1(WIDTH / 2.0 + (p.0 - cx) * scale);
        node.y = round1(HEIGHT / 2.0 + (p.1 - cy) * scale);
        node.r = round1(node.r);
    }
}

/// `v` to one decimal, so that formatting is stable.
fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// Bins for the days of the events: days when they span up to 92 days,
/// weeks up to two years, months up to twenty years, else years.
pub fn timeline(days: impl Iterator<Item = i64>, undated: usize) -> Timeline {
    let (mut lo, mut hi) = (i64::MAX, i64::MIN);
    for d in days {
        lo = lo.min(d);
        hi = hi.max(d);
    }
    if lo > hi {
        return Timeline {
            undated,
            unit: "day".into(),
            ..Timeline::default()
        };
    }
    let span = hi - lo + 1;
    let (unit, bins, end) = if span <= 92 {
        ("day", (lo..=hi).collect::<Vec<_>>(), hi + 1)
    } else if span <= 2 * 366 {
        let bins: Vec<i64> = (lo..=hi).step_by(7).collect();
        let end = bins.last().copied().unwrap_or(lo) + 7;
        ("week", bins, end)
    } else {
        let months = span <= 20 * 366;
        let (y0, m0) = year_month(lo);
        let (y1, m1) = year_month(hi);
        let mut bins = Vec::new();
        let (mut y, mut m) = (y0, if months { m0 } else { 1 });
        loop {
            let start = day_number(&format!("{y:04}-{m:02}-01")).unwrap_or(lo);
            if (y, m) > (y1, if months { m1 } else { 1 }) {
                break (if months { "month" } else { "year" }, bins, start);
            }
            bins.push(start);
            if months {
                (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
            } else {
                y += 1;
            }
        }
    };
    Timeline {
        d0: bins[0],
        d1: end - 1,
        unit: unit.into(),
        bins,
        undated,
    }
}

fn year_month(day: i64) -> (i64, i64) {
    let iso = iso_date(day);
    (
        iso[..iso.len() - 6].parse().unwrap_or(1970),
        iso[iso.len() - 5..iso.len() - 3].parse().unwrap_or(1),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(name: &str, mentions: u64) -> Node {
        Node {
            name: name.into(),
            etype: "COUNTRY".into(),
            mentions,
            weight: 1,
            x: 0.0,
            y: 0.0,
            r: 0.0,
        }
    }

    fn edge(a: usize, b: usize) -> Edge {
        Edge {
            a,
            b,
            kind: "agreement".into(),
            documents: 2,
            rels: vec![],
        }
    }

    #[test]
    fn layout_is_deterministic_inside_the_drawing_and_pulls_linked_nodes_closer() {
        let mut nodes: Vec<Node> = (0..12).map(|i| node(&format!("n{i:02}"), i)).collect();
        let edges = vec![edge(0, 1), edge(1, 2), edge(3, 4)];
        network(&mut nodes, &edges);
        let mut again: Vec<Node> = (0..12).map(|i| node(&format!("n{i:02}"), i)).collect();
        network(&mut again, &edges);
        assert_eq!(nodes, again);
        for n in &nodes {
            assert!(
                n.x >= MARGIN_X - 0.1 && n.x <= WIDTH - MARGIN_X + 0.1,
                "{n:?}"
            );
            assert!(
                n.y >= MARGIN_Y - 0.1 && n.y <= HEIGHT - MARGIN_Y + 0.1,
                "{n:?}"
            );
        }
        let dist = |a: &Node, b: &Node| ((a.x - b.x).powi(2) + (a.y - b.y).powi(2)).sqrt();
        let linked = dist(&nodes[0], &nodes[1]);
        let mean: f64 = (5..12).map(|j| dist(&nodes[0], &nodes[j])).sum::<f64>() / 7.0;
        assert!(linked < mean, "linked {linked} vs mean {mean}");
        // The most mentioned node is the largest.
        assert!(nodes[11].r > nodes[1].r);
    }

    #[test]
    fn timeline_bins_by_span() {
        let d = |s: &str| day_number(s).unwrap();
        let t = timeline([d("2024-03-04"), d("2024-03-06")].into_iter(), 0);
        assert_eq!((t.unit.as_str(), t.bins.len()), ("day", 3));
        assert_eq!((t.d0, t.d1), (d("2024-03-04"), d("2024-03-06")));
        let t = timeline([d("2024-01-01"), d("2024-12-31")].into_iter(), 0);
        assert_eq!(t.unit, "week");
        assert!(t.d1 >= d("2024-12-31"));
        let t = timeline([d("2019-05-17"), d("2024-03-04")].into_iter(), 2);
        assert_eq!(t.unit, "month");
        assert_eq!(t.bins.len(), 12 - 4 + 12 * 4 + 3);
        assert_eq!(
            (iso_date(t.d0), iso_date(t.d1)),
            ("2019-05-01".into(), "2024-03-31".into())
        );
        assert_eq!(t.undated, 2);
        let t = timeline([d("1960-01-01"), d("2024-03-04")].into_iter(), 0);
        assert_eq!((t.unit.as_str(), t.bins.len()), ("year", 65));
        assert!(timeline(std::iter::empty(), 0).bins.is_empty());
    }
}
