//! Writes `capi/include/s3err.h` from the table (`data/errors.tsv`, read
//! by the library's own reader, `build/data.rs`) and from the C API's Rust
//! declarations (`capi/src/abi.rs`, read with `syn`): one `#define` per
//! code, then every public constant, type alias, `#[repr(C)]` struct and
//! exported function of `abi.rs`, in its order, with its doc comment.
//!
//! `cargo run -p s3err-capi-gen` (from `capi/`) rewrites the header;
//! CI runs it and fails if the committed header differs.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs, process};

use quote::ToTokens;
use syn::{Attribute, Expr, Fields, FnArg, Item, Lit, Meta, ReturnType, Type, Visibility};

#[allow(dead_code)]
#[path = "../../../build/data.rs"]
mod data;

/// The C constant of a code: `S3ERR_` and the wire name without its dots
/// (`NoSuchKey` -> `S3ERR_NoSuchKey`, `KMS.DisabledException` ->
/// `S3ERR_KMSDisabledException`), the same rule that names the Rust
/// variant. `None` if the name holds anything but ASCII letters, digits
/// and dots: such a constant could clash with the API's own macros, which
/// all have at least two underscores.
fn code_macro(wire: &str) -> Option<String> {
    let ident: String = wire.chars().filter(|&c| c != '.').collect();
    let ok = !ident.is_empty()
        && ident.chars().all(|c| c.is_ascii_alphanumeric())
        && wire.chars().all(|c| c.is_ascii_alphanumeric() || c == '.');
    ok.then(|| format!("S3ERR_{ident}"))
}

/// The C constants of `names`, in order; an error naming the first name
/// that gives no constant or one already given.
fn code_macros(names: &[&str]) -> Result<Vec<String>, String> {
    let mut seen = HashSet::new();
    names
        .iter()
        .map(|&n| {
            let m = code_macro(n).ok_or_else(|| format!("`{n}` gives no C constant"))?;
            if seen.insert(m.clone()) {
                Ok(m)
            } else {
                Err(format!("`{n}` gives the C constant `{m}`, already taken"))
            }
        })
        .collect()
}

fn fail(msg: impl std::fmt::Display) -> ! {
    eprintln!("s3err-capi-gen: {msg}");
    process::exit(1)
}

/// The doc comment of an item, one string per line.
fn docs(attrs: &[Attribute]) -> Vec<String> {
    let mut lines = Vec::new();
    for a in attrs {
        if let Meta::NameValue(nv) = &a.meta
            && nv.path.is_ident("doc")
            && let Expr::Lit(l) = &nv.value
            && let Lit::Str(s) = &l.lit
        {
            let text = s.value();
            let line = text.strip_prefix(' ').unwrap_or(&text);
            lines.push(if line == "# Safety" {
                "Safety:".to_string()
            } else {
                line.to_string()
            });
        }
    }
    lines
}

/// A C comment holding `lines`, indented by `indent`.
fn comment(out: &mut String, lines: &[String], indent: &str, what: &str) {
    if lines.is_empty() {
        fail(format!(
            "{what} has no doc comment: every item of the header is documented"
        ));
    }
    if lines.iter().any(|l| l.contains("*/")) {
        fail(format!("{what}: a doc comment holds `*/`"));
    }
    if let [line] = lines {
        writeln!(out, "{indent}/** {line} */").unwrap();
        return;
    }
    writeln!(out, "{indent}/**").unwrap();
    for l in lines {
        if l.is_empty() {
            writeln!(out, "{indent} *").unwrap();
        } else {
            writeln!(out, "{indent} * {l}").unwrap();
        }
    }
    writeln!(out, "{indent} */").unwrap();
}

/// The C spelling of a Rust type of the API.
fn c_type(ty: &Type) -> String {
    match ty {
        Type::Ptr(p) => {
            let inner = c_type(&p.elem);
            if p.mutability.is_some() {
                format!("{inner} *")
            } else {
                format!("const {inner} *")
            }
        }
        Type::Path(p) => {
            let name = p
                .path
                .segments
                .last()
                .map(|s| s.ident.to_string())
                .unwrap_or_default();
            match name.as_str() {
                "u8" => "uint8_t".into(),
                "u16" => "uint16_t".into(),
                "u32" => "uint32_t".into(),
                "u64" => "uint64_t".into(),
                "usize" => "size_t".into(),
                "bool" => "bool".into(),
                "c_char" => "char".into(),
                n if n.starts_with("s3err_") => n.into(),
                other => fail(format!("no C type for the Rust type `{other}`")),
            }
        }
        other => fail(format!("no C type for `{}`", other.to_token_stream())),
    }
}

/// `type name`, with the space dropped after a `*`.
fn declare(ty: &str, name: &str) -> String {
    if ty.ends_with('*') {
        format!("{ty}{name}")
    } else {
        format!("{ty} {name}")
    }
}

/// Keywords of C and C++ that a Rust name may be: a field or parameter
/// so named would not compile in one of the two languages.
const KEYWORDS: [&str; 24] = [
    "auto",
    "bool",
    "catch",
    "char",
    "class",
    "default",
    "delete",
    "double",
    "explicit",
    "float",
    "friend",
    "int",
    "long",
    "namespace",
    "new",
    "operator",
    "private",
    "protected",
    "public",
    "register",
    "short",
    "template",
    "this",
    "virtual",
];

/// A field or parameter name, checked against C and C++ keywords.
fn c_name(name: String, what: &str) -> String {
    if KEYWORDS.contains(&name.as_str()) {
        fail(format!("{what}: `{name}` is a C or C++ keyword"));
    }
    name
}

fn is_pub(v: &Visibility) -> bool {
    matches!(v, Visibility::Public(_))
}

/// Whether a function is exported: `#[unsafe(no_mangle)]`.
fn exported(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("unsafe") && a.meta.to_token_stream().to_string().contains("no_mangle")
    })
}

/// Checks the API's own macro names: the prefix, and at least two
/// underscores, so that no code constant (one underscore) can equal one.
fn api_macro(name: &str, macros: &mut HashSet<String>) {
    if !name.starts_with("S3ERR_") || name.matches('_').count() < 2 {
        fail(format!(
            "`{name}`: the API's macros start with S3ERR_ and hold at least two underscores"
        ));
    }
    if !macros.insert(name.to_string()) {
        fail(format!("`{name}` is defined twice"));
    }
}

fn generate(root: &Path) -> String {
    let text = fs::read_to_string(root.join(data::DATA))
        .unwrap_or_else(|e| fail(format!("{}: {e}", data::DATA)));
    let rows = data::parse(&text).unwrap_or_else(|e| fail(e));
    let abi_path = root.join("capi/src/abi.rs");
    let abi = fs::read_to_string(&abi_path)
        .unwrap_or_else(|e| fail(format!("{}: {e}", abi_path.display())));
    let file = syn::parse_file(&abi).unwrap_or_else(|e| fail(format!("capi/src/abi.rs: {e}")));

    let mut macros = HashSet::new();
    let mut out = String::new();
    out.push_str(
        "/*
 * s3err.h: the C API of s3err, the Zenko / CloudServer S3 error table
 * with S3 XML error bodies and retry advice, for C firmware and gateways.
 *
 * @generated by capi/gen from data/errors.tsv and capi/src/abi.rs; do not
 * edit. Regenerate with `cargo run -p s3err-capi-gen` in capi/.
 *
 * No allocation, no global state: every function is reentrant. Strings
 * go both ways as pointer + length (s3err_str), without NUL, except the
 * buffers the snprintf-style functions fill. A NULL pointer with a length
 * above 0, or a struct size too small, gets the error value each function
 * documents.
 */
#ifndef S3ERR_H_INCLUDED
#define S3ERR_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern \"C\" {
#endif

",
    );

    // ---- The table.
    let live: Vec<&data::Row> = rows.iter().filter(|r| !r.retired()).collect();
    let max_id = rows.iter().map(|r| r.id).max().unwrap_or(0);
    let longest = live.iter().map(|r| r.name.len()).max().unwrap_or(0);
    for name in ["S3ERR_MAX_ID", "S3ERR_MAX_NAME_LEN"] {
        api_macro(name, &mut macros);
    }
    writeln!(
        out,
        "/** The highest id the table assigns (ids are never reused: a removed code keeps its id). */\n#define S3ERR_MAX_ID {max_id}\n"
    )
    .unwrap();
    writeln!(
        out,
        "/** The length of the longest name of the table, every group included: a buffer bound for any build. */\n#define S3ERR_MAX_NAME_LEN {longest}\n"
    )
    .unwrap();
    out.push_str(
        "/*
 * One constant per code of the table, equal to its permanent id (an
 * s3err_code): S3ERR_ and the wire name without its dots. Every code of
 * every group is here; s3err_code_is_known() tells whether this build
 * has it. Each comment gives the wire name, the status and the group.
 */
",
    );
    let names: Vec<&str> = live.iter().map(|r| r.name).collect();
    let constants = code_macros(&names).unwrap_or_else(|e| fail(e));
    for (r, m) in live.iter().zip(constants) {
        // One underscore each, so no macro of the API (two or more) is hit.
        macros.insert(m.clone());
        writeln!(
            out,
            "#define {m} {} /**< {} {} {} */",
            r.id, r.name, r.status, r.group
        )
        .unwrap();
    }
    for r in rows.iter().filter(|r| r.retired()) {
        writeln!(out, "/* id {} ({}) is retired */", r.id, r.name).unwrap();
    }
    out.push('\n');

    // ---- The API, in the order of abi.rs.
    let mut groups = Vec::new();
    for item in &file.items {
        match item {
            Item::Const(c) if is_pub(&c.vis) => {
                let name = c.ident.to_string();
                api_macro(&name, &mut macros);
                if let Some(g) = name.strip_prefix("S3ERR_GROUP_") {
                    groups.push(g.to_lowercase());
                }
                comment(&mut out, &docs(&c.attrs), "", &name);
                let value = c.expr.to_token_stream().to_string();
                writeln!(out, "#define {name} {value}\n").unwrap();
            }
            Item::Type(t) if is_pub(&t.vis) => {
                let name = t.ident.to_string();
                comment(&mut out, &docs(&t.attrs), "", &name);
                writeln!(out, "typedef {};\n", declare(&c_type(&t.ty), &name)).unwrap();
            }
            Item::Struct(s) if is_pub(&s.vis) => {
                let name = s.ident.to_string();
                let repr_c = s.attrs.iter().any(|a| {
                    a.path().is_ident("repr") && a.meta.to_token_stream().to_string().contains('C')
                });
                if !repr_c || !name.starts_with("s3err_") {
                    fail(format!(
                        "struct `{name}`: a C struct is #[repr(C)] and named s3err_*"
                    ));
                }
                comment(&mut out, &docs(&s.attrs), "", &name);
                writeln!(out, "typedef struct {name} {{").unwrap();
                let Fields::Named(fields) = &s.fields else {
                    fail(format!("struct `{name}`: named fields only"));
                };
                for f in &fields.named {
                    let field = f.ident.as_ref().map(|i| i.to_string()).unwrap_or_default();
                    let field = c_name(field, &name);
                    comment(
                        &mut out,
                        &docs(&f.attrs),
                        "    ",
                        &format!("{name}.{field}"),
                    );
                    let decl = match &f.ty {
                        Type::Array(a) => format!(
                            "{}[{}]",
                            declare(&c_type(&a.elem), &field),
                            a.len.to_token_stream()
                        ),
                        ty => declare(&c_type(ty), &field),
                    };
                    writeln!(out, "    {decl};").unwrap();
                }
                writeln!(out, "}} {name};\n").unwrap();
            }
            Item::Fn(f) if is_pub(&f.vis) && exported(&f.attrs) => {
                let name = f.sig.ident.to_string();
                if !name.starts_with("s3err_") || f.sig.abi.is_none() {
                    fail(format!(
                        "fn `{name}`: exported functions are extern \"C\" and named s3err_*"
                    ));
                }
                comment(&mut out, &docs(&f.attrs), "", &name);
                let ret = match &f.sig.output {
                    ReturnType::Default => "void".to_string(),
                    ReturnType::Type(_, ty) => c_type(ty),
                };
                let args: Vec<String> = f
                    .sig
                    .inputs
                    .iter()
                    .map(|a| match a {
                        FnArg::Typed(p) => declare(
                            &c_type(&p.ty),
                            &c_name(p.pat.to_token_stream().to_string(), &name),
                        ),
                        FnArg::Receiver(_) => fail(format!("fn `{name}` takes self")),
                    })
                    .collect();
                let args = if args.is_empty() {
                    "void".to_string()
                } else {
                    args.join(", ")
                };
                writeln!(out, "{};\n", declare(&ret, &format!("{name}({args})"))).unwrap();
            }
            _ => {}
        }
    }

    // Every group of the data file has its constant, and no other exists.
    groups.retain(|g| g != "none");
    let mut known: Vec<String> = data::GROUPS.iter().map(|g| g.to_string()).collect();
    known.sort();
    groups.sort();
    if groups != known {
        fail(format!(
            "capi/src/abi.rs has S3ERR_GROUP_ constants for {groups:?}, the data file's groups are {known:?}"
        ));
    }

    out.push_str(
        "#ifdef __cplusplus
} /* extern \"C\" */
#endif

#endif /* S3ERR_H_INCLUDED */
",
    );
    out
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let header = generate(&root);
    let dest = match env::args_os().nth(1) {
        Some(p) => PathBuf::from(p),
        None => root.join("capi/include/s3err.h"),
    };
    fs::write(&dest, header).unwrap_or_else(|e| fail(format!("{}: {e}", dest.display())));
}

#[cfg(test)]
mod tests {
    use super::{code_macro, code_macros};

    #[test]
    fn naming_rule() {
        assert_eq!(code_macro("NoSuchKey").as_deref(), Some("S3ERR_NoSuchKey"));
        assert_eq!(
            code_macro("KMS.DisabledException").as_deref(),
            Some("S3ERR_KMSDisabledException")
        );
        assert_eq!(
            code_macro("MPUinProgress").as_deref(),
            Some("S3ERR_MPUinProgress")
        );
        // Anything else could clash with a macro of the API.
        assert_eq!(code_macro("MAX_ID"), None);
        assert_eq!(code_macro("No Such"), None);
        assert_eq!(code_macro("..."), None);
        assert_eq!(code_macro(""), None);
    }

    /// Two names that differ by their dots only give one constant: the
    /// generator refuses the pair.
    #[test]
    fn collisions_are_refused() {
        let e = code_macros(&["KMS.Disabled", "NoSuchKey", "KMSDisabled"]).unwrap_err();
        assert!(
            e.contains("`KMSDisabled`") && e.contains("S3ERR_KMSDisabled"),
            "{e}"
        );
        assert!(code_macros(&["MAX_ID"]).is_err());
    }

    /// The data file's names give distinct constants (the generator stops
    /// otherwise; this says which).
    #[test]
    fn table_has_no_collisions() {
        let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
        let text = std::fs::read_to_string(root.join(super::data::DATA)).unwrap();
        let rows = super::data::parse(&text).unwrap();
        let names: Vec<&str> = rows
            .iter()
            .filter(|r| !r.retired())
            .map(|r| r.name)
            .collect();
        let constants = code_macros(&names).unwrap();
        assert_eq!(constants.len(), names.len());
    }
}
