import Foundation
// swift-tools-version: 6.0
import PackageDescription

/// Settings every Swift target shares.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
    name: "Warden",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "warden", targets: ["warden"]),
        .library(name: "WardenEngine", targets: ["WardenEngine"]),
        .library(name: "WardenWire", targets: ["WardenWire"]),
        // State stores an embedding service can hand to WardenService (StateStore).
        .library(name: "WardenSQLite", targets: ["WardenSQLite"]),
        .library(name: "WardenRedis", targets: ["WardenRedis"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        // Already in the graph through Hummingbird: declared because the server logs with it.
        .package(url: "https://github.com/apple/swift-log", from: "1.5.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        // Already in the graph through Hummingbird: the metrics API; swift-prometheus exports it.
        .package(url: "https://github.com/apple/swift-metrics", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        // Already in the graph through async-http-client: TLS to Redis (rediss://), which the
        // linked hiredis 0.14 lacks.
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.27.0"),
        // Webhook delivery, and the client HummingbirdTesting drives in-process route tests with.
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.30.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CPCRE2",
            pkgConfig: "libpcre2-8",
            providers: [.apt(["libpcre2-dev"]), .brew(["pcre2"])]
        ),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]),
        .systemLibrary(name: "CHiredis", pkgConfig: "hiredis", providers: [.apt(["libhiredis-dev"]), .brew(["hiredis"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]),
        .target(name: "WardenLanguage", swiftSettings: strictSettings),
        .target(name: "WardenMatching", dependencies: ["CPCRE2"], swiftSettings: strictSettings),
        .target(name: "WardenModels", dependencies: ["WardenMatching"], swiftSettings: strictSettings),
        // The wire format: one JSON reader and writer, events and their decoder, for every front end.
        .target(name: "WardenWire", dependencies: ["WardenLanguage", "WardenMatching"], swiftSettings: strictSettings),
        .target(
            name: "WardenEngine",
            dependencies: ["WardenLanguage", "WardenMatching", "WardenModels", "WardenWire"],
            swiftSettings: strictSettings
        ),
        .target(name: "WardenAudit", dependencies: ["WardenEngine", "WardenMatching", "CZlib"], swiftSettings: strictSettings),
        .target(name: "WardenSQLite", dependencies: ["WardenEngine", "CSQLite"], swiftSettings: strictSettings),
        .target(
            name: "WardenRedis",
            dependencies: [
                "WardenEngine", "CHiredis", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"), .product(name: "NIOTLS", package: "swift-nio"),
            ], swiftSettings: strictSettings),
        .target(name: "WardenLSP", dependencies: ["WardenEngine", "WardenLanguage", "WardenWire"], swiftSettings: strictSettings),
        .target(
            name: "WardenServer",
            dependencies: [
                "WardenEngine",
                "WardenAudit",
                "WardenLanguage",
                "WardenMatching",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            resources: [
                .embedInCode("Resources/openapi.json"), .embedInCode("Resources/playground.html"), .embedInCode("Resources/console.html"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "warden",
            dependencies: [
                "WardenEngine",
                "WardenAudit",
                "WardenServer",
                "WardenLSP",
                "WardenSQLite",
                "WardenRedis",
                "WardenLanguage",
                "WardenMatching",
                "WardenModels",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "WardenLanguageTests", dependencies: ["WardenLanguage"], swiftSettings: strictSettings),
        .testTarget(name: "WardenMatchingTests", dependencies: ["WardenMatching"], exclude: ["Fixtures"], swiftSettings: strictSettings),
        .target(name: "WardenModelTestSupport", dependencies: ["WardenModels"], path: "Tests/ModelSupport", swiftSettings: strictSettings),
        .testTarget(name: "WardenModelsTests", dependencies: ["WardenModels", "WardenModelTestSupport"], swiftSettings: strictSettings),
        .testTarget(
            name: "WardenEngineTests", dependencies: ["WardenEngine", "WardenWire", "WardenModels", "WardenModelTestSupport"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "WardenAuditTests", dependencies: ["WardenAudit", "WardenSQLite", "WardenModels"], exclude: ["Fixtures"],
            swiftSettings: strictSettings),
        .target(name: "WardenTestSupport", dependencies: ["WardenRedis"], path: "Tests/Support", swiftSettings: strictSettings),
        .testTarget(name: "WardenRedisTests", dependencies: ["WardenRedis", "WardenTestSupport"], swiftSettings: strictSettings),
        .testTarget(
            name: "WardenServerTests",
            dependencies: [
                "WardenServer", "WardenEngine", "WardenLanguage", "WardenSQLite", "WardenWire",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "InMemoryLogging", package: "swift-log"),
            ],
            swiftSettings: strictSettings),
        .testTarget(
            name: "WardenCLITests",
            dependencies: ["warden", "WardenServer", "WardenMatching", "WardenLanguage", "WardenTestSupport", "WardenModelTestSupport"],
            exclude: ["Fixtures"], swiftSettings: strictSettings),
    ]
)

// libFuzzer targets (scripts/fuzz.sh): only with WARDEN_FUZZ set, built with
// -sanitize=fuzzer,address into their own build directory; they have no main of their own.
if ProcessInfo.processInfo.environment["WARDEN_FUZZ"] != nil {
    let library: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"])]
    let targets: [(String, [Target.Dependency])] = [
        ("FuzzRules", ["WardenEngine", "WardenLanguage"]),
        ("FuzzEvents", ["WardenEngine"]),
        ("FuzzCSV", ["WardenEngine", "WardenAudit"]),
        ("FuzzMatcher", ["WardenMatching"]),
        ("FuzzRegex", ["WardenMatching"]),
    ]
    package.targets.append(.target(name: "FuzzDriver", path: "Fuzz/FuzzDriver"))
    for (name, dependencies) in targets {
        package.targets.append(
            .executableTarget(name: name, dependencies: dependencies + ["FuzzDriver"], path: "Fuzz/\(name)", swiftSettings: library))
    }
}
