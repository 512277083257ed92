/// Namespace of the generated text tables (Sources/FHIR/Generated), written by
/// `scripts/generate-fhir-tables.py`. They are parsed once, lazily, by `FHIRDefinitions`.
enum FHIRGeneratedTables {}
