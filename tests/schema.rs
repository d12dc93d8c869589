//! The native format's JSON Schema is generated from the Rust types and checked in;
//! this test keeps the file equal to the types and the README pointing at it.
//! Set `UPDATE_SCHEMA=1` to rewrite the file after changing the types.
//! (`cargo xtask test` also validates real exports against it with Python's jsonschema.)

use std::path::Path;

use article_annotator::core::codec::native::json_schema;

#[test]
fn checked_in_schema_matches_the_types() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let path = root.join("schema/article-annotator.schema.json");
    let generated = serde_json::to_string_pretty(&json_schema()).unwrap_or_default() + "\n";
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &generated).unwrap_or_else(|e| panic!("{e}"));
    }
    let stored = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(stored == generated, "schema/article-annotator.schema.json is out of date: run UPDATE_SCHEMA=1 cargo test --test schema");
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap_or_default();
    assert!(readme.contains("schema/article-annotator.schema.json"), "the README documents the schema");
}

#[test]
fn schema_requires_the_envelope_fields() {
    let schema = json_schema();
    let required: Vec<&str> = schema["required"].as_array().into_iter().flatten().filter_map(|v| v.as_str()).collect();
    for field in ["format", "version", "document", "annotations"] {
        assert!(required.contains(&field), "{field} is required");
    }
    assert_eq!(schema["properties"]["format"]["const"], "article-annotator");
}
