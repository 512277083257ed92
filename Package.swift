// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "JoinedUp",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "joinedup", targets: ["joinedup"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        // Already in the graph through Hummingbird; named so the App can spell header names.
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        // Already in the graph through Hummingbird; named so the command can run Swift
        // concurrency on NIO's event loops (see JoinedUp.swift).
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
        // zlib behind a streaming API, for gzipped generator output (GzipFileWriter).
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
        // The server engine (issue 5): PostgreSQL's wire protocol on NIO.
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.0"),
        // Already in the graph through PostgresNIO: signing and checking tokens (issue 6).
        .package(url: "https://github.com/apple/swift-crypto.git", "3.0.0"..<"5.0.0"),
    ],
    targets: [
        // JSON value model, FHIR definitions (generated tables), validation, NHS number.
        .target(name: "FHIR"),
        // SQL engines (SQLite, PostgreSQL): connections, transactions, versioned migrations.
        .target(name: "Storage", dependencies: [
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        // The versioned resource store, bundles, change log, import.
        .target(name: "CareRecord", dependencies: [
            "FHIR", "Storage",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Who may see what: tokens, scopes, roles (issue 6).
        .target(name: "Access", dependencies: [
            "FHIR",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // A deterministic generator of a whole local area (issue 3).
        .target(name: "SyntheticArea", dependencies: [
            "FHIR",
            .product(name: "CompressNIO", package: "compress-nio"),
            .product(name: "NIOCore", package: "swift-nio"),
        ]),
        // HTTP: FHIR REST routes over Hummingbird.
        .target(name: "App", dependencies: [
            "Access", "FHIR", "Storage", "CareRecord",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "joinedup", dependencies: [
            "Access", "App", "CareRecord", "FHIR", "Storage", "SyntheticArea",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            // To import what `generate --gzip` wrote (Gunzip.swift).
            .product(name: "CompressNIO", package: "compress-nio"),
            // For the demo area's marker table (DemoAreaMarker.swift).
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        .testTarget(name: "FHIRTests", dependencies: ["FHIR"]),
        .testTarget(name: "AccessTests", dependencies: ["Access", "FHIR"]),
        .testTarget(name: "SyntheticAreaTests", dependencies: ["SyntheticArea", "FHIR", "CareRecord"]),
        // What tests on both engines share: which engines to run on, and a fresh store on each.
        .target(name: "TestSupport", dependencies: ["Storage"], path: "Tests/TestSupport"),
        .testTarget(name: "StorageTests", dependencies: [
            "Storage", "TestSupport", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .testTarget(name: "CareRecordTests", dependencies: [
            "CareRecord", "FHIR", "Storage", "SyntheticArea", "TestSupport",
            // To look at the store itself: which indexes exist (BulkLoadTests).
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        // Runs the real `joinedup` executable: command-line imports, serve, SIGTERM, SIGKILL.
        .testTarget(name: "EndToEndTests", dependencies: ["CareRecord", "FHIR"]),
        .testTarget(name: "AppTests", dependencies: [
            "Access", "App", "CareRecord", "FHIR", "Storage", "TestSupport",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
    ]
)
