import Access
import ArgumentParser
import Foundation

/// `joinedup keys`: the key file bearer tokens are signed and checked with. The server reads
/// it again when it changes, so `rotate` and `retire` take effect without a restart.
struct Keys: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Make, rotate, retire and list the keys that sign bearer tokens.",
        subcommands: [New.self, Rotate.self, Retire.self, List.self]
    )

    struct Location: ParsableArguments {
        @Option(help: "The key file.")
        var keys = "joinedup-keys.json"
    }

    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make a new key file with one key (refuses to replace one).")
        @OptionGroup var location: Location
        @Option(help: "ES256 (anyone with the public key can verify, only this file signs) or HS256 (one shared secret).")
        var algorithm = SigningKey.Algorithm.es256
        @Option(help: "The issuer tokens name (their `iss`) and the server expects.")
        var issuer = "joinedup"

        func run() throws {
            guard !FileManager.default.fileExists(atPath: location.keys) else {
                throw ValidationError("\(location.keys) exists already: use `joinedup keys rotate` to add a key to it")
            }
            let keys = KeySet(issuer: issuer, keys: [.generate(algorithm)])
            try keys.save(to: location.keys)
            print("Made \(location.keys) (readable by you only), signing with key \(keys.signing!.id) (\(algorithm.rawValue)).")
        }
    }

    struct Rotate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a new key that signs from now on; tokens signed by the older keys still verify until those are retired.")
        @OptionGroup var location: Location
        @Option(help: "ES256 or HS256.")
        var algorithm = SigningKey.Algorithm.es256

        func run() throws {
            var keys = try KeySet.load(from: location.keys)
            let key = SigningKey.generate(algorithm)
            keys.rotate(to: key)
            try keys.save(to: location.keys)
            print("Key \(key.id) (\(algorithm.rawValue)) signs from now on; \(keys.keys.count - 1) older key(s) still verify.")
        }
    }

    struct Retire: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a key: tokens it signed stop working.")
        @OptionGroup var location: Location
        @Argument(help: "The key's id (`joinedup keys list`).")
        var id: String

        func run() throws {
            var keys = try KeySet.load(from: location.keys)
            try keys.retire(id)
            try keys.save(to: location.keys)
            print("Retired key \(id); \(keys.keys.count) key(s) left.")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the keys, or print their public halves as a JWK Set.")
        @OptionGroup var location: Location
        @Flag(help: "Print the ES256 keys' public halves as a JWK Set (RFC 7517), for other services that verify tokens.")
        var publicJWKS = false

        func run() throws {
            let keys = try KeySet.load(from: location.keys)
            if publicJWKS {
                let jwks = ["keys": keys.keys.compactMap(\.publicJWK)]
                let data = try JSONSerialization.data(withJSONObject: jwks, options: [.prettyPrinted, .sortedKeys])
                print(String(decoding: data, as: UTF8.self))
                return
            }
            print("issuer \(keys.issuer)")
            for key in keys.keys {
                let mark = key.id == keys.signing?.id ? "  (signs)" : ""
                print("\(key.id)  \(key.algorithm.rawValue)  made \(ISO8601DateFormatter().string(from: key.created))\(mark)")
            }
        }
    }
}

/// `--algorithm ES256|HS256`, refused otherwise with the choices listed.
extension SigningKey.Algorithm: ExpressibleByArgument {}
