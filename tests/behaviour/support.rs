//! What several modules share: `data/errors.tsv` read here on its own
//! (not through `build.rs`), and roxmltree helpers.

use s3err::xml::ErrorDocument;

/// The data file, as shipped.
pub const DATA: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/errors.tsv"));

/// One live row of the data file.
#[derive(Debug)]
pub struct DataRow {
    pub id: u8,
    pub name: &'static str,
    pub status: u16,
    pub group: &'static str,
    pub description: &'static str,
}

/// The live rows of the data file, with columns found by the header (the
/// first comment line holding a tab, `# id<TAB>name<TAB>…`); retired rows
/// are skipped.
pub fn data_rows() -> Vec<DataRow> {
    let header: Vec<&str> = DATA
        .lines()
        .find(|l| l.starts_with('#') && l.contains('\t'))
        .expect("a header line")
        .trim_start_matches('#')
        .trim_start()
        .split('\t')
        .collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
    };
    let (id, name, status, group, description) = (
        col("id"),
        col("name"),
        col("status"),
        col("group"),
        col("description"),
    );
    DATA.lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|f| f[group] != "retired")
        .map(|f| DataRow {
            id: f[id].parse().unwrap(),
            name: f[name],
            status: f[status].parse().unwrap(),
            group: f[group],
            description: f[description],
        })
        .collect()
}

/// All text below `node`, as a DOM reader sees it.
pub fn dom_text(node: roxmltree::Node<'_, '_>) -> String {
    node.descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect()
}

/// The first child element of `node` named `name`.
pub fn child<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    node.children()
        .find(|n| n.is_element() && n.tag_name().name() == name)
}

/// The error element as roxmltree finds it (the shapes s3err accepts).
pub fn dom_error<'a, 'i>(doc: &'a roxmltree::Document<'i>) -> Option<roxmltree::Node<'a, 'i>> {
    let root = doc.root_element();
    match root.tag_name().name() {
        "Error" => Some(root),
        "ErrorResponse" => child(root, "Error"),
        "Response" => child(root, "Errors").and_then(|e| child(e, "Error")),
        _ => None,
    }
}

/// The document rendered through `write_to`.
pub fn render(doc: &ErrorDocument<'_>) -> String {
    let mut s = String::new();
    doc.write_to(&mut s).expect("render");
    s
}
