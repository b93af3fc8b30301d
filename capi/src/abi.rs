//! The C API: every type, constant and function of `s3err.h`.
//!
//! `gen/` writes the header from this file (its doc comments included)
//! and from the table, so a declaration here is the declaration there.
//! Every function checks its pointers and lengths: a NULL pointer with a
//! length above 0, or a struct size too small, gets the error value the
//! function documents. Nothing here keeps state between calls.
#![allow(non_camel_case_types)]

use core::ffi::c_char;
use core::{mem, ptr, slice, str};

use crate::rs;

/// The version of this ABI. It changes when a function, type or
/// constant changes in a way that breaks a program built with an
/// earlier header; compare it with `s3err_abi_version()` at start-up.
pub const S3ERR_ABI_VERSION: u32 = 1;

/// A code of the table: its permanent one-byte id (`S3ERR_NoSuchKey`...).
/// Ids are the same in every build and every version; a build without a
/// code's group still has the constant, and the functions tell whether
/// an id names a code in this build (`s3err_code_is_known`).
pub type s3err_code = u8;

/// A group of the table (`S3ERR_GROUP_S3`...), each a cargo feature.
pub type s3err_group = u8;

/// Retry advice: `S3ERR_RETRY_NEVER`, `S3ERR_RETRY_THROTTLE` or
/// `S3ERR_RETRY_TRANSIENT` (`S3ERR_RETRY_INVALID` for a bad argument).
pub type s3err_retry = u8;

/// `s3`: the S3 REST API errors.
pub const S3ERR_GROUP_S3: s3err_group = 0;
/// `iam`: IAM and common AWS query-API errors (the Vault side of Zenko).
pub const S3ERR_GROUP_IAM: s3err_group = 1;
/// `zenko`: errors that exist only in Zenko/Vault, not in AWS.
pub const S3ERR_GROUP_ZENKO: s3err_group = 2;
/// `aws` (opt-in): Amazon S3's own codes that Zenko's table lacks.
pub const S3ERR_GROUP_AWS: s3err_group = 3;
/// No group: the id names no code in this build.
pub const S3ERR_GROUP_NONE: s3err_group = 255;

/// Do not retry: the request itself is wrong or forbidden.
pub const S3ERR_RETRY_NEVER: s3err_retry = 0;
/// The server asks the client to slow down: retry with back-off.
pub const S3ERR_RETRY_THROTTLE: s3err_retry = 1;
/// A transient server or network problem: retry with back-off.
pub const S3ERR_RETRY_TRANSIENT: s3err_retry = 2;
/// A bad argument (an id that names no code in this build, a NULL
/// pointer with a length): no advice.
pub const S3ERR_RETRY_INVALID: s3err_retry = 255;

/// Bytes that are not NUL-terminated: `ptr` points at `len` bytes.
///
/// Strings the library returns point into its static table or into the
/// caller's buffer, and `ptr` is never NULL (for an empty string it is a
/// valid pointer to nothing). In a struct the caller fills, a NULL `ptr`
/// means "not set" and `len` must then be 0.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct s3err_str {
    /// The first byte.
    pub ptr: *const c_char,
    /// The number of bytes.
    pub len: usize,
}

impl s3err_str {
    fn of(s: &[u8]) -> Self {
        s3err_str {
            ptr: s.as_ptr().cast(),
            len: s.len(),
        }
    }

    const NULL: s3err_str = s3err_str {
        ptr: ptr::null(),
        len: 0,
    };

    fn of_opt(s: Option<&[u8]>) -> Self {
        s.map_or(Self::NULL, Self::of)
    }
}

/// `ptr[..len]`; `Some(&[])` for length 0 whatever `ptr`, `None` for a
/// NULL `ptr` with a length above 0 or a length no object can have.
///
/// # Safety
/// A non-NULL `ptr` points to `len` readable bytes that stay unchanged
/// for `'a`.
unsafe fn bytes<'a>(ptr: *const c_char, len: usize) -> Option<&'a [u8]> {
    if len == 0 {
        return Some(&[]);
    }
    if ptr.is_null() || len > isize::MAX as usize {
        return None;
    }
    // SAFETY: `ptr` is not NULL, `len` fits an object, and the caller
    // promises `len` readable bytes for 'a; u8 has no alignment needs.
    Some(unsafe { slice::from_raw_parts(ptr.cast::<u8>(), len) })
}

/// The caller's buffer `buf[..size]`; `Some(&mut [])` for size 0, `None`
/// for a NULL `buf` with a size above 0.
///
/// # Safety
/// A non-NULL `buf` points to `size` writable bytes not otherwise
/// borrowed for `'a`.
unsafe fn buffer<'a>(buf: *mut c_char, size: usize) -> Option<&'a mut [u8]> {
    if size == 0 {
        return Some(&mut []);
    }
    if buf.is_null() || size > isize::MAX as usize {
        return None;
    }
    // SAFETY: not NULL, a size an object can have, and the caller
    // promises `size` writable bytes for 'a that nothing else uses.
    Some(unsafe { slice::from_raw_parts_mut(buf.cast::<u8>(), size) })
}

/// Writes `value` to `*out` unless `out` is NULL; whether it wrote. The
/// pointee need not be initialised (C callers pass fresh locals), so no
/// reference to it is made.
///
/// # Safety
/// `out` is NULL or valid for a write of one aligned `T`.
unsafe fn put<T>(out: *mut T, value: T) -> bool {
    if out.is_null() {
        return false;
    }
    // SAFETY: not NULL, and valid for an aligned write (the caller's promise).
    unsafe { out.write(value) };
    true
}

/// The length an snprintf-style function returns, having written `len`
/// bytes (already in `buf` when they fit with a NUL) and the NUL: after
/// the text when it fits, else at the start (an empty string), never
/// when `buf` is empty.
fn terminate(buf: &mut [u8], len: usize) -> usize {
    let at = if len < buf.len() { len } else { 0 };
    if let Some(b) = buf.get_mut(at) {
        *b = 0;
    }
    len
}

/// Writes an empty string into `buf` (when not empty) and returns 0.
fn empty(buf: &mut [u8]) -> usize {
    terminate(buf, 0)
}

// ---- Version

/// The ABI version of the linked library; equal to `S3ERR_ABI_VERSION`
/// when the header and the library match.
#[unsafe(no_mangle)]
pub extern "C" fn s3err_abi_version() -> u32 {
    S3ERR_ABI_VERSION
}

/// The version of the s3err library linked in (`"0.2.0"`).
#[unsafe(no_mangle)]
pub extern "C" fn s3err_version() -> s3err_str {
    s3err_str::of(rs::VERSION.as_bytes())
}

// ---- The table

/// The number of codes in this build (it depends on the groups built).
#[unsafe(no_mangle)]
pub extern "C" fn s3err_code_count() -> usize {
    rs::count()
}

/// Whether `id` names a code in this build: false for an id not
/// assigned, retired, or of a group left out of the build.
#[unsafe(no_mangle)]
pub extern "C" fn s3err_code_is_known(id: u8) -> bool {
    rs::is_known(id)
}

/// The length of the longest name in this build (at most
/// `S3ERR_MAX_NAME_LEN`); any longer name is refused before it is hashed.
#[unsafe(no_mangle)]
pub extern "C" fn s3err_code_max_name_len() -> usize {
    rs::max_name_len()
}

/// Looks a name up, exactly (case-sensitive, no whitespace): `name`
/// points at `len` bytes, no NUL needed. On success writes the code to
/// `*code` and returns true; returns false for a name that is not a code
/// of this build, or a NULL `name` with `len` above 0, or a NULL `code`.
/// Constant time: one hash, one probe, one comparison.
///
/// # Safety
/// `name` points to `len` readable bytes (or is NULL); `code` is NULL
/// or points to a writable `s3err_code`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s3err_code_from_name(
    name: *const c_char,
    len: usize,
    code: *mut s3err_code,
) -> bool {
    // SAFETY: the caller's promise for `name` and `len`.
    let Some(name) = (unsafe { bytes(name, len) }) else {
        return false;
    };
    let Some(found) = rs::from_name(name) else {
        return false;
    };
    // SAFETY: `code` is NULL or points to a writable s3err_code (the
    // caller's promise).
    unsafe { put(code, found) }
}

/// The wire name (`"NoSuchKey"`); empty for an id that names no code in
/// this build.
#[unsafe(no_mangle)]
pub extern "C" fn s3err_code_name(code: s3err_code) -> s3err_str {
    s3err_str::of(rs::name(code).as_bytes())
}

/// The HTTP status the table gives the code (100..=599); 0 for an id
/// that names no code in this build.
#[unsafe(no_mangle)]
pub extern "C" fn s3err_code_status(code: s3err_code) -> u16 {
    rs::status(code)
}

/// The table's description of the code; empty without the
/// `descriptions` feature or for an id that names no code.
#[unsafe(no_mangle)]
pub extern "C" fn s3err_code_description(code: s3err_code) -> s3err_str {
    s3err_str::of(rs::description(code).as_bytes())
}

/// The code's group (`S3ERR_GROUP_S3`...); `S3ERR_GROUP_NONE` for an id
/// that names no code in this build.
#[unsafe(no_mangle)]
pub extern "C" fn s3err_code_group(code: s3err_code) -> s3err_group {
    rs::group(code)
}

/// How a client should react to the code with the status the table
/// gives it; `S3ERR_RETRY_INVALID` for an id that names no code.
#[unsafe(no_mangle)]
pub extern "C" fn s3err_code_retry(code: s3err_code) -> s3err_retry {
    rs::retry(code).unwrap_or(S3ERR_RETRY_INVALID)
}

/// The group's name, which is also its feature's (`"s3"`); empty for a
/// value that names no group.
#[unsafe(no_mangle)]
pub extern "C" fn s3err_group_name(group: s3err_group) -> s3err_str {
    s3err_str::of(rs::group_name(group).as_bytes())
}

/// Whether this build has the codes of `group`.
#[unsafe(no_mangle)]
pub extern "C" fn s3err_group_is_enabled(group: s3err_group) -> bool {
    rs::group_enabled(group)
}

/// Whether this build holds the descriptions (the `descriptions` feature).
#[unsafe(no_mangle)]
pub extern "C" fn s3err_has_descriptions() -> bool {
    rs::has_descriptions()
}

// ---- Retry advice

/// How a client should react to an error known by its code name (in the
/// table or not: `"ThrottlingException"`) and the HTTP status it came
/// with. An error body inside a `200 OK` is classified as a 500, as the
/// AWS SDKs do. `S3ERR_RETRY_INVALID` for a NULL `name` with `len` above 0.
///
/// # Safety
/// `name` points to `len` readable bytes (or is NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s3err_retry_classify(
    name: *const c_char,
    len: usize,
    status: u16,
) -> s3err_retry {
    // SAFETY: the caller's promise for `name` and `len`.
    match unsafe { bytes(name, len) } {
        Some(name) => rs::classify(name, status),
        None => S3ERR_RETRY_INVALID,
    }
}

/// How a client should react to a status alone (a body that could not be
/// parsed): 429 throttles; 500, 502, 503, 504 are transient; anything
/// else, 200 included, is never retried.
#[unsafe(no_mangle)]
pub extern "C" fn s3err_retry_from_status(status: u16) -> s3err_retry {
    rs::retry_from_status(status)
}

// ---- Rendering an error document

/// The document's form: the one AWS uses for its code (the AWS query
/// form for the `iam` group, the S3 form otherwise).
pub const S3ERR_FORM_DEFAULT: u8 = 0;
/// The S3 REST form: `<?xml ...?>\n<Error><Code>...</Code>...</Error>`.
pub const S3ERR_FORM_S3: u8 = 1;
/// The AWS query-API form (IAM's): `<ErrorResponse xmlns=...><Error><Type>...`.
pub const S3ERR_FORM_AWS_QUERY: u8 = 2;

/// A character XML 1.0 cannot carry is written as U+FFFD (the default).
pub const S3ERR_INVALID_CHARS_REPLACE: u8 = 0;
/// A character XML 1.0 cannot carry fails the render
/// (`S3ERR_RENDER_INVALID_CHAR`).
pub const S3ERR_INVALID_CHARS_REJECT: u8 = 1;

/// The longest code outside the table a document takes (`code_name`).
pub const S3ERR_MAX_CUSTOM_CODE_LEN: usize = 64;

/// The most argument pairs a document may carry.
pub const S3ERR_MAX_ARGUMENTS: usize = 8;

/// One `<ArgumentNameN>`/`<ArgumentValueN>` pair.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct s3err_argument {
    /// The name (UTF-8).
    pub name: s3err_str,
    /// The value (UTF-8).
    pub value: s3err_str,
}

/// What to render: a code and the optional fields of the document.
///
/// Set it up with `s3err_document_init`, which zeroes it: every field
/// then holds its default (text fields unset, the code's own form,
/// invalid characters replaced). Texts are UTF-8 and need no NUL; they
/// are escaped as XML requires. The struct may grow in a later ABI: its
/// `size` tells the library which fields the caller's header has.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct s3err_document {
    /// `sizeof(s3err_document)` as the caller's header declares it; set
    /// by `s3err_document_init`.
    pub size: usize,
    /// The code (used when `code_name` is not set).
    pub code: s3err_code,
    /// `S3ERR_FORM_DEFAULT`, `S3ERR_FORM_S3` or `S3ERR_FORM_AWS_QUERY`.
    pub form: u8,
    /// `S3ERR_INVALID_CHARS_REPLACE` or `S3ERR_INVALID_CHARS_REJECT`.
    pub invalid_chars: u8,
    /// The status of a code outside the table (with `code_name`).
    pub status: u16,
    /// A code given as text (`"NoSuchThing"`): 1 to
    /// `S3ERR_MAX_CUSTOM_CODE_LEN` ASCII letters, digits and dots,
    /// rendered with `status` (100..=599); a code of the table keeps its
    /// own form, any other is written in the S3 form with itself as the
    /// default message. Unset (NULL): `code` is used.
    pub code_name: s3err_str,
    /// `<Message>`; unset: the code's description (its name without the
    /// descriptions).
    pub message: s3err_str,
    /// `<Resource>` (`"/bucket/key"`); unset: no element.
    pub resource: s3err_str,
    /// `<RequestId>` and the `x-amz-request-id` header; unset: an empty
    /// element and no header.
    pub request_id: s3err_str,
    /// `<HostId>` and the `x-amz-id-2` header; unset: neither.
    pub host_id: s3err_str,
    /// The `x-amz-bucket-region` header (not in the body); unset: none.
    pub bucket_region: s3err_str,
    /// The `xmlns` of the AWS query form; unset: IAM's
    /// (`https://iam.amazonaws.com/doc/2010-05-08/`).
    pub xml_namespace: s3err_str,
    /// `argument_count` pairs written after the message (NULL when 0).
    pub arguments: *const s3err_argument,
    /// The number of pairs, at most `S3ERR_MAX_ARGUMENTS`.
    pub argument_count: usize,
}

/// The render succeeded.
pub const S3ERR_RENDER_OK: u8 = 0;
/// A NULL pointer with a length above 0, a NULL document, a document
/// `size` smaller than this header's, a `form` or `invalid_chars` out of
/// range, or more than `S3ERR_MAX_ARGUMENTS` arguments.
pub const S3ERR_RENDER_INVALID_ARGUMENT: u8 = 1;
/// `code` names no code in this build.
pub const S3ERR_RENDER_UNKNOWN_CODE: u8 = 2;
/// A text (`field`, `argument`) is not UTF-8; `offset` is where the
/// valid part ends.
pub const S3ERR_RENDER_INVALID_UTF8: u8 = 3;
/// Under `S3ERR_INVALID_CHARS_REJECT`, a text holds a character XML 1.0
/// cannot carry, at byte `offset`.
pub const S3ERR_RENDER_INVALID_CHAR: u8 = 4;
/// A text sent as a header value (request id, host id, bucket region) is
/// not visible ASCII with interior spaces; byte `offset` is the first
/// offending one. Refused under either rule, so nothing can be injected
/// into the header block.
pub const S3ERR_RENDER_INVALID_HEADER_VALUE: u8 = 5;
/// This build of the library cannot render what the document asks for.
pub const S3ERR_RENDER_UNSUPPORTED: u8 = 6;
/// Any other failure.
pub const S3ERR_RENDER_OTHER: u8 = 7;
/// `code_name` holds a byte other than an ASCII letter, digit or dot, at
/// `offset`.
pub const S3ERR_RENDER_INVALID_CODE: u8 = 8;
/// `code_name` is empty or longer than `S3ERR_MAX_CUSTOM_CODE_LEN`;
/// `offset` holds its length.
pub const S3ERR_RENDER_INVALID_CODE_LENGTH: u8 = 9;
/// `status` (with `code_name`) is outside 100..=599.
pub const S3ERR_RENDER_INVALID_STATUS: u8 = 10;

/// No particular field.
pub const S3ERR_FIELD_NONE: u8 = 0;
/// The code's name (`code_name`).
pub const S3ERR_FIELD_CODE: u8 = 1;
/// The message.
pub const S3ERR_FIELD_MESSAGE: u8 = 2;
/// The resource.
pub const S3ERR_FIELD_RESOURCE: u8 = 3;
/// The request id.
pub const S3ERR_FIELD_REQUEST_ID: u8 = 4;
/// The host id.
pub const S3ERR_FIELD_HOST_ID: u8 = 5;
/// The bucket region.
pub const S3ERR_FIELD_BUCKET_REGION: u8 = 6;
/// The name of argument pair number `argument` (from 1).
pub const S3ERR_FIELD_ARGUMENT_NAME: u8 = 7;
/// The value of argument pair number `argument` (from 1).
pub const S3ERR_FIELD_ARGUMENT_VALUE: u8 = 8;
/// The namespace.
pub const S3ERR_FIELD_NAMESPACE: u8 = 9;

/// Why a render failed: what, in which text, where.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct s3err_render_error {
    /// `S3ERR_RENDER_OK` or one of the other `S3ERR_RENDER_` values.
    pub kind: u8,
    /// The text at fault (`S3ERR_FIELD_`), or `S3ERR_FIELD_NONE`.
    pub field: u8,
    /// For an argument's name or value: the pair's number, from 1.
    pub argument: usize,
    /// The byte offset in that text.
    pub offset: usize,
}

/// Sets `*doc` up for `code`: zeroes the `size` bytes (every option at
/// its default) and records `size`. Pass `sizeof *doc`. Returns false,
/// writing nothing, for a NULL `doc` or a `size` smaller than this
/// library's `s3err_document`.
///
/// # Safety
/// `doc` is NULL or points to `size` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s3err_document_init(
    doc: *mut s3err_document,
    size: usize,
    code: s3err_code,
) -> bool {
    if doc.is_null() || size < mem::size_of::<s3err_document>() || size > isize::MAX as usize {
        return false;
    }
    // SAFETY: `doc` points to `size` writable bytes (the caller's
    // promise); all-zero bytes are a valid s3err_document (integers, and
    // pointers that are then NULL), and `size` covers one.
    unsafe { ptr::write_bytes(doc.cast::<u8>(), 0, size) };
    // SAFETY: as above; the struct is now initialised and `doc` is
    // aligned, being the caller's s3err_document.
    let d = unsafe { &mut *doc };
    d.size = size;
    d.code = code;
    true
}

/// The failure for a bad argument.
const INVALID: rs::RenderFailure = (S3ERR_RENDER_INVALID_ARGUMENT, S3ERR_FIELD_NONE, 0, 0);

/// A caller's text as `&str`, `None` when unset.
///
/// # Safety
/// As [`bytes`], for the pointer and length of `s`.
unsafe fn text<'a>(
    s: s3err_str,
    field: u8,
    argument: usize,
) -> Result<Option<&'a str>, rs::RenderFailure> {
    if s.ptr.is_null() {
        return if s.len == 0 { Ok(None) } else { Err(INVALID) };
    }
    // SAFETY: the caller's promise for `s`.
    let b = unsafe { bytes(s.ptr, s.len) }.ok_or(INVALID)?;
    str::from_utf8(b)
        .map(Some)
        .map_err(|e| (S3ERR_RENDER_INVALID_UTF8, field, argument, e.valid_up_to()))
}

/// Reads a caller's document and hands it to `f` with its arguments.
///
/// # Safety
/// `doc` is NULL or points to an initialised s3err_document whose texts
/// and arguments satisfy [`bytes`].
unsafe fn with_document<T>(
    doc: *const s3err_document,
    f: impl FnOnce(&rs::Doc<'_>) -> Result<T, rs::RenderFailure>,
) -> Result<T, rs::RenderFailure> {
    // SAFETY: NULL or a valid, initialised s3err_document (the caller's
    // promise); `as_ref` checks for NULL.
    let d = unsafe { doc.as_ref() }.ok_or(INVALID)?;
    if d.size < mem::size_of::<s3err_document>() {
        return Err(INVALID);
    }
    let query_form = match d.form {
        S3ERR_FORM_DEFAULT => None,
        S3ERR_FORM_S3 => Some(false),
        S3ERR_FORM_AWS_QUERY => Some(true),
        _ => return Err(INVALID),
    };
    let reject_invalid_chars = match d.invalid_chars {
        S3ERR_INVALID_CHARS_REPLACE => false,
        S3ERR_INVALID_CHARS_REJECT => true,
        _ => return Err(INVALID),
    };
    if d.argument_count > S3ERR_MAX_ARGUMENTS {
        return Err(INVALID);
    }
    let mut pairs = [("", ""); rs::MAX_ARGUMENTS];
    if d.argument_count > 0 {
        if d.arguments.is_null() {
            return Err(INVALID);
        }
        // SAFETY: not NULL, and the caller promises `argument_count`
        // readable, initialised pairs (at most S3ERR_MAX_ARGUMENTS).
        let given = unsafe { slice::from_raw_parts(d.arguments, d.argument_count) };
        for (n, (a, slot)) in given.iter().zip(pairs.iter_mut()).enumerate() {
            let n = n + 1;
            // SAFETY: the caller's promise for each pair's texts.
            let name = unsafe { text(a.name, S3ERR_FIELD_ARGUMENT_NAME, n) }?;
            // SAFETY: as above.
            let value = unsafe { text(a.value, S3ERR_FIELD_ARGUMENT_VALUE, n) }?;
            *slot = (name.unwrap_or(""), value.unwrap_or(""));
        }
    }
    // SAFETY: the caller's promise for the document's texts (here and below).
    let code = match unsafe { text(d.code_name, S3ERR_FIELD_CODE, 0) }? {
        Some(name) => rs::Code::Custom(name, d.status),
        None => rs::Code::Id(d.code),
    };
    let doc = rs::Doc {
        code,
        query_form,
        reject_invalid_chars,
        // SAFETY: as above.
        message: unsafe { text(d.message, S3ERR_FIELD_MESSAGE, 0) }?,
        // SAFETY: as above.
        resource: unsafe { text(d.resource, S3ERR_FIELD_RESOURCE, 0) }?,
        // SAFETY: as above.
        request_id: unsafe { text(d.request_id, S3ERR_FIELD_REQUEST_ID, 0) }?,
        // SAFETY: as above.
        host_id: unsafe { text(d.host_id, S3ERR_FIELD_HOST_ID, 0) }?,
        // SAFETY: as above.
        bucket_region: unsafe { text(d.bucket_region, S3ERR_FIELD_BUCKET_REGION, 0) }?,
        // SAFETY: as above.
        namespace: unsafe { text(d.xml_namespace, S3ERR_FIELD_NAMESPACE, 0) }?,
        arguments: pairs.get(..d.argument_count).unwrap_or(&[]),
    };
    f(&doc)
}

/// Writes `failure` (or success) to `*error` when it is not NULL.
///
/// # Safety
/// `error` is NULL or points to a writable s3err_render_error.
unsafe fn report(error: *mut s3err_render_error, failure: rs::RenderFailure) {
    let (kind, field, argument, offset) = failure;
    let value = s3err_render_error {
        kind,
        field,
        argument,
        offset,
    };
    // SAFETY: NULL or writable (the caller's promise).
    unsafe { put(error, value) };
}

const OK: rs::RenderFailure = (S3ERR_RENDER_OK, S3ERR_FIELD_NONE, 0, 0);

/// Renders the error document into `buf`, `snprintf`-style: returns its
/// length without the NUL; when that is below `size` the document and a
/// NUL are in `buf`, otherwise (the buffer is too small) `buf` holds an
/// empty string. Nothing is written when `size` is 0, so
/// `s3err_document_render(doc, NULL, 0, &err)` asks for the length.
///
/// Returns 0 on failure (a rendered document is never empty), with an
/// empty string in `buf` (when `size` is not 0) and the reason in
/// `*error`. `error` may be NULL; on success its kind is `S3ERR_RENDER_OK`.
/// A `buf` that overlaps a text of the document is refused
/// (`S3ERR_RENDER_INVALID_ARGUMENT`) and nothing is written.
///
/// # Safety
/// `doc` is NULL or a document set up by `s3err_document_init` whose
/// texts point to their lengths in readable bytes; `buf` is NULL or
/// points to `size` writable bytes; `error` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s3err_document_render(
    doc: *const s3err_document,
    buf: *mut c_char,
    size: usize,
    error: *mut s3err_render_error,
) -> usize {
    if (buf.is_null() && size > 0) || size > isize::MAX as usize {
        // SAFETY: the caller's promise for `error`.
        unsafe { report(error, INVALID) };
        return 0;
    }
    let mut overlap = false;
    let render = |d: &rs::Doc<'_>| {
        if texts(d).any(|t| overlaps(t, buf, size)) {
            overlap = true;
            return Err(INVALID);
        }
        // SAFETY: `buf` is NULL only with size 0, points to `size`
        // writable bytes (the caller's promise), and no text borrowed
        // from the document lies in them (checked above).
        let out = unsafe { buffer(buf, size) }.ok_or(INVALID)?;
        // Room for the document and its NUL: all but the last byte.
        let room = size.saturating_sub(1);
        let len = rs::render(d, out.get_mut(..room).unwrap_or(&mut []))?;
        Ok(terminate(out, len))
    };
    // SAFETY: the caller's promise for `doc`.
    let rendered = unsafe { with_document(doc, render) };
    // SAFETY: the caller's promise for `error`.
    unsafe { report(error, rendered.err().unwrap_or(OK)) };
    match rendered {
        Ok(len) => len,
        Err(_) if overlap => 0,
        Err(_) => {
            // SAFETY: as above; the document's texts are no longer used.
            if let Some(out) = unsafe { buffer(buf, size) } {
                empty(out);
            }
            0
        }
    }
}

/// Every text of a document: what must not lie in the output buffer.
fn texts<'a>(d: &'a rs::Doc<'a>) -> impl Iterator<Item = &'a [u8]> + 'a {
    let custom = match d.code {
        rs::Code::Custom(name, _) => Some(name),
        rs::Code::Id(_) => None,
    };
    [
        custom,
        d.message,
        d.resource,
        d.request_id,
        d.host_id,
        d.bucket_region,
        d.namespace,
    ]
    .into_iter()
    .flatten()
    .chain(d.arguments.iter().flat_map(|&(n, v)| [n, v]))
    .map(str::as_bytes)
}

/// Whether `text` and the `size` bytes at `buf` share a byte (compared as
/// addresses; nothing is read).
fn overlaps(text: &[u8], buf: *mut c_char, size: usize) -> bool {
    let (t, b) = (text.as_ptr_range(), buf as usize);
    let (t_start, t_end) = (t.start as usize, t.end as usize);
    !text.is_empty() && size > 0 && t_start < b.saturating_add(size) && b < t_end
}

/// `Content-Type` (`application/xml`), with a body.
pub const S3ERR_HEADER_CONTENT_TYPE: u8 = 0;
/// `Content-Length` (the body's exact length), with a body.
pub const S3ERR_HEADER_CONTENT_LENGTH: u8 = 1;
/// `x-amz-request-id`, when the document has a request id.
pub const S3ERR_HEADER_REQUEST_ID: u8 = 2;
/// `x-amz-id-2`, when the document has a host id.
pub const S3ERR_HEADER_HOST_ID: u8 = 3;
/// `x-amz-bucket-region`, when the document has a bucket region.
pub const S3ERR_HEADER_BUCKET_REGION: u8 = 4;
/// The most headers a response head holds.
pub const S3ERR_MAX_HEADERS: usize = 5;

/// One header of a response head.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct s3err_header {
    /// Which header (`S3ERR_HEADER_`).
    pub id: u8,
    /// Its name as S3 writes it (`"x-amz-request-id"`); header names are
    /// case-insensitive.
    pub name: s3err_str,
    /// Its value, checked to be visible ASCII with interior spaces;
    /// empty for `Content-Length`, whose value is `number`.
    pub value: s3err_str,
    /// `Content-Length`'s value; 0 for the other headers.
    pub number: usize,
}

/// The status line and headers a gateway sends with a document.
/// Texts point into the library's table and the document's texts.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct s3err_response {
    /// The HTTP status code.
    pub status: u16,
    /// Whether a body follows the headers (not for `HEAD`, nor 304).
    pub has_body: bool,
    /// The reason phrase (`"Not Found"`); empty for a status without one.
    pub reason: s3err_str,
    /// The body's exact length when `has_body`, else 0.
    pub content_length: usize,
    /// How many of `headers` are set, in this order: `Content-Type`,
    /// `Content-Length`, `x-amz-request-id`, `x-amz-id-2`,
    /// `x-amz-bucket-region`, each when it applies.
    pub header_count: usize,
    /// The headers.
    pub headers: [s3err_header; S3ERR_MAX_HEADERS],
}

/// Fills `*out` from a response head.
fn head_to_c(h: &rs::Head<'_>) -> s3err_response {
    let mut headers = [s3err_header {
        id: 0,
        name: s3err_str::of(b""),
        value: s3err_str::of(b""),
        number: 0,
    }; S3ERR_MAX_HEADERS];
    for (slot, &(id, name, value)) in headers
        .iter_mut()
        .zip(h.headers.iter())
        .take(h.header_count)
    {
        let (value, number) = match value {
            rs::Value::Text(t) => (s3err_str::of(t.as_bytes()), 0),
            rs::Value::Number(n) => (s3err_str::of(b""), n),
        };
        *slot = s3err_header {
            id,
            name: s3err_str::of(name.as_bytes()),
            value,
            number,
        };
    }
    s3err_response {
        status: h.status,
        has_body: h.content_length.is_some(),
        reason: s3err_str::of(h.reason.as_bytes()),
        content_length: h.content_length.unwrap_or(0),
        header_count: h.header_count,
        headers,
    }
}

/// The shared body of `s3err_document_response` and
/// `s3err_document_head_response`.
///
/// # Safety
/// As those functions.
unsafe fn response(
    doc: *const s3err_document,
    out: *mut s3err_response,
    out_size: usize,
    error: *mut s3err_render_error,
    head: bool,
) -> bool {
    let result = if out.is_null() || out_size < mem::size_of::<s3err_response>() {
        Err(INVALID)
    } else {
        // SAFETY: the caller's promise for `doc`.
        unsafe { with_document(doc, |d| rs::response(d, head).map(|h| head_to_c(&h))) }
    };
    match result {
        Ok(r) => {
            // SAFETY: `out` is not NULL and points to `out_size` writable
            // bytes (the caller's promise), at least one s3err_response,
            // aligned as the caller's s3err_response is; the bytes past
            // it are zeroed for fields a later header may add.
            unsafe {
                ptr::write_bytes(out.cast::<u8>(), 0, out_size);
                out.write(r);
            }
            // SAFETY: the caller's promise for `error`.
            unsafe { report(error, OK) };
            true
        }
        Err(failure) => {
            // SAFETY: the caller's promise for `error`.
            unsafe { report(error, failure) };
            false
        }
    }
}

/// The status line and headers to send with the document in answer to a
/// request other than `HEAD`, checked: the header values (request id,
/// host id, bucket region) must be visible ASCII with interior spaces.
/// Pass `sizeof *out` as `out_size`. Returns false with the reason in
/// `*error` (which may be NULL) on failure; `*out` is then untouched.
///
/// # Safety
/// `doc` as for `s3err_document_render`; `out` is NULL or points to `out_size`
/// writable bytes; `error` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s3err_document_response(
    doc: *const s3err_document,
    out: *mut s3err_response,
    out_size: usize,
    error: *mut s3err_render_error,
) -> bool {
    // SAFETY: the caller's promises, passed on.
    unsafe { response(doc, out, out_size, error, false) }
}

/// As `s3err_document_response`, for a `HEAD` request: no body, so no
/// `Content-Type` or `Content-Length`; the same checks run.
///
/// # Safety
/// As `s3err_document_response`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s3err_document_head_response(
    doc: *const s3err_document,
    out: *mut s3err_response,
    out_size: usize,
    error: *mut s3err_render_error,
) -> bool {
    // SAFETY: the caller's promises, passed on.
    unsafe { response(doc, out, out_size, error, true) }
}

/// The standard reason phrase of an HTTP status (`"Not Found"`); empty
/// for a status without one.
#[unsafe(no_mangle)]
pub extern "C" fn s3err_reason_phrase(status: u16) -> s3err_str {
    s3err_str::of(rs::reason(status).as_bytes())
}

// ---- Parsing an error body

/// An error body, parsed without copying: each field is the raw bytes
/// between its tags in the caller's body (entities and CDATA not
/// decoded; `s3err_error_body_decode` decodes), with a NULL `ptr` when the
/// element is absent. The body must stay in place while these are used.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct s3err_error_body {
    /// The whole body, as given to `s3err_parse`.
    pub body: s3err_str,
    /// `<Code>`, always present.
    pub code: s3err_str,
    /// `<Message>`.
    pub message: s3err_str,
    /// `<Resource>`.
    pub resource: s3err_str,
    /// `<RequestId>` (or EC2's `<RequestID>`), in the error element or
    /// its wrapper.
    pub request_id: s3err_str,
    /// `<HostId>`, in the error element or its wrapper.
    pub host_id: s3err_str,
    /// `<Type>` of the query (IAM) form: `Sender` or `Receiver`.
    pub error_type: s3err_str,
    /// Whether the code, decoded and trimmed, names a code of this build.
    pub known: bool,
    /// That code when `known`, else 0.
    pub known_code: s3err_code,
}

/// The body parsed.
pub const S3ERR_PARSE_OK: u8 = 0;
/// A NULL body with a length above 0, a NULL or too small `out`.
pub const S3ERR_PARSE_INVALID_ARGUMENT: u8 = 1;
/// The body is empty or holds only whitespace.
pub const S3ERR_PARSE_EMPTY: u8 = 2;
/// The body does not start with markup (plain text, JSON...).
pub const S3ERR_PARSE_NOT_XML: u8 = 3;
/// An HTML page, as proxies and load balancers send.
pub const S3ERR_PARSE_HTML: u8 = 4;
/// The bytes are not UTF-8.
pub const S3ERR_PARSE_INVALID_UTF8: u8 = 5;
/// A character XML 1.0 does not allow.
pub const S3ERR_PARSE_INVALID_CHAR: u8 = 6;
/// An encoding other than UTF-8 (or US-ASCII) is declared.
pub const S3ERR_PARSE_UNSUPPORTED_ENCODING: u8 = 7;
/// A non-ASCII byte in a body declared US-ASCII.
pub const S3ERR_PARSE_ENCODING_MISMATCH: u8 = 8;
/// The XML declaration is malformed.
pub const S3ERR_PARSE_MALFORMED_DECLARATION: u8 = 9;
/// An XML declaration somewhere other than the start.
pub const S3ERR_PARSE_MISPLACED_DECLARATION: u8 = 10;
/// A DTD, which is refused (no entity is ever expanded).
pub const S3ERR_PARSE_DOCTYPE: u8 = 11;
/// The body ends inside the document (truncated).
pub const S3ERR_PARSE_UNEXPECTED_EOF: u8 = 12;
/// Malformed markup; `detail` says what was expected.
pub const S3ERR_PARSE_SYNTAX: u8 = 13;
/// An end tag that does not match the open element.
pub const S3ERR_PARSE_MISMATCHED_TAG: u8 = 14;
/// The same attribute twice on one element.
pub const S3ERR_PARSE_DUPLICATE_ATTRIBUTE: u8 = 15;
/// Too many attributes on one element.
pub const S3ERR_PARSE_TOO_MANY_ATTRIBUTES: u8 = 16;
/// `--` inside a comment.
pub const S3ERR_PARSE_MALFORMED_COMMENT: u8 = 17;
/// `]]>` in text outside a CDATA section.
pub const S3ERR_PARSE_CDATA_END_IN_TEXT: u8 = 18;
/// An entity other than the five XML predefines.
pub const S3ERR_PARSE_UNDEFINED_ENTITY: u8 = 19;
/// A character reference to something that is not an XML character.
pub const S3ERR_PARSE_INVALID_CHAR_REF: u8 = 20;
/// Elements nested too deep.
pub const S3ERR_PARSE_TOO_DEEP: u8 = 21;
/// Content after the root element.
pub const S3ERR_PARSE_TRAILING_CONTENT: u8 = 22;
/// Well-formed XML, but not an S3 error document.
pub const S3ERR_PARSE_NOT_AN_ERROR_DOCUMENT: u8 = 23;
/// The error element has no `<Code>`.
pub const S3ERR_PARSE_MISSING_CODE: u8 = 24;
/// Any other refusal.
pub const S3ERR_PARSE_OTHER: u8 = 25;

/// Why a body was refused: what and at which byte.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct s3err_parse_error {
    /// `S3ERR_PARSE_OK` or one of the other `S3ERR_PARSE_` values.
    pub kind: u8,
    /// The byte offset in the body where the problem was found.
    pub offset: usize,
    /// For `S3ERR_PARSE_SYNTAX`, what was expected (`"'>'"`); else empty.
    pub detail: s3err_str,
}

/// Writes a parse outcome to `*error` when it is not NULL.
///
/// # Safety
/// `error` is NULL or points to a writable s3err_parse_error.
unsafe fn parse_report(error: *mut s3err_parse_error, failure: rs::ParseFailure) {
    let (kind, offset, detail) = failure;
    let value = s3err_parse_error {
        kind,
        offset,
        detail: s3err_str::of(detail.as_bytes()),
    };
    // SAFETY: NULL or writable (the caller's promise).
    unsafe { put(error, value) };
}

/// Parses an S3 (or IAM, or EC2-style) error body of `len` bytes,
/// without copying. Pass `sizeof *out` as `out_size`. On success fills
/// `*out` and returns true; otherwise returns false with the kind and
/// byte offset in `*error` (which may be NULL), `*out` untouched. Any
/// input is safe: the time is linear in `len`, the memory fixed.
///
/// # Safety
/// `body` is NULL or points to `len` readable bytes; `out` is NULL or
/// points to `out_size` writable bytes; `error` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s3err_parse(
    body: *const c_char,
    len: usize,
    out: *mut s3err_error_body,
    out_size: usize,
    error: *mut s3err_parse_error,
) -> bool {
    // SAFETY: the caller's promise for `body` and `len`.
    let input = unsafe { bytes(body, len) };
    let (Some(input), false) = (
        input,
        out.is_null() || out_size < mem::size_of::<s3err_error_body>(),
    ) else {
        // SAFETY: the caller's promise for `error`.
        unsafe { parse_report(error, (S3ERR_PARSE_INVALID_ARGUMENT, 0, "")) };
        return false;
    };
    match rs::parse(input) {
        Ok(p) => {
            let parsed = s3err_error_body {
                body: s3err_str::of(input),
                code: s3err_str::of(p.code),
                message: s3err_str::of_opt(p.message),
                resource: s3err_str::of_opt(p.resource),
                request_id: s3err_str::of_opt(p.request_id),
                host_id: s3err_str::of_opt(p.host_id),
                error_type: s3err_str::of_opt(p.error_type),
                known: p.known.is_some(),
                known_code: p.known.unwrap_or(0),
            };
            // SAFETY: `out` is not NULL and points to `out_size` writable
            // bytes, at least one aligned s3err_error_body (the caller's
            // promise); the bytes past it are zeroed.
            unsafe {
                ptr::write_bytes(out.cast::<u8>(), 0, out_size);
                out.write(parsed);
            }
            // SAFETY: the caller's promise for `error`.
            unsafe { parse_report(error, (S3ERR_PARSE_OK, 0, "")) };
            true
        }
        Err(failure) => {
            // SAFETY: the caller's promise for `error`.
            unsafe { parse_report(error, failure) };
            false
        }
    }
}

/// The parsed body's bytes and the element name, `None` for a bad
/// argument.
///
/// # Safety
/// `parsed` is NULL or a body filled by `s3err_parse` whose bytes are
/// still in place; `name` points to `name_len` readable bytes or is NULL.
unsafe fn body_and_name<'a>(
    parsed: *const s3err_error_body,
    name: *const c_char,
    name_len: usize,
) -> Option<(&'a [u8], &'a [u8])> {
    if parsed.is_null() {
        return None;
    }
    // SAFETY: `parsed` points to an s3err_error_body (the caller's
    // promise); only its `body` field (pointer and length, valid for any
    // bits) is read, without a reference to the rest, whose `known` is a
    // bool the caller may have overwritten.
    let whole = unsafe { ptr::addr_of!((*parsed).body).read() };
    if whole.ptr.is_null() {
        return None;
    }
    // SAFETY: `body` is the caller's body, still in place (their promise).
    let body = unsafe { bytes(whole.ptr, whole.len) }?;
    // SAFETY: the caller's promise for `name`.
    let name = unsafe { bytes(name, name_len) }?;
    Some((body, name))
}

/// The raw bytes of any child element of the error (or of its wrapper)
/// by exact name (`"Key"`, `"BucketName"`, `"ArgumentName1"`, or a
/// well-known one: `"Code"`, `"Message"`, `"RequestId"`...). Returns
/// false, leaving `*raw` untouched, when there is no such element or an
/// argument is NULL. Reads the body again: linear time.
///
/// # Safety
/// `parsed` is NULL or filled by `s3err_parse`, its body still in place;
/// `name` points to `name_len` readable bytes or is NULL; `raw` is NULL
/// or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s3err_error_body_field(
    parsed: *const s3err_error_body,
    name: *const c_char,
    name_len: usize,
    raw: *mut s3err_str,
) -> bool {
    // SAFETY: the caller's promises, passed on.
    let Some((body, name)) = (unsafe { body_and_name(parsed, name, name_len) }) else {
        return false;
    };
    match rs::field(body, name) {
        // SAFETY: `raw` is NULL or writable (the caller's promise).
        Some(f) => unsafe { put(raw, s3err_str::of(f)) },
        None => false,
    }
}

/// The shared body of the two decoders.
///
/// # Safety
/// As those functions.
unsafe fn decode(
    parsed: *const s3err_error_body,
    name: *const c_char,
    name_len: usize,
    buf: *mut c_char,
    size: usize,
    trim: bool,
) -> usize {
    if (buf.is_null() && size > 0) || size > isize::MAX as usize {
        return 0;
    }
    // SAFETY: the caller's promises, passed on.
    let Some((body, name)) = (unsafe { body_and_name(parsed, name, name_len) }) else {
        // SAFETY: `buf` points to `size` writable bytes (or size is 0),
        // and nothing else is borrowed.
        return unsafe { buffer(buf, size) }.map_or(0, empty);
    };
    // Decoding into the body (or the name) would write what is read.
    if overlaps(body, buf, size) || overlaps(name, buf, size) {
        return 0;
    }
    // SAFETY: `buf` points to `size` writable bytes (or size is 0), apart
    // from the body and the name (checked above).
    let Some(out) = (unsafe { buffer(buf, size) }) else {
        return 0;
    };
    let room = size.saturating_sub(1);
    match rs::decode(body, name, trim, out.get_mut(..room).unwrap_or(&mut [])) {
        Some(len) => terminate(out, len),
        None => empty(out),
    }
}

/// Decodes an element (named as for `s3err_error_body_field`) into
/// `buf`, `snprintf`-style: entities and character references replaced,
/// CDATA unwrapped, comments left out, line ends as LF; returns the
/// decoded length without the NUL, and when it is below `size` the text
/// and a NUL are in `buf`, otherwise an empty string (nothing is written
/// when `size` is 0). Returns 0 with an empty string for an absent
/// element or a bad argument, and 0 without writing for a `buf` that
/// overlaps the body or the name. Reads the body again: linear time.
///
/// # Safety
/// As `s3err_error_body_field`; `buf` is NULL or points to `size`
/// writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s3err_error_body_decode(
    parsed: *const s3err_error_body,
    name: *const c_char,
    name_len: usize,
    buf: *mut c_char,
    size: usize,
) -> usize {
    // SAFETY: the caller's promises, passed on.
    unsafe { decode(parsed, name, name_len, buf, size, false) }
}

/// As `s3err_error_body_decode`, without XML whitespace (space, tab, CR,
/// LF) at either end of the decoded text, whether written literally, as
/// a character reference or inside CDATA: the rule by which `known` and
/// the retry advice read the code.
///
/// # Safety
/// As `s3err_error_body_decode`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s3err_error_body_decode_trimmed(
    parsed: *const s3err_error_body,
    name: *const c_char,
    name_len: usize,
    buf: *mut c_char,
    size: usize,
) -> usize {
    // SAFETY: the caller's promises, passed on.
    unsafe { decode(parsed, name, name_len, buf, size, true) }
}

/// How a client should react to the parsed error, given the HTTP status
/// it came with (the code read trimmed; in a `200 OK` as a 500);
/// `S3ERR_RETRY_INVALID` for a NULL `parsed` or a body no longer in place.
///
/// # Safety
/// `parsed` is NULL or filled by `s3err_parse`, its body still in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s3err_error_body_retry(
    parsed: *const s3err_error_body,
    status: u16,
) -> s3err_retry {
    // SAFETY: the caller's promises, passed on (an empty name is valid).
    match unsafe { body_and_name(parsed, ptr::null(), 0) } {
        Some((body, _)) => rs::body_retry(body, status).unwrap_or(S3ERR_RETRY_INVALID),
        None => S3ERR_RETRY_INVALID,
    }
}
